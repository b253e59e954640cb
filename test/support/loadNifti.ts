/**
 * Test helper: reads a (gzipped) NIfTI-1 volume with nifti-reader-js and maps
 * its voxels onto a DICOM series' slice / row / column order.
 *
 * The mapping goes through patient space, never through assumptions about
 * axis order:
 *   1. NIfTI world coordinates are RAS+ (x to the left of the patient is
 *      negative); DICOM patient coordinates are LPS+. So a NIfTI voxel (i, j, k)
 *      is at LPS = diag(−1, −1, 1) · A · (i, j, k, 1), with A the header affine.
 *   2. A DICOM voxel (slice s, row r, column c) is at
 *      IPP_s + c · ΔC · rowDirection + r · ΔR · columnDirection.
 *   3. For each NIfTI axis, the step of one voxel is projected on the DICOM
 *      row direction, column direction and normal. Each NIfTI axis must land
 *      on exactly one DICOM axis with a step of ±1 pixel (in plane) or on the
 *      normal (through the slices); slices are matched by position along the
 *      normal, so uneven slice gaps are fine. Anything else (oblique
 *      resampling, another grid) is refused.
 * The header affine is nifti-reader-js's: the qform (method 2) when its code
 * is higher than the sform's, else the sform (method 3); a file with neither
 * has no patient orientation and is refused.
 *
 * Example: ../shared/data/ct-organs labels are LAS. Their j axis runs
 * anterior, the DICOM rows run posterior, so NIfTI j = 511 is DICOM row 0
 * (the "rows flipped" of the data README); k = 0 is the slice at z = −804.5.
 */

import { readFileSync } from 'node:fs';
import { buildSync } from 'esbuild';
import type * as NiftiReader from 'nifti-reader-js';
import {
  computeSliceNormal,
  dot,
  type SeriesGeometry,
  type Vec3,
} from '../../extension/src/core/dicom/seriesGeometry';

export interface NiftiVolume {
  /** Voxels along i, j, k. */
  dims: [number, number, number];
  /** Voxel values with scl_slope / scl_inter applied, i fastest, then j, then k. */
  data: Float32Array;
  /** Voxel (i, j, k) → RAS+ mm, 4 × 4 row-major. */
  affine: number[][];
  affineSource: 'qform' | 'sform';
}

/** Tolerance, in pixels or in mm along the normal, for "on the DICOM grid". */
const GRID_TOLERANCE = 0.05;
/** RAS+ → LPS+: negate x and y. */
const RAS_TO_LPS: Vec3 = [-1, -1, 1];

type NiftiReaderModule = typeof NiftiReader;
let niftiReader: NiftiReaderModule | undefined;

/**
 * nifti-reader-js 0.8 is ECMAScript-module only, and jest here runs CommonJS,
 * so the package is bundled to CommonJS with esbuild once per test file.
 */
function loadNiftiReader(): NiftiReaderModule {
  if (niftiReader) return niftiReader;
  const bundle = buildSync({
    stdin: { contents: "export * from 'nifti-reader-js';", resolveDir: __dirname, loader: 'js' },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    write: false,
    logLevel: 'silent',
  });
  const code = bundle.outputFiles[0]?.text;
  if (code === undefined) throw new Error('esbuild produced no bundle of nifti-reader-js');
  const module = { exports: {} as NiftiReaderModule };
  new Function('module', 'exports', 'require', code)(module, module.exports, require);
  niftiReader = module.exports;
  return niftiReader;
}

function readVoxels(header: NiftiReader.NIFTI1, image: ArrayBuffer, count: number): Float32Array {
  const reader = loadNiftiReader();
  const { NIFTI1 } = reader;
  const typed: ArrayLike<number> = (() => {
    switch (header.datatypeCode) {
      case NIFTI1.TYPE_UINT8: return new Uint8Array(image, 0, count);
      case NIFTI1.TYPE_INT8: return new Int8Array(image, 0, count);
      case NIFTI1.TYPE_INT16: return new Int16Array(image, 0, count);
      case NIFTI1.TYPE_UINT16: return new Uint16Array(image, 0, count);
      case NIFTI1.TYPE_INT32: return new Int32Array(image, 0, count);
      case NIFTI1.TYPE_FLOAT32: return new Float32Array(image, 0, count);
      case NIFTI1.TYPE_FLOAT64: return new Float64Array(image, 0, count);
      default: throw new Error(`NIfTI datatype ${header.datatypeCode} is not supported`);
    }
  })();
  if (!header.littleEndian) throw new Error('Big-endian NIfTI is not supported');
  // scl_slope 0 means "no scaling" in NIfTI-1.
  const slope = header.scl_slope === 0 || !Number.isFinite(header.scl_slope) ? 1 : header.scl_slope;
  const intercept = Number.isFinite(header.scl_inter) ? header.scl_inter : 0;
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = (typed[i] ?? NaN) * slope + intercept;
  return data;
}

/** Reads a .nii or .nii.gz file (3-D, NIfTI-1, little endian). */
export function loadNifti(file: string): NiftiVolume {
  const reader = loadNiftiReader();
  const raw = readFileSync(file);
  let buffer: ArrayBuffer = new Uint8Array(raw).buffer;
  if (reader.isCompressed(buffer)) buffer = reader.decompress(buffer) as ArrayBuffer;
  if (!reader.isNIFTI1(buffer)) throw new Error(`${file} is not NIfTI-1`);
  const header = reader.readHeader(buffer) as NiftiReader.NIFTI1;
  const [, nx = 0, ny = 1, nz = 1] = header.dims;
  if ((header.dims[0] ?? 0) > 3 && header.dims.slice(4).some((d) => d > 1)) {
    throw new Error(`${file} is not a 3-D volume`);
  }
  let affineSource: NiftiVolume['affineSource'];
  if (header.qform_code > 0 && header.sform_code < header.qform_code) affineSource = 'qform';
  else if (header.sform_code > 0) affineSource = 'sform';
  else throw new Error(`${file} has neither qform nor sform: no patient orientation`);
  const image = reader.readImage(header, buffer);
  return {
    dims: [nx, ny, nz],
    data: readVoxels(header, image, nx * ny * nz),
    affine: header.affine.map((row) => [...row]),
    affineSource,
  };
}

function applyAffineLps(affine: number[][], i: number, j: number, k: number): Vec3 {
  const out = [0, 1, 2].map((axis) => {
    const row = affine[axis] ?? [];
    const ras = (row[0] ?? 0) * i + (row[1] ?? 0) * j + (row[2] ?? 0) * k + (row[3] ?? 0);
    return ras * RAS_TO_LPS[axis]!;
  });
  return out as Vec3;
}

/** DICOM (column, row, distance along the normal from slice 0) of a LPS point. */
function toDicomIndexSpace(geometry: SeriesGeometry, point: Vec3): Vec3 {
  const first = geometry.images[0];
  if (!first) throw new Error('The series has no images');
  const o = first.ImageOrientationPatient;
  const normal = computeSliceNormal(first);
  const d: Vec3 = [
    point[0] - first.ImagePositionPatient[0],
    point[1] - first.ImagePositionPatient[1],
    point[2] - first.ImagePositionPatient[2],
  ];
  return [
    dot(d, [o[0], o[1], o[2]]) / first.PixelSpacing[1],
    dot(d, [o[3], o[4], o[5]]) / first.PixelSpacing[0],
    dot(d, normal),
  ];
}

interface AxisMap {
  /** DICOM axis: 0 column, 1 row, 2 slice. */
  dicomAxis: 0 | 1 | 2;
  /** In-plane step per NIfTI voxel: +1 or −1 (unused for the slice axis). */
  step: number;
}

function mapAxes(volume: NiftiVolume, geometry: SeriesGeometry): AxisMap[] {
  const origin = toDicomIndexSpace(geometry, applyAffineLps(volume.affine, 0, 0, 0));
  const maps = [0, 1, 2].map((axis): AxisMap => {
    const unit = [0, 0, 0];
    unit[axis] = 1;
    const stepped = applyAffineLps(volume.affine, unit[0]!, unit[1]!, unit[2]!);
    const moved = toDicomIndexSpace(geometry, stepped);
    const delta = moved.map((v, a) => v - origin[a]!);
    const [dc = 0, dr = 0, dz = 0] = delta;
    if (Math.abs(dz) > GRID_TOLERANCE) {
      if (Math.abs(dc) > GRID_TOLERANCE || Math.abs(dr) > GRID_TOLERANCE) {
        throw new Error('Oblique NIfTI axis');
      }
      return { dicomAxis: 2, step: 0 };
    }
    if (Math.abs(Math.abs(dc) - 1) < GRID_TOLERANCE && Math.abs(dr) < GRID_TOLERANCE) {
      return { dicomAxis: 0, step: Math.sign(dc) };
    }
    if (Math.abs(Math.abs(dr) - 1) < GRID_TOLERANCE && Math.abs(dc) < GRID_TOLERANCE) {
      return { dicomAxis: 1, step: Math.sign(dr) };
    }
    throw new Error(`NIfTI axis ${axis} is not on the DICOM pixel grid (step ${delta.join(', ')})`);
  });
  if (new Set(maps.map((m) => m.dicomAxis)).size !== 3) {
    throw new Error('NIfTI axes do not span the series');
  }
  return maps;
}

function assertOnGrid(value: number, what: string): number {
  const rounded = Math.round(value);
  if (Math.abs(value - rounded) > GRID_TOLERANCE) {
    throw new Error(`${what} is off the grid: ${value}`);
  }
  return rounded;
}

/** For each NIfTI plane along the slice axis, the DICOM slice index at its position. */
function matchSlices(volume: NiftiVolume, geometry: SeriesGeometry, sliceAxis: number): number[] {
  const first = geometry.images[0];
  if (!first) throw new Error('The series has no images');
  const normal = computeSliceNormal(first);
  const offsets = geometry.images.map((image) =>
    dot(image.ImagePositionPatient, normal) - dot(first.ImagePositionPatient, normal),
  );
  const slices: number[] = [];
  for (let n = 0; n < volume.dims[sliceAxis]!; n++) {
    const ijk: Vec3 = [0, 0, 0];
    ijk[sliceAxis] = n;
    const distance = toDicomIndexSpace(geometry, applyAffineLps(volume.affine, ...ijk))[2];
    const s = offsets.findIndex((offset) => Math.abs(offset - distance) < GRID_TOLERANCE);
    if (s < 0) throw new Error(`NIfTI plane ${n} falls between the DICOM slices`);
    slices.push(s);
  }
  if (new Set(slices).size !== geometry.images.length || slices.length !== geometry.images.length) {
    throw new Error('The NIfTI planes do not match the DICOM slices one to one');
  }
  return slices;
}

/**
 * Re-indexes (never resamples) NIfTI voxels into the series' slices: one
 * row-major Float32Array per DICOM image, in geometry order. The two grids
 * must be the same up to axis order and direction (see the module comment).
 *
 * @throws Error when they are not.
 */
export function mapNiftiToSeries(volume: NiftiVolume, geometry: SeriesGeometry): Float32Array[] {
  const first = geometry.images[0];
  if (!first) throw new Error('The series has no images');
  const { Rows: rows, Columns: columns } = first;
  const axes = mapAxes(volume, geometry);
  const sliceAxis = axes.findIndex((a) => a.dicomAxis === 2);
  const sliceOf = matchSlices(volume, geometry, sliceAxis);
  const origin = toDicomIndexSpace(geometry, applyAffineLps(volume.affine, 0, 0, 0));
  const start = [
    assertOnGrid(origin[0], 'NIfTI column origin'),
    assertOnGrid(origin[1], 'NIfTI row origin'),
  ];
  const [nx, ny, nz] = volume.dims;
  const inPlane = axes.map((a) => (a.dicomAxis === 2 ? 0 : a.dicomAxis));
  const sizes = [columns, rows];
  for (const [axis, map] of axes.entries()) {
    if (map.dicomAxis === 2) continue;
    const last = start[map.dicomAxis]! + map.step * (volume.dims[axis]! - 1);
    const size = sizes[map.dicomAxis]!;
    if (volume.dims[axis] !== size || Math.min(start[map.dicomAxis]!, last) !== 0) {
      throw new Error(`NIfTI axis ${axis} does not cover the ${size} DICOM pixels exactly`);
    }
  }
  const out = geometry.images.map(() => new Float32Array(rows * columns));
  const index = [0, 0];
  for (let k = 0, v = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++, v++) {
        const ijk = [i, j, k];
        let slice = 0;
        for (const [axis, map] of axes.entries()) {
          const n = ijk[axis]!;
          if (map.dicomAxis === 2) slice = sliceOf[n]!;
          else index[inPlane[axis]!] = start[map.dicomAxis]! + map.step * n;
        }
        out[slice]![index[1]! * columns + index[0]!] = volume.data[v]!;
      }
    }
  }
  return out;
}

/** Binary masks (null for empty slices) of the voxels whose value satisfies `inside`. */
export function selectMask(
  slices: readonly Float32Array[],
  inside: (value: number) => boolean,
): (Uint8Array | null)[] {
  return slices.map((slice) => {
    const mask = new Uint8Array(slice.length);
    let any = false;
    for (let i = 0; i < slice.length; i++) {
      if (inside(slice[i]!)) {
        mask[i] = 1;
        any = true;
      }
    }
    return any ? mask : null;
  });
}
