/**
 * A propagation stop rule: the outline has left the lesion when the mean
 * modality value under it drifts away from the start slice's lesion. SAM-family
 * models without medical training keep returning a blob of the box's size on
 * every slice past the lesion's end (fat, muscle); their confidence estimate
 * stays high there, but the tissue under the mask changes.
 */

export interface IntensityStats {
  voxels: number;
  mean: number;
  /** Population standard deviation. */
  sd: number;
}

/** Mean and SD of the pixel values under a mask. */
export function computeMaskIntensity(mask: ArrayLike<number>, pixels: ArrayLike<number>): IntensityStats {
  if (mask.length !== pixels.length) {
    throw new RangeError(`mask has ${mask.length} values, the image ${pixels.length}`);
  }
  let voxels = 0;
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    const v = pixels[i] as number;
    voxels++;
    sum += v;
    squares += v * v;
  }
  const mean = voxels ? sum / voxels : Number.NaN;
  const sd = voxels ? Math.sqrt(Math.max(0, squares / voxels - mean * mean)) : Number.NaN;
  return { voxels, mean, sd };
}

/**
 * True when `current` has drifted more than `maxSd` standard deviations of the
 * reference away from the reference mean. `maxSd` 0 disables the rule.
 */
export function hasDrifted(reference: IntensityStats, current: IntensityStats, maxSd: number): boolean {
  if (maxSd <= 0 || reference.voxels === 0 || current.voxels === 0) return false;
  // A uniform reference (SD 0) would stop at the first changed value: allow one unit.
  const spread = Math.max(reference.sd, Number.EPSILON);
  return Math.abs(current.mean - reference.mean) > maxSd * spread;
}
