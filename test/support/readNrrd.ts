/**
 * A small NRRD reader for the reference label maps next to the test SEGs
 * (teem.sourceforge.net/nrrd/format.html): attached header, `raw` or `gzip`
 * encoding, little-endian integer types. Enough for dcmqi's outputs, no more.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export interface Nrrd {
  /** Fastest axis first, as NRRD lists them. */
  sizes: number[];
  /** One direction vector per axis (mm per index step), LPS. */
  spaceDirections: number[][];
  spaceOrigin: number[];
  /** Voxel values, index = i + j * sizes[0] + k * sizes[0] * sizes[1]. */
  data: Int32Array;
}

const TYPE_BYTES: Record<
  string,
  { bytes: number; read: (view: DataView, offset: number) => number }
> = {
  uchar: { bytes: 1, read: (v, o) => v.getUint8(o) },
  'unsigned char': { bytes: 1, read: (v, o) => v.getUint8(o) },
  short: { bytes: 2, read: (v, o) => v.getInt16(o, true) },
  'unsigned short': { bytes: 2, read: (v, o) => v.getUint16(o, true) },
  ushort: { bytes: 2, read: (v, o) => v.getUint16(o, true) },
  int: { bytes: 4, read: (v, o) => v.getInt32(o, true) },
};

function parseVectors(value: string): number[][] {
  return [...value.matchAll(/\(([^)]*)\)/g)].map((m) => (m[1] ?? '').split(',').map(Number));
}

/** Reads a NRRD file with an attached header. */
export function readNrrd(file: string): Nrrd {
  const bytes = readFileSync(file);
  const headerEnd = bytes.indexOf('\n\n');
  if (headerEnd < 0) throw new Error(`${file}: no NRRD header end`);
  const fields = new Map<string, string>();
  for (const line of bytes.subarray(0, headerEnd).toString('latin1').split('\n')) {
    if (line.startsWith('#') || !line.includes(':')) continue;
    const [key, ...rest] = line.split(':');
    fields.set((key ?? '').trim(), rest.join(':').trim());
  }
  const type = TYPE_BYTES[fields.get('type') ?? ''];
  if (!type) throw new Error(`${file}: unsupported NRRD type ${fields.get('type')}`);
  if ((fields.get('endian') ?? 'little') !== 'little') throw new Error(`${file}: big endian NRRD`);
  const encoding = fields.get('encoding');
  const payload = bytes.subarray(headerEnd + 2);
  const raw = encoding === 'gzip' || encoding === 'gz' ? gunzipSync(payload) : payload;
  if (encoding !== 'gzip' && encoding !== 'gz' && encoding !== 'raw') {
    throw new Error(`${file}: unsupported NRRD encoding ${encoding}`);
  }
  const sizes = (fields.get('sizes') ?? '').split(/\s+/).map(Number);
  const count = sizes.reduce((a, b) => a * b, 1);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  if (raw.byteLength < count * type.bytes) throw new Error(`${file}: NRRD data is short`);
  const data = new Int32Array(count);
  for (let i = 0; i < count; i++) data[i] = type.read(view, i * type.bytes);
  return {
    sizes,
    spaceDirections: parseVectors(fields.get('space directions') ?? ''),
    spaceOrigin: parseVectors(fields.get('space origin') ?? '')[0] ?? [0, 0, 0],
    data,
  };
}

/**
 * The slice of an axis-aligned NRRD at patient position `position` (the first
 * pixel's centre), as `label`-valued 0/1 mask, or undefined when no slice
 * lies within `toleranceMm` of it.
 */
export function sliceMaskAt(
  nrrd: Nrrd,
  position: readonly number[],
  label: number,
  toleranceMm = 0.01,
): Uint8Array | undefined {
  const [nx = 0, ny = 0, nz = 0] = nrrd.sizes;
  const zStep = nrrd.spaceDirections[2]?.[2] ?? 1;
  const k = Math.round(((position[2] ?? 0) - (nrrd.spaceOrigin[2] ?? 0)) / zStep);
  const z = (nrrd.spaceOrigin[2] ?? 0) + k * zStep;
  const inPlane =
    Math.abs((position[0] ?? 0) - (nrrd.spaceOrigin[0] ?? 0)) <= toleranceMm &&
    Math.abs((position[1] ?? 0) - (nrrd.spaceOrigin[1] ?? 0)) <= toleranceMm;
  if (k < 0 || k >= nz || Math.abs(z - (position[2] ?? 0)) > toleranceMm || !inPlane)
    return undefined;
  const plane = nx * ny;
  const mask = new Uint8Array(plane);
  for (let p = 0; p < plane; p++) mask[p] = nrrd.data[k * plane + p] === label ? 1 : 0;
  return mask;
}
