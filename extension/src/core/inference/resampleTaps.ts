/**
 * One-dimensional resampling weights ("taps"): output sample `o` is the weighted sum
 * of input samples `start .. start + weights.length - 1`. A 2D resize applies them
 * along x, then along y (`resizePlane.ts`).
 *
 * Each rule reproduces the library the model's authors used, so that our tensors
 * equal theirs, not merely look alike:
 * - bicubic with anti-aliasing: PyTorch `interpolate(mode='bicubic', antialias=True,
 *   align_corners=False)`, which is also Pillow's BICUBIC (Keys kernel a = -0.5, kernel
 *   widened by the scale when shrinking, weights renormalised where the kernel leaves
 *   the image).
 * - bilinear: PyTorch `interpolate(mode='bilinear', align_corners=False)`, no
 *   anti-aliasing (SAM's and MedSAM's mask upscaling).
 * - area: OpenCV `INTER_AREA` (LiteMedSAM): each output sample is the mean of the
 *   input over its footprint, weighting partly covered samples by the covered part.
 *   OpenCV's upscaling branch of INTER_AREA works out to the same overlap weights.
 */

export interface Tap {
  /** First input index. */
  start: number;
  /** Weights of inputs start, start+1, ... (they sum to 1). */
  weights: Float64Array;
}

/** Keys' cubic convolution parameter used by PyTorch's anti-aliased path and Pillow. */
const KEYS_A = -0.5;
/** Half-width of the cubic kernel at scale 1, in input samples. */
const CUBIC_SUPPORT = 2;
/** OpenCV ignores slivers of coverage thinner than this (input samples). */
const AREA_SLIVER = 1e-3;

function keysCubic(x: number): number {
  const t = Math.abs(x);
  if (t < 1) return ((KEYS_A + 2) * t - (KEYS_A + 3)) * t * t + 1;
  if (t < 2) return ((KEYS_A * t - 5 * KEYS_A) * t + 8 * KEYS_A) * t - 4 * KEYS_A;
  return 0;
}

function normalised(weights: number[]): Float64Array {
  const total = weights.reduce((a, b) => a + b, 0);
  return Float64Array.from(weights, (w) => (total !== 0 ? w / total : w));
}

function checkSizes(inSize: number, outSize: number): void {
  if (!(Number.isInteger(inSize) && inSize > 0 && Number.isInteger(outSize) && outSize > 0)) {
    throw new RangeError(`cannot resample ${inSize} samples to ${outSize}`);
  }
}

/** PyTorch/Pillow anti-aliased bicubic taps. */
export function computeBicubicAntialiasTaps(inSize: number, outSize: number): Tap[] {
  checkSizes(inSize, outSize);
  const scale = inSize / outSize;
  // shrinking widens the kernel to the output's footprint: that is the anti-aliasing
  const support = CUBIC_SUPPORT * Math.max(scale, 1);
  const invScale = scale >= 1 ? 1 / scale : 1;
  const taps: Tap[] = [];
  for (let o = 0; o < outSize; o++) {
    const centre = scale * (o + 0.5);
    const start = Math.max(Math.trunc(centre - support + 0.5), 0);
    const end = Math.min(Math.trunc(centre + support + 0.5), inSize);
    const weights: number[] = [];
    for (let j = start; j < end; j++) weights.push(keysCubic((j - centre + 0.5) * invScale));
    taps.push({ start, weights: normalised(weights) });
  }
  return taps;
}

/** PyTorch bilinear taps, align_corners=False, no anti-aliasing. */
export function computeBilinearTaps(inSize: number, outSize: number): Tap[] {
  checkSizes(inSize, outSize);
  const scale = inSize / outSize;
  const taps: Tap[] = [];
  for (let o = 0; o < outSize; o++) {
    const source = Math.max(scale * (o + 0.5) - 0.5, 0);
    const i0 = Math.floor(source);
    const lambda = Math.min(source - i0, 1);
    if (i0 >= inSize - 1) {
      taps.push({ start: inSize - 1, weights: Float64Array.of(1) });
    } else {
      taps.push({ start: i0, weights: Float64Array.of(1 - lambda, lambda) });
    }
  }
  return taps;
}

/** OpenCV INTER_AREA taps: the footprint [o*s, (o+1)*s) averaged over the input. */
export function computeAreaTaps(inSize: number, outSize: number): Tap[] {
  checkSizes(inSize, outSize);
  const scale = inSize / outSize;
  const taps: Tap[] = [];
  for (let o = 0; o < outSize; o++) {
    const from = o * scale;
    const to = Math.min(from + scale, inSize);
    const first = Math.floor(from);
    const weights: number[] = [];
    for (let j = first; j < to; j++) {
      const covered = Math.min(j + 1, to) - Math.max(j, from);
      weights.push(covered > AREA_SLIVER ? covered : 0);
    }
    taps.push({ start: first, weights: normalised(weights) });
  }
  return taps;
}
