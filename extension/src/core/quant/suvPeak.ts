/**
 * SUVpeak after PERCIST 1.0 (Wahl, Jacene, Kasamon, Lodge, "From RECIST to
 * PERCIST: evolving considerations for PET response criteria in solid
 * tumors", J Nucl Med 2009;50 Suppl 1:122S-150S, doi:10.2967/jnumed.108.057307):
 * the mean uptake in a 1 cm³ sphere (about 1.2 cm across) placed on the
 * hottest part of the tumour, which need not contain the hottest voxel.
 *
 * Our choice, precisely:
 * - sphere of 1 mL, radius (3 / 4π)^(1/3) cm ≈ 6.2 mm;
 * - it holds every image voxel whose centre lies within the radius of the
 *   sphere's centre, inside the lesion or not (PERCIST places the sphere on
 *   the image; it is not clipped to the contour); voxels beyond the image edge
 *   are simply absent;
 * - the centre is the centre of a lesion voxel, chosen to maximise the
 *   sphere's mean (ties: first in slice, row, column order);
 * - distances use the true slice positions and pixel spacing.
 * PERCIST itself uses SUL (lean body mass); we apply the same sphere to
 * whatever SUV the factors give (SUVbw here). On coarse PET grids the voxel
 * centres approximate the sphere: e.g. 4.69 × 4.69 × 3.27 mm voxels give 15
 * voxels, 1.08 mL.
 */

import type { SliceMasks } from './segmentInput';
import type { ImageIndex } from './diameters';
import { computePatientPosition, type VoxelGrid } from './voxelGrid';
import type { Vec3 } from '../dicom/seriesGeometry';

/** PERCIST's SUVpeak sphere volume, mL (= cm³). */
export const SUV_PEAK_SPHERE_VOLUME_ML = 1;
/** Radius of that sphere, mm: (3V / 4π)^(1/3) with V in mm³. */
export const SUV_PEAK_RADIUS_MM = Math.cbrt((3 * SUV_PEAK_SPHERE_VOLUME_ML * 1000) / (4 * Math.PI));

export interface SuvPeakResult {
  /** Mean SUV inside the sphere. */
  value: number;
  /** Centre voxel of the sphere. */
  centre: ImageIndex;
  centrePatientMm: Vec3;
  /** Voxels averaged (the sphere's voxel approximation, less any beyond the image). */
  voxelCount: number;
}

/** In-plane offsets (row, column) of one neighbouring slice inside the sphere. */
interface SliceOffsets {
  slice: number;
  rows: Int32Array;
  columns: Int32Array;
}

function buildInPlaneOffsets(grid: VoxelGrid, radiusSquared: number): { rows: Int32Array; columns: Int32Array } {
  const rows: number[] = [];
  const columns: number[] = [];
  const maxRow = Math.floor(Math.sqrt(radiusSquared) / grid.rowSpacingMm);
  const maxColumn = Math.floor(Math.sqrt(radiusSquared) / grid.columnSpacingMm);
  for (let dr = -maxRow; dr <= maxRow; dr++) {
    for (let dc = -maxColumn; dc <= maxColumn; dc++) {
      const y = dr * grid.rowSpacingMm;
      const x = dc * grid.columnSpacingMm;
      if (x * x + y * y <= radiusSquared) {
        rows.push(dr);
        columns.push(dc);
      }
    }
  }
  return { rows: Int32Array.from(rows), columns: Int32Array.from(columns) };
}

/** The sphere's voxel offsets around a centre on slice `s`. */
function buildSphereOffsets(grid: VoxelGrid, s: number, radiusMm: number): SliceOffsets[] {
  const positions = grid.slicePositionsMm;
  const centre = positions[s] ?? NaN;
  const offsets: SliceOffsets[] = [];
  for (let t = 0; t < positions.length; t++) {
    const dz = (positions[t] ?? NaN) - centre;
    const remaining = radiusMm * radiusMm - dz * dz;
    if (remaining >= 0) offsets.push({ slice: t, ...buildInPlaneOffsets(grid, remaining) });
  }
  return offsets;
}

function sphereMean(
  grid: VoxelGrid,
  pixels: ReadonlyArray<Float32Array>,
  factors: ArrayLike<number>,
  sphere: readonly SliceOffsets[],
  row: number,
  column: number,
): { mean: number; count: number } {
  let sum = 0;
  let count = 0;
  for (const { slice, rows, columns } of sphere) {
    const image = pixels[slice];
    if (!image) continue;
    const factor = factors[slice] ?? NaN;
    for (let k = 0; k < rows.length; k++) {
      const r = row + (rows[k] ?? 0);
      const c = column + (columns[k] ?? 0);
      if (r < 0 || r >= grid.rows || c < 0 || c >= grid.columns) continue;
      sum += (image[r * grid.columns + c] ?? NaN) * factor;
      count++;
    }
  }
  return { mean: sum / count, count };
}

/**
 * SUVpeak of a lesion (definition in the module comment), or null for an
 * empty mask.
 *
 * @param factors SUV factor per slice (computeSuvScaling); 1s for stored SUV.
 */
export function computeSuvPeak(
  mask: SliceMasks,
  pixels: ReadonlyArray<Float32Array>,
  grid: VoxelGrid,
  factors: ArrayLike<number>,
  radiusMm: number = SUV_PEAK_RADIUS_MM,
): SuvPeakResult | null {
  let best: SuvPeakResult | null = null;
  for (const [s, slice] of mask.entries()) {
    if (slice === null) continue;
    let sphere: SliceOffsets[] | null = null;
    for (let i = 0; i < slice.length; i++) {
      if (slice[i] === 0) continue;
      // Built lazily per slice: slice gaps may differ, so may the sphere.
      sphere ??= buildSphereOffsets(grid, s, radiusMm);
      const row = Math.floor(i / grid.columns);
      const column = i % grid.columns;
      const { mean, count } = sphereMean(grid, pixels, factors, sphere, row, column);
      if (best === null || mean > best.value) {
        best = {
          value: mean,
          centre: { sliceIndex: s, row, column },
          centrePatientMm: computePatientPosition(grid, s, row, column),
          voxelCount: count,
        };
      }
    }
  }
  return best;
}
