/**
 * Whether a CT outline lies in air. Drawn by mistake beside the body, a box still
 * gets an outline from SAM (a patch of air, the table), offered like any other; a
 * radiologist should be told before accepting it. Air is -1000 HU and soft tissue
 * around 0 to 100: a mean below halfway (-500 HU) is no lesion a box is drawn
 * around, while a lung nodule's outline, mostly tissue, stays above it.
 */

/** Mean HU under a CT outline below which it is called air. */
export const AIR_MEAN_HU = -500;

/**
 * The mean HU under the outline when the series is CT and that mean is below
 * AIR_MEAN_HU; undefined otherwise (another modality, an empty outline, tissue).
 * @param values the slice in modality units (HU for CT), row-major like the mask
 */
export function findOutlineInAir(modality: string, values: ArrayLike<number>, mask: ArrayLike<number>): number | undefined {
  if (modality !== 'CT') return undefined;
  let n = 0;
  let sum = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    n++;
    sum += values[i] as number;
  }
  if (n === 0) return undefined;
  const mean = sum / n;
  return mean < AIR_MEAN_HU ? mean : undefined;
}
