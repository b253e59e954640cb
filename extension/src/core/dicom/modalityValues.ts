/**
 * Stored pixel values to the modality's real values (HU for CT, stored units
 * for MR, activity or SUV for PET). The viewer may already have rescaled the
 * pixels when it decoded them (cornerstone's `preScale`); applying the rescale
 * a second time would shift every HU value, so the caller says which it is.
 */
export interface RescaleState {
  /** True when the pixel array already holds rescaled values. */
  alreadyRescaled: boolean;
  RescaleSlope: number;
  RescaleIntercept: number;
}

export function computeModalityValues(pixels: ArrayLike<number>, rescale: RescaleState): Float32Array {
  const out = new Float32Array(pixels.length);
  if (rescale.alreadyRescaled) {
    for (let i = 0; i < pixels.length; i++) out[i] = pixels[i] as number;
    return out;
  }
  const { RescaleSlope: slope, RescaleIntercept: intercept } = rescale;
  for (let i = 0; i < pixels.length; i++) out[i] = (pixels[i] as number) * slope + intercept;
  return out;
}
