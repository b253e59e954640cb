/**
 * Intensity statistics of the voxels inside a segment, in the modality's units.
 */

import type { SliceMasks } from './segmentInput';

export interface IntensityStatistics {
  /** Unit of every value below (see computeIntensityUnit). */
  unit: string;
  /** Voxels the statistics were taken over. */
  count: number;
  mean: number;
  /**
   * Population standard deviation (divides by count, not count − 1): the mask
   * is the whole lesion, not a sample of it.
   */
  standardDeviation: number;
  min: number;
  max: number;
  /** Middle value; the mean of the two middle values for an even count. */
  median: number;
}

/** Swaps two entries of a typed array. */
function swap(values: Float64Array, i: number, j: number): void {
  const t = values[i] ?? 0;
  values[i] = values[j] ?? 0;
  values[j] = t;
}

/**
 * The k-th smallest value (0-based), rearranging `values` in place
 * (Hoare's selection with a median-of-three pivot): O(n) on average, so a
 * lesion of millions of voxels needs no full sort.
 */
export function selectKth(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] ?? 0) < (values[lo] ?? 0)) swap(values, mid, lo);
    if ((values[hi] ?? 0) < (values[lo] ?? 0)) swap(values, hi, lo);
    if ((values[hi] ?? 0) < (values[mid] ?? 0)) swap(values, hi, mid);
    const pivot = values[mid] ?? 0;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((values[i] ?? 0) < pivot) i++;
      while ((values[j] ?? 0) > pivot) j--;
      if (i <= j) {
        swap(values, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k] ?? NaN;
  }
  return values[k] ?? NaN;
}

function computeMedian(values: Float64Array): number {
  const n = values.length;
  const upper = selectKth(values, n >> 1);
  if (n % 2 === 1) return upper;
  // After selecting the upper middle, every value left of it is ≤ it, so the
  // lower middle is the largest of those.
  let lower = -Infinity;
  for (let i = 0; i < n >> 1; i++) lower = Math.max(lower, values[i] ?? -Infinity);
  return (lower + upper) / 2;
}

/**
 * Values under a mask, slice by slice in series order, each multiplied by its
 * slice's scale (e.g. a per-slice SUV factor) when one is given. Slices whose
 * count in `voxelCountPerSlice` is 0 are skipped unread.
 */
export function collectMaskedValues(
  mask: SliceMasks,
  pixels: ReadonlyArray<Float32Array>,
  voxelCount: number,
  scalePerSlice?: ArrayLike<number>,
  voxelCountPerSlice?: ArrayLike<number>,
): Float64Array {
  const values = new Float64Array(voxelCount);
  let n = 0;
  for (const [s, slice] of mask.entries()) {
    const image = pixels[s];
    if (slice === null || !image || voxelCountPerSlice?.[s] === 0) continue;
    const scale = scalePerSlice ? (scalePerSlice[s] ?? NaN) : 1;
    for (let i = 0; i < slice.length; i++) {
      if (slice[i] !== 0) values[n++] = (image[i] ?? NaN) * scale;
    }
  }
  if (n !== voxelCount) throw new RangeError(`Expected ${voxelCount} masked voxels, found ${n}`);
  return values;
}

/**
 * Mean, population SD, min, max and median of the masked voxels, or null for
 * an empty mask. The mean and SD are two-pass sums in float64.
 *
 * @param voxelCount the mask's voxel count (computeVolume), to size the buffer.
 * @param unit label of the values' unit, carried into the result.
 * @param scalePerSlice optional factor per slice applied to the pixels first.
 * @param voxelCountPerSlice optional (computeVolume): lets empty slices be skipped.
 */
export function computeIntensityStatistics(
  mask: SliceMasks,
  pixels: ReadonlyArray<Float32Array>,
  voxelCount: number,
  unit: string,
  scalePerSlice?: ArrayLike<number>,
  voxelCountPerSlice?: ArrayLike<number>,
): IntensityStatistics | null {
  if (voxelCount === 0) return null;
  const values = collectMaskedValues(mask, pixels, voxelCount, scalePerSlice, voxelCountPerSlice);
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    sum += value;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  const mean = sum / voxelCount;
  let squares = 0;
  for (const value of values) squares += (value - mean) * (value - mean);
  const standardDeviation = Math.sqrt(squares / voxelCount);
  const median = computeMedian(values);
  return { unit, count: voxelCount, mean, standardDeviation, min, max, median };
}
