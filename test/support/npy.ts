/**
 * Reading and writing NumPy `.npy` files (format version 1.0, C order, little
 * endian), for tests that hand tensors to and from the Python reference
 * (models/reference) and toolchain.
 */
import { readFileSync, writeFileSync } from 'fs';

/** Element types the tests exchange, by NumPy descr. */
const DTYPES = {
  '<f4': Float32Array,
  '<f8': Float64Array,
  '|u1': Uint8Array,
  '<i2': Int16Array,
  '<i4': Int32Array,
} as const;

export type NpyDescr = keyof typeof DTYPES;
export type NpyData = Float32Array | Float64Array | Uint8Array | Int16Array | Int32Array;

export interface NpyArray {
  descr: NpyDescr;
  shape: number[];
  data: NpyData;
}

const MAGIC = '\x93NUMPY';
/** The header (magic to newline) is padded to a multiple of this. */
const HEADER_ALIGN = 64;

/** Parses a `.npy` file; throws on a layout these tests never produce. */
export function readNpy(path: string): NpyArray {
  const bytes = readFileSync(path);
  if (bytes.subarray(0, 6).toString('latin1') !== MAGIC) throw new Error(`${path} is not .npy`);
  const major = bytes[6];
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = bytes.subarray(start, start + headerLength).toString('latin1');
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (/'fortran_order':\s*True/.test(header)) throw new Error(`${path}: Fortran order`);
  if (descr === undefined || !(descr in DTYPES) || shapeText === undefined) {
    throw new Error(`${path}: unsupported header ${header}`);
  }
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  const Ctor = DTYPES[descr as NpyDescr];
  const offset = start + headerLength;
  const body = bytes.subarray(offset);
  // copy: the Buffer's offset need not suit the element alignment
  const aligned = new Uint8Array(body.length);
  aligned.set(body);
  const count = shape.reduce((a, b) => a * b, 1);
  return { descr: descr as NpyDescr, shape, data: new Ctor(aligned.buffer, 0, count) };
}

/** Writes a `.npy` file (version 1.0). */
export function writeNpy(path: string, array: NpyArray): void {
  const shape = array.shape.length === 1 ? `(${array.shape[0]},)` : `(${array.shape.join(', ')})`;
  let header = `{'descr': '${array.descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  const unpadded = MAGIC.length + 2 + 2 + header.length + 1;
  header += ' '.repeat((HEADER_ALIGN - (unpadded % HEADER_ALIGN)) % HEADER_ALIGN) + '\n';
  const prefix = Buffer.alloc(MAGIC.length + 4);
  prefix.write(MAGIC, 0, 'latin1');
  prefix[6] = 1;
  prefix[7] = 0;
  prefix.writeUInt16LE(header.length, 8);
  const body = Buffer.from(array.data.buffer, array.data.byteOffset, array.data.byteLength);
  writeFileSync(path, Buffer.concat([prefix, Buffer.from(header, 'latin1'), body]));
}
