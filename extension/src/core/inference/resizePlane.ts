/**
 * Separable 2D resampling of one float plane (row-major, `width` samples per row):
 * taps along y first, then along x, in float64. That order is the reference's
 * `rows @ image @ cols.T`; the other order would differ only by rounding noise.
 */
import { computeBilinearTaps, type Tap } from './resampleTaps';

/** A row-major single-channel image. */
export interface Plane {
  width: number;
  height: number;
  data: ArrayLike<number>;
}

/**
 * Applies per-axis taps: `tapsX.length` x `tapsY.length` samples out.
 * @throws {RangeError} when the data is shorter than width x height
 */
export function resamplePlane(
  plane: Plane,
  tapsX: readonly Tap[],
  tapsY: readonly Tap[],
): Float64Array {
  const { width, height, data } = plane;
  if (data.length < width * height) {
    throw new RangeError(`plane of ${width}x${height} has only ${data.length} samples`);
  }
  const outWidth = tapsX.length;
  const outHeight = tapsY.length;
  const columns = new Float64Array(width * outHeight);
  for (let y = 0; y < outHeight; y++) {
    const tap = tapsY[y] as Tap;
    const outRow = y * width;
    for (let k = 0; k < tap.weights.length; k++) {
      const w = tap.weights[k] as number;
      const inRow = (tap.start + k) * width;
      for (let x = 0; x < width; x++) {
        columns[outRow + x] = (columns[outRow + x] as number) + w * (data[inRow + x] as number);
      }
    }
  }
  const out = new Float64Array(outWidth * outHeight);
  for (let y = 0; y < outHeight; y++) {
    const row = y * width;
    for (let x = 0; x < outWidth; x++) {
      const tap = tapsX[x] as Tap;
      let sum = 0;
      for (let k = 0; k < tap.weights.length; k++) {
        sum += (tap.weights[k] as number) * (columns[row + tap.start + k] as number);
      }
      out[y * outWidth + x] = sum;
    }
  }
  return out;
}

/** PyTorch's bilinear resize (align_corners=False, no anti-aliasing) of a float plane. */
export function resizeBilinear(plane: Plane, outWidth: number, outHeight: number): Float64Array {
  return resamplePlane(
    plane,
    computeBilinearTaps(plane.width, outWidth),
    computeBilinearTaps(plane.height, outHeight),
  );
}
