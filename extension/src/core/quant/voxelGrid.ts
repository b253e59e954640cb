/**
 * The voxel grid that every measurement works on: one validated view of a
 * SeriesGeometry with the per-slice slab thickness that turns voxel counts
 * into volumes.
 */

import {
  computeSliceNormal,
  computeSlicePosition,
  type SeriesGeometry,
  type Vec3,
} from '../dicom/seriesGeometry';
import { QuantError } from './errors';

/** Cosines of two images may differ by this much and still count as parallel. */
const ORIENTATION_TOLERANCE = 1e-4;
/** Pixel spacings (mm) may differ by this much between images of one series. */
const SPACING_TOLERANCE_MM = 1e-4;
/** Neighbouring slices closer than this (mm) are treated as duplicates. */
const MIN_SLICE_GAP_MM = 1e-3;

/** DICOM attributes used only when a series has a single slice. */
export interface NominalSliceSpacing {
  /** (0018,0050) mm: the thickness of the imaged slab. */
  SliceThickness?: number;
  /** (0018,0088) mm: nominal centre-to-centre distance. */
  SpacingBetweenSlices?: number;
}

/** Where the slab thickness of the slices came from. */
export type SliceThicknessSource = 'positions' | 'SliceThickness' | 'SpacingBetweenSlices';

/** A validated, sorted stack of parallel images with the same raster. */
export interface VoxelGrid {
  rows: number;
  columns: number;
  /** Distance between the centres of neighbouring rows (PixelSpacing[0]), mm. */
  rowSpacingMm: number;
  /** Distance between the centres of neighbouring columns (PixelSpacing[1]), mm. */
  columnSpacingMm: number;
  /** Direction of increasing column index (ImageOrientationPatient[0..2]). */
  rowDirection: Vec3;
  /** Direction of increasing row index (ImageOrientationPatient[3..5]). */
  columnDirection: Vec3;
  /** Slice normal, rowDirection × columnDirection. */
  normal: Vec3;
  /** ImagePositionPatient of each slice, mm. */
  origins: Vec3[];
  /** Position of each slice along the normal, ascending, mm. */
  slicePositionsMm: number[];
  /** Slab thickness each slice stands for in volumes, mm (see computeVoxelGrid). */
  sliceThicknessesMm: number[];
  sliceThicknessSource: SliceThicknessSource;
}

function sameWithin(a: readonly number[], b: readonly number[], tolerance: number): boolean {
  return (
    a.length === b.length && a.every((value, i) => Math.abs(value - (b[i] ?? NaN)) <= tolerance)
  );
}

/**
 * Thickness of the slab each slice represents, from the slice positions.
 * Each slice owns the half-gaps to its neighbours (a midpoint rule), so uniform
 * stacks get exactly their spacing, a missing slice widens its neighbours'
 * slabs by half the gap each, and the end slices take their single gap. The
 * sum is the distance between the first and last positions plus one mean end
 * gap, which is what count × spacing gives for uniform spacing.
 */
function computeSlabThicknesses(positions: readonly number[]): number[] {
  const n = positions.length;
  return positions.map((position, i) => {
    const previous = positions[i - 1];
    const next = positions[i + 1];
    if (previous !== undefined && next !== undefined) return (next - previous) / 2;
    if (next !== undefined) return next - position;
    if (previous !== undefined) return position - previous;
    throw new QuantError('quant.sliceSpacingUnknown', `No neighbour for slice ${i} of ${n}`);
  });
}

function computeSingleSliceThickness(nominal: NominalSliceSpacing | undefined): {
  thickness: number;
  source: SliceThicknessSource;
} {
  // A lone slice stands for the slab that was imaged, so SliceThickness wins;
  // SpacingBetweenSlices is the fallback because some MR headers only carry it.
  const thickness = nominal?.SliceThickness;
  if (thickness !== undefined && thickness > 0) return { thickness, source: 'SliceThickness' };
  const spacing = nominal?.SpacingBetweenSlices;
  if (spacing !== undefined && spacing > 0) {
    return { thickness: spacing, source: 'SpacingBetweenSlices' };
  }
  throw new QuantError(
    'quant.sliceSpacingUnknown',
    'A single slice needs SliceThickness or SpacingBetweenSlices to have a volume',
  );
}

/**
 * Validates a series and derives its voxel grid.
 *
 * Volumes use the distance between slice positions along the normal, never the
 * nominal SliceThickness (overlapping reconstructions have thickness > spacing).
 * Non-uniform gaps are handled per slice with a midpoint rule: slice i stands
 * for (p[i+1] − p[i−1]) / 2, the end slices for their one gap. A single slice
 * uses SliceThickness, else SpacingBetweenSlices, from `nominal`.
 *
 * @throws QuantError `quant.geometryInconsistent` when images differ in raster,
 *   spacing or orientation; `quant.slicesNotSorted` when positions do not rise
 *   strictly along the normal; `quant.sliceSpacingUnknown` for a lone slice
 *   without nominal spacing.
 */
export function computeVoxelGrid(
  geometry: SeriesGeometry,
  nominal?: NominalSliceSpacing,
): VoxelGrid {
  const first = geometry.images[0];
  if (!first) throw new QuantError('quant.geometryInconsistent', 'The series has no images');
  const o = first.ImageOrientationPatient;
  for (const [i, image] of geometry.images.entries()) {
    const consistent =
      image.Rows === first.Rows &&
      image.Columns === first.Columns &&
      sameWithin(image.PixelSpacing, first.PixelSpacing, SPACING_TOLERANCE_MM) &&
      sameWithin(image.ImageOrientationPatient, o, ORIENTATION_TOLERANCE);
    if (!consistent) {
      throw new QuantError(
        'quant.geometryInconsistent',
        `Image ${i} differs from image 0 in size, pixel spacing or orientation`,
      );
    }
  }
  const normal = computeSliceNormal(first);
  const positions = geometry.images.map((image) => computeSlicePosition(image, normal));
  for (let i = 1; i < positions.length; i++) {
    const gap = (positions[i] ?? NaN) - (positions[i - 1] ?? NaN);
    if (!(gap > MIN_SLICE_GAP_MM)) {
      throw new QuantError(
        'quant.slicesNotSorted',
        `Slice ${i} is not above slice ${i - 1} along the normal (gap ${gap} mm)`,
      );
    }
  }
  let thicknesses: number[];
  let source: SliceThicknessSource = 'positions';
  if (positions.length === 1) {
    const single = computeSingleSliceThickness(nominal);
    thicknesses = [single.thickness];
    source = single.source;
  } else {
    thicknesses = computeSlabThicknesses(positions);
  }
  return {
    rows: first.Rows,
    columns: first.Columns,
    rowSpacingMm: first.PixelSpacing[0],
    columnSpacingMm: first.PixelSpacing[1],
    rowDirection: [o[0], o[1], o[2]],
    columnDirection: [o[3], o[4], o[5]],
    normal,
    origins: geometry.images.map((image) => [...image.ImagePositionPatient]),
    slicePositionsMm: positions,
    sliceThicknessesMm: thicknesses,
    sliceThicknessSource: source,
  };
}

/**
 * Patient coordinates (mm) of a voxel centre given by 0-based slice, row and
 * column indices (fractional indices interpolate within the slice plane).
 */
export function computePatientPosition(
  grid: VoxelGrid,
  sliceIndex: number,
  row: number,
  column: number,
): Vec3 {
  const origin = grid.origins[sliceIndex];
  if (!origin) throw new RangeError(`Slice index ${sliceIndex} is outside the series`);
  const x = column * grid.columnSpacingMm;
  const y = row * grid.rowSpacingMm;
  const r = grid.rowDirection;
  const c = grid.columnDirection;
  return [
    origin[0] + x * r[0] + y * c[0],
    origin[1] + x * r[1] + y * c[1],
    origin[2] + x * r[2] + y * c[2],
  ];
}
