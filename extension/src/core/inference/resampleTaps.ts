/**
 * One-dimensional resampling weights ("taps"): output sample `o` is the weighted sum
 * of input samples `start .. start + weights.length - 1`. Each rule reproduces, to
 * the operation, the library a model's authors resized with, so that our tensors
 * equal theirs rather than merely look alike:
 * - PyTorch `interpolate(mode='bilinear', align_corners=False)`, no anti-aliasing:
 *   MedSAM's and SAM's mask upscaling (`postprocess.ts`).
 * - Pillow's BILINEAR and BICUBIC (a = -0.5): the kernel is widened by the scale
 *   when shrinking (anti-aliasing) and renormalised where it leaves the image
 *   (`pillowResize.ts`).
 * - OpenCV's INTER_AREA (LiteMedSAM): area weights when shrinking, and OpenCV's
 *   overlap-based linear weights when enlarging (`areaResize.ts`).
 */

export interface Tap {
  /** First input index. */
  start: number;
  /** Weights of inputs start, start+1, ... */
  weights: Float64Array;
}

/** Keys' cubic convolution parameter of Pillow's BICUBIC. */
const KEYS_A = -0.5;
/** OpenCV ignores slivers of coverage thinner than this (input samples). */
const AREA_SLIVER = 1e-3;

function checkSizes(inSize: number, outSize: number): void {
  if (!(Number.isInteger(inSize) && inSize > 0 && Number.isInteger(outSize) && outSize > 0)) {
    throw new RangeError(`cannot resample ${inSize} samples to ${outSize}`);
  }
}

/** Pillow's resampling filters: kernel and half-width at scale 1. */
export const PILLOW_FILTERS = {
  bilinear: { support: 1, kernel: (x: number): number => Math.max(0, 1 - Math.abs(x)) },
  bicubic: {
    support: 2,
    kernel(x: number): number {
      const t = Math.abs(x);
      if (t < 1) return ((KEYS_A + 2) * t - (KEYS_A + 3)) * t * t + 1;
      if (t < 2) return (((t - 5) * t + 8) * t - 4) * KEYS_A;
      return 0;
    },
  },
} as const;

export type PillowFilter = keyof typeof PILLOW_FILTERS;

/** Pillow's `precompute_coeffs` (PyTorch's anti-aliased path is the same). */
export function computePillowTaps(filter: PillowFilter, inSize: number, outSize: number): Tap[] {
  checkSizes(inSize, outSize);
  const { support: baseSupport, kernel } = PILLOW_FILTERS[filter];
  const scale = inSize / outSize;
  // shrinking widens the kernel to the output's footprint: that is the anti-aliasing
  const filterScale = Math.max(scale, 1);
  const support = baseSupport * filterScale;
  const taps: Tap[] = [];
  for (let o = 0; o < outSize; o++) {
    const centre = (o + 0.5) * scale;
    const start = Math.max(Math.trunc(centre - support + 0.5), 0);
    const end = Math.min(Math.trunc(centre + support + 0.5), inSize);
    const weights = new Float64Array(Math.max(end - start, 0));
    let total = 0;
    for (let j = 0; j < weights.length; j++) {
      const w = kernel((j + start - centre + 0.5) / filterScale);
      weights[j] = w;
      total += w;
    }
    if (total !== 0)
      for (let j = 0; j < weights.length; j++) weights[j] = (weights[j] as number) / total;
    taps.push({ start, weights });
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

/**
 * OpenCV INTER_AREA taps when shrinking: output o averages the input over
 * [o*s, (o+1)*s), partly covered samples weighted by the covered part.
 */
export function computeAreaTaps(inSize: number, outSize: number): Tap[] {
  checkSizes(inSize, outSize);
  const scale = inSize / outSize;
  const taps: Tap[] = [];
  for (let o = 0; o < outSize; o++) {
    const from = o * scale;
    const to = from + scale;
    const cell = Math.min(scale, inSize - from);
    const first = Math.ceil(from);
    const last = Math.floor(to);
    const entries: Array<[number, number]> = [];
    if (first - from > AREA_SLIVER) entries.push([first - 1, (first - from) / cell]);
    for (let i = first; i < Math.min(last, inSize); i++) entries.push([i, 1 / cell]);
    if (to - last > AREA_SLIVER && last < inSize)
      entries.push([last, Math.min(to - last, 1) / cell]);
    const start = entries[0]?.[0] ?? Math.min(first, inSize - 1);
    taps.push({ start, weights: Float64Array.from(entries, ([, w]) => w) });
  }
  return taps;
}

/**
 * OpenCV INTER_AREA taps when enlarging (any axis): the input sample under the
 * output's start, and the next one by the part of the output that crosses into it.
 */
export function computeAreaEnlargeTaps(inSize: number, outSize: number): Tap[] {
  checkSizes(inSize, outSize);
  const scale = inSize / outSize;
  const inverse = outSize / inSize;
  const taps: Tap[] = [];
  for (let o = 0; o < outSize; o++) {
    let start = Math.floor(o * scale);
    let fraction = o + 1 - (start + 1) * inverse;
    fraction = fraction <= 0 ? 0 : fraction - Math.floor(fraction);
    if (start >= inSize - 1) {
      start = inSize - 1;
      fraction = 0;
    }
    const weights = fraction > 0 ? Float64Array.of(1 - fraction, fraction) : Float64Array.of(1);
    taps.push({ start, weights });
  }
  return taps;
}
