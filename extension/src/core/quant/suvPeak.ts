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
 * Each candidate sums the sphere as chords along the rows (one prefix-sum
 * lookup per chord), so fine grids stay fast: a 0.7 mm grid has ~170 chords
 * for ~2,900 voxels.
 * PERCIST itself uses SUL (lean body mass); we apply the same sphere to
 * whatever SUV the factors give (SUVbw here). On coarse PET grids the voxel
 * centres approximate the sphere: e.g. 4.69 × 4.69 × 3.27 mm voxels give 15
 * voxels, 1.08 mL.
 */

import type { Vec3 } from '../dicom/seriesGeometry';
import type { ImageIndex } from './diameters';
import type { SliceMasks } from './segmentInput';
import { computeSliceBounds, type SliceBounds } from './sliceOutline';
import { computePatientPosition, type VoxelGrid } from './voxelGrid';

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

export interface SuvPeakOptions {
  /** Sphere radius, mm; default SUV_PEAK_RADIUS_MM. */
  radiusMm?: number;
  /** From computeVolume: slices with no lesion voxel are skipped unread. */
  voxelCountPerSlice?: ArrayLike<number>;
}

/** The columns c − halfWidth … c + halfWidth of row `row + rowOffset` on `slice`. */
interface Chord {
  slice: number;
  rowOffset: number;
  halfWidth: number;
}

/** Rectangle of rows and columns whose row prefix sums are kept. */
interface Region {
  r0: number;
  r1: number;
  c0: number;
  c1: number;
}

function buildChords(grid: VoxelGrid, s: number, radiusMm: number): Chord[] {
  const positions = grid.slicePositionsMm;
  const chords: Chord[] = [];
  const maxRowOffset = Math.floor(radiusMm / grid.rowSpacingMm);
  for (let t = 0; t < positions.length; t++) {
    const dz = (positions[t] ?? NaN) - (positions[s] ?? NaN);
    const planeSquared = radiusMm * radiusMm - dz * dz;
    if (!(planeSquared >= 0)) continue;
    for (let dr = -maxRowOffset; dr <= maxRowOffset; dr++) {
      const y = dr * grid.rowSpacingMm;
      // Inclusion is x² + y² ≤ r² − dz² at voxel centres; the estimate from
      // the square root is corrected with that exact test.
      const inside = (dc: number): boolean =>
        (dc * grid.columnSpacingMm) ** 2 + y * y <= planeSquared;
      if (!inside(0)) continue;
      const estimate = Math.sqrt(Math.max(0, planeSquared - y * y)) / grid.columnSpacingMm;
      let halfWidth = Math.floor(estimate);
      while (inside(halfWidth + 1)) halfWidth++;
      while (halfWidth > 0 && !inside(halfWidth)) halfWidth--;
      chords.push({ slice: t, rowOffset: dr, halfWidth });
    }
  }
  return chords;
}

/** Lesion bounding box widened by the sphere's reach, clipped to the image. */
function findRegion(
  mask: SliceMasks,
  grid: VoxelGrid,
  counts: ArrayLike<number> | undefined,
  radiusMm: number,
): Region | null {
  let bounds: SliceBounds | null = null;
  for (const [s, slice] of mask.entries()) {
    if (slice === null || counts?.[s] === 0) continue;
    const b = computeSliceBounds(slice, grid.rows, grid.columns);
    if (!b) continue;
    bounds = bounds
      ? {
          minRow: Math.min(bounds.minRow, b.minRow),
          maxRow: Math.max(bounds.maxRow, b.maxRow),
          minColumn: Math.min(bounds.minColumn, b.minColumn),
          maxColumn: Math.max(bounds.maxColumn, b.maxColumn),
        }
      : b;
  }
  if (!bounds) return null;
  const rowReach = Math.floor(radiusMm / grid.rowSpacingMm);
  const columnReach = Math.floor(radiusMm / grid.columnSpacingMm);
  return {
    r0: Math.max(0, bounds.minRow - rowReach),
    r1: Math.min(grid.rows - 1, bounds.maxRow + rowReach),
    c0: Math.max(0, bounds.minColumn - columnReach),
    c1: Math.min(grid.columns - 1, bounds.maxColumn + columnReach),
  };
}

/**
 * Row prefix sums of SUV over the region: entry (r − r0)(W + 1) + k is the sum
 * of the first k region columns of row r.
 */
function buildPrefixSums(
  image: Float32Array,
  factor: number,
  region: Region,
  columns: number,
): Float64Array {
  const width = region.c1 - region.c0 + 1;
  const sums = new Float64Array((region.r1 - region.r0 + 1) * (width + 1));
  for (let r = region.r0; r <= region.r1; r++) {
    const out = (r - region.r0) * (width + 1);
    const from = r * columns + region.c0;
    let running = 0;
    for (let k = 0; k < width; k++) {
      running += (image[from + k] ?? NaN) * factor;
      sums[out + k + 1] = running;
    }
  }
  return sums;
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
  options: SuvPeakOptions = {},
): SuvPeakResult | null {
  const radiusMm = options.radiusMm ?? SUV_PEAK_RADIUS_MM;
  const counts = options.voxelCountPerSlice;
  const region = findRegion(mask, grid, counts, radiusMm);
  if (!region) return null;
  const width = region.c1 - region.c0 + 1;
  // Prefix sums of the slices the current centre slice reaches; slices below
  // its reach are dropped, so memory stays a few slices deep.
  const prefix = new Map<number, Float64Array>();
  const prefixOf = (t: number): Float64Array => {
    let sums = prefix.get(t);
    if (!sums) {
      const image = pixels[t] ?? new Float32Array(0);
      sums = buildPrefixSums(image, factors[t] ?? NaN, region, grid.columns);
      prefix.set(t, sums);
    }
    return sums;
  };
  let best: SuvPeakResult | null = null;
  for (const [s, slice] of mask.entries()) {
    if (slice === null || counts?.[s] === 0) continue;
    const chords = buildChords(grid, s, radiusMm);
    const lowest = Math.min(...chords.map((c) => c.slice));
    for (const t of prefix.keys()) if (t < lowest) prefix.delete(t);
    const rowsOf = chords.map((c) => prefixOf(c.slice));
    for (let i = 0; i < slice.length; i++) {
      if (slice[i] === 0) continue;
      const row = Math.floor(i / grid.columns);
      const column = i % grid.columns;
      let sum = 0;
      let count = 0;
      for (let k = 0; k < chords.length; k++) {
        const { rowOffset, halfWidth } = chords[k] as Chord;
        const r = row + rowOffset;
        if (r < region.r0 || r > region.r1) continue;
        // Chords of lesion voxels stay inside the region wherever it was not
        // clipped by the image edge, so clipping to it is clipping to the image.
        const left = Math.max(column - halfWidth, region.c0);
        const right = Math.min(column + halfWidth, region.c1);
        const sums = rowsOf[k] as Float64Array;
        const base = (r - region.r0) * (width + 1) - region.c0;
        sum += (sums[base + right + 1] ?? NaN) - (sums[base + left] ?? NaN);
        count += right - left + 1;
      }
      const mean = sum / count;
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
