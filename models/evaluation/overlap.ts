/**
 * Overlap counts and Dice, accumulated over the slices of one structure so that
 * the figure is the 3D Dice of the whole structure, not a mean of slice Dices.
 */

/** Voxel counts of a prediction against its ground truth. */
export interface OverlapCounts {
  intersection: number;
  predicted: number;
  truth: number;
}

/** Empty counts, to add slices into. */
export function createOverlapCounts(): OverlapCounts {
  return { intersection: 0, predicted: 0, truth: 0 };
}

/**
 * Adds one slice's masks (non-zero = inside) to the counts.
 * @throws {RangeError} when the masks differ in length
 */
export function addSliceOverlap(
  counts: OverlapCounts,
  predicted: ArrayLike<number> | undefined,
  truth: ArrayLike<number>,
): void {
  if (predicted && predicted.length !== truth.length) {
    throw new RangeError(`mask of ${predicted.length} pixels against truth of ${truth.length}`);
  }
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i] !== 0;
    const p = predicted !== undefined && predicted[i] !== 0;
    if (t) counts.truth++;
    if (p) counts.predicted++;
    if (t && p) counts.intersection++;
  }
}

/**
 * Dice = 2|P ∩ T| / (|P| + |T|); 1 when both are empty (nothing to find, nothing found).
 * @example computeDice({ intersection: 3, predicted: 4, truth: 4 }) // 0.75
 */
export function computeDice(counts: OverlapCounts): number {
  const total = counts.predicted + counts.truth;
  return total === 0 ? 1 : (2 * counts.intersection) / total;
}
