/**
 * The encoder-side resize of an 8-bit grey slice, per the manifest's interpolation,
 * each as the library its model's authors used, down to its 8-bit rounding:
 * - `bicubic-antialias`: scikit-image's anti-aliased cubic spline, then truncation
 *   (MedSAM: `transform.resize(..., order=3, anti_aliasing=True)` and
 *   `astype(np.uint8)`), see `splineResize.ts`;
 * - `area`: OpenCV INTER_AREA on uint8 (LiteMedSAM), see `areaResize.ts`;
 * - `bilinear`: Pillow BILINEAR (SAM's and Hugging Face's processors), see
 *   `pillowResize.ts`.
 */
import { resizeArea } from './areaResize';
import type { ResizeInterpolation } from './modelManifest';
import { resizePillow } from './pillowResize';
import { resizeSpline } from './splineResize';

/**
 * Resizes a row-major 8-bit plane to `outWidth` x `outHeight`.
 * @throws {RangeError} when a size is not a positive integer or the data is short
 */
export function resizeGrey(
  grey: Uint8Array,
  width: number,
  height: number,
  outWidth: number,
  outHeight: number,
  rule: ResizeInterpolation,
): Uint8Array {
  if (grey.length < width * height) {
    throw new RangeError(`plane of ${width}x${height} has only ${grey.length} samples`);
  }
  switch (rule) {
    case 'bicubic-antialias':
      return resizeSpline(grey, width, height, outWidth, outHeight);
    case 'area':
      return resizeArea(grey, width, height, outWidth, outHeight);
    case 'bilinear':
      return resizePillow(grey, width, height, outWidth, outHeight, 'bilinear');
  }
}
