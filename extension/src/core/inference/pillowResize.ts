/**
 * Pillow's `Image.resize` of an 8-bit grey image (mode 'L'), to the bit: SAM's
 * official preprocessing and Hugging Face's SAM processor resize with it.
 *
 * Pillow works in fixed point on 8-bit images: each weight becomes an integer with
 * 22 fractional bits (rounded away from zero), sums start at one half, and each
 * pass rounds and clips back to 8 bits. It resizes horizontally first, into an
 * 8-bit intermediate, then vertically.
 */
import { computePillowTaps, type PillowFilter, type Tap } from './resampleTaps';

/** Fractional bits of Pillow's 8-bit weights (32 - 8 - 2). */
const PRECISION_BITS = 22;
const ONE = 2 ** PRECISION_BITS;
const HALF = 2 ** (PRECISION_BITS - 1);

interface FixedTap {
  start: number;
  weights: Int32Array;
}

function toFixed(taps: readonly Tap[]): FixedTap[] {
  return taps.map(({ start, weights }) => ({
    start,
    weights: Int32Array.from(weights, (w) => Math.trunc(w < 0 ? -0.5 + w * ONE : 0.5 + w * ONE)),
  }));
}

/** Pillow's `clip8`: the fixed-point sum back to a byte. */
function clip8(sum: number): number {
  if (sum >= ONE * 256) return 255;
  if (sum <= 0) return 0;
  return Math.floor(sum / ONE);
}

/**
 * Resizes like `Image.fromarray(grey).resize((outWidth, outHeight), filter)`.
 * @throws {RangeError} when a size is not a positive integer
 */
export function resizePillow(
  grey: Uint8Array,
  width: number,
  height: number,
  outWidth: number,
  outHeight: number,
  filter: PillowFilter,
): Uint8Array {
  if (width === outWidth && height === outHeight) return grey.slice(0, width * height);
  const tapsX = toFixed(computePillowTaps(filter, width, outWidth));
  const tapsY = toFixed(computePillowTaps(filter, height, outHeight));
  let image = grey;
  let imageWidth = width;
  if (outWidth !== width) {
    const horizontal = new Uint8Array(outWidth * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < outWidth; x++) {
        const { start, weights } = tapsX[x] as FixedTap;
        let sum = HALF;
        for (let k = 0; k < weights.length; k++) {
          sum += (grey[y * width + start + k] as number) * (weights[k] as number);
        }
        horizontal[y * outWidth + x] = clip8(sum);
      }
    }
    image = horizontal;
    imageWidth = outWidth;
  }
  if (outHeight === height) return image;
  const out = new Uint8Array(imageWidth * outHeight);
  for (let y = 0; y < outHeight; y++) {
    const { start, weights } = tapsY[y] as FixedTap;
    for (let x = 0; x < imageWidth; x++) {
      let sum = HALF;
      for (let k = 0; k < weights.length; k++) {
        sum += (image[(start + k) * imageWidth + x] as number) * (weights[k] as number);
      }
      out[y * imageWidth + x] = clip8(sum);
    }
  }
  return out;
}
