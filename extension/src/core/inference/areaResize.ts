/**
 * OpenCV's `INTER_AREA` resize of an 8-bit plane, as LiteMedSAM calls it
 * (`cv2.resize` on uint8, which returns uint8), including OpenCV's roundings:
 * - both factors integers: block sums; a 2 x 2 block rounds half up
 *   ((sum + 2) >> 2), other blocks multiply by the float32 reciprocal of the block
 *   area and round half to even;
 * - otherwise area weights when both axes shrink, OpenCV's overlap-linear weights
 *   when any axis grows, computed in float64 and rounded half to even.
 */
import { computeAreaEnlargeTaps, computeAreaTaps } from './resampleTaps';
import { resamplePlane } from './resizePlane';

/** Round half to even (NumPy's `rint`). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  // Math.round sends halves up; a half that lands on an odd number goes down
  return Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function clampByte(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

function resizeByBlocks(
  grey: Uint8Array,
  width: number,
  outWidth: number,
  outHeight: number,
  fx: number,
  fy: number,
): Uint8Array {
  const out = new Uint8Array(outWidth * outHeight);
  const area = fx * fy;
  const reciprocal = Math.fround(1 / area);
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      let total = 0;
      for (let dy = 0; dy < fy; dy++) {
        const row = (y * fy + dy) * width + x * fx;
        for (let dx = 0; dx < fx; dx++) total += grey[row + dx] as number;
      }
      // 2 x 2 is OpenCV's fast path, with its own rounding
      out[y * outWidth + x] =
        area === 4 ? (total + 2) >> 2 : clampByte(roundHalfEven(total * reciprocal));
    }
  }
  return out;
}

/**
 * Resizes an 8-bit plane with OpenCV INTER_AREA semantics.
 * @throws {RangeError} when a size is not a positive integer
 */
export function resizeArea(
  grey: Uint8Array,
  width: number,
  height: number,
  outWidth: number,
  outHeight: number,
): Uint8Array {
  if (width === outWidth && height === outHeight) return grey.slice(0, width * height);
  const fx = width / outWidth;
  const fy = height / outHeight;
  if (Number.isInteger(fx) && Number.isInteger(fy)) {
    return resizeByBlocks(grey, width, outWidth, outHeight, fx, fy);
  }
  // OpenCV takes the area path only when both axes shrink
  const taps = fx >= 1 && fy >= 1 ? computeAreaTaps : computeAreaEnlargeTaps;
  const resized = resamplePlane(
    { width, height, data: grey },
    taps(width, outWidth),
    taps(height, outHeight),
  );
  return Uint8Array.from(resized, (v) => clampByte(roundHalfEven(v)));
}
