/**
 * The box's appearance: how much more a value looks like the lesion than like
 * its surroundings. Two weighted histograms of the (smoothed) values, one for
 * pixels taken as lesion and one for pixels taken as surroundings, each smoothed
 * and floored so that an unseen value is unlikely, not impossible; the answer is
 * the log ratio of the two densities per pixel.
 */
import { smoothSeries } from './planeFilters';

export interface AppearanceOptions {
  /** Histogram bins between the 1st and 99th percentile of the sampled values. */
  bins: number;
  /** Gaussian smoothing of each histogram, in bins. */
  smoothingBins: number;
}

export const DEFAULT_APPEARANCE: AppearanceOptions = { bins: 64, smoothingBins: 1.5 };

/** numpy.percentile's linear interpolation between order statistics. */
export function percentileOf(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const at = (q / 100) * (n - 1);
  const lo = Math.floor(at);
  const hi = Math.min(n - 1, lo + 1);
  return (sorted[lo] as number) + (at - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}

/**
 * log p(value | lesion) - log p(value | surroundings) for every pixel.
 * @param values the plane (smoothed modality values)
 * @param lesionWeights per pixel, how much it counts as lesion (0: not sampled)
 * @param surroundWeights per pixel, how much it counts as surroundings
 */
export function computeLikelihoodRatio(
  values: ArrayLike<number>,
  lesionWeights: ArrayLike<number>,
  surroundWeights: ArrayLike<number>,
  options: AppearanceOptions = DEFAULT_APPEARANCE,
): Float64Array {
  const sampled: number[] = [];
  for (let i = 0; i < values.length; i++) {
    if ((lesionWeights[i] as number) > 0 || (surroundWeights[i] as number) > 0) sampled.push(values[i] as number);
  }
  const sorted = Float64Array.from(sampled).sort();
  const lo = percentileOf(sorted, 1);
  let hi = percentileOf(sorted, 99);
  if (!(hi > lo)) hi = lo + 1;
  const { bins } = options;
  const binOf = (v: number): number => {
    const b = Math.round(((v - lo) / (hi - lo)) * (bins - 1));
    return b < 0 ? 0 : b > bins - 1 ? bins - 1 : b;
  };
  const lesion = new Float64Array(bins);
  const surround = new Float64Array(bins);
  const index = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const b = binOf(values[i] as number);
    index[i] = b;
    lesion[b] = (lesion[b] as number) + (lesionWeights[i] as number);
    surround[b] = (surround[b] as number) + (surroundWeights[i] as number);
  }
  const density = (histogram: Float64Array): Float64Array => {
    const smooth = smoothSeries(histogram, options.smoothingBins);
    let total = 0;
    for (const v of smooth) total += v;
    const scale = Math.max(total, 1e-9);
    return smooth.map((v) => v / scale + 1e-3 / bins);
  };
  const pLesion = density(lesion);
  const pSurround = density(surround);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const b = index[i] as number;
    out[i] = Math.log(pLesion[b] as number) - Math.log(pSurround[b] as number);
  }
  return out;
}
