/**
 * Separable 2D resize of one plane (row-major, `width` samples per row): the taps
 * of `resampleTaps.ts` along x, then along y. Computed in float64 so that the result
 * does not depend on the order of the two passes beyond rounding noise.
 */
import type { ResizeInterpolation } from './modelManifest';
import {
  computeAreaTaps,
  computeBicubicAntialiasTaps,
  computeBilinearTaps,
  type Tap,
} from './resampleTaps';

/** A row-major single-channel image. */
export interface Plane {
  width: number;
  height: number;
  data: ArrayLike<number>;
}

/** The taps of an interpolation rule. */
export function computeTaps(rule: ResizeInterpolation, inSize: number, outSize: number): Tap[] {
  switch (rule) {
    case 'bicubic-antialias':
      return computeBicubicAntialiasTaps(inSize, outSize);
    case 'bilinear':
      return computeBilinearTaps(inSize, outSize);
    case 'area':
      return computeAreaTaps(inSize, outSize);
  }
}

/**
 * Resizes `plane` to `outWidth` x `outHeight` with one interpolation rule.
 * @throws {RangeError} when a size is not a positive integer or the data is short
 */
export function resizePlane(
  plane: Plane,
  outWidth: number,
  outHeight: number,
  rule: ResizeInterpolation,
): Float64Array {
  const { width, height, data } = plane;
  if (data.length < width * height) {
    throw new RangeError(`plane of ${width}x${height} has only ${data.length} samples`);
  }
  const tapsX = computeTaps(rule, width, outWidth);
  const tapsY = computeTaps(rule, height, outHeight);
  const rows = new Float64Array(outWidth * height);
  for (let y = 0; y < height; y++) {
    const inRow = y * width;
    const outRow = y * outWidth;
    for (let x = 0; x < outWidth; x++) {
      const tap = tapsX[x] as Tap;
      let sum = 0;
      for (let k = 0; k < tap.weights.length; k++) {
        sum += (tap.weights[k] as number) * (data[inRow + tap.start + k] as number);
      }
      rows[outRow + x] = sum;
    }
  }
  const out = new Float64Array(outWidth * outHeight);
  for (let y = 0; y < outHeight; y++) {
    const tap = tapsY[y] as Tap;
    const outRow = y * outWidth;
    for (let k = 0; k < tap.weights.length; k++) {
      const w = tap.weights[k] as number;
      const inRow = (tap.start + k) * outWidth;
      for (let x = 0; x < outWidth; x++) {
        out[outRow + x] = (out[outRow + x] as number) + w * (rows[inRow + x] as number);
      }
    }
  }
  return out;
}
