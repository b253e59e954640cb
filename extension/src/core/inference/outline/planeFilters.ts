/**
 * Filters over one image plane (row-major float values), with the border rules
 * of scipy.ndimage, against which the tests check it: a Gaussian blur
 * reflecting at the edges (`mode='reflect'`, kernel radius 4 sigma).
 */

/** Index into 0..n-1 after reflecting at the edges (d c b a | a b c d | d c b a). */
function reflect(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * n;
  let k = ((i % period) + period) % period;
  if (k >= n) k = period - 1 - k;
  return k;
}

/** Normalised Gaussian taps for sigma, radius round(4 sigma) as scipy's truncate=4. */
export function gaussianKernel(sigma: number): Float64Array {
  if (!(sigma > 0)) throw new RangeError(`sigma ${sigma} is not positive`);
  const radius = Math.floor(4 * sigma + 0.5);
  const taps = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    const v = Math.exp((-0.5 * i * i) / (sigma * sigma));
    taps[i + radius] = v;
    sum += v;
  }
  for (let i = 0; i < taps.length; i++) taps[i] = (taps[i] as number) / sum;
  return taps;
}

/** One-dimensional Gaussian smoothing of a short series (reflecting edges). */
export function smoothSeries(values: ArrayLike<number>, sigma: number): Float64Array {
  const taps = gaussianKernel(sigma);
  const radius = (taps.length - 1) / 2;
  const n = values.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let acc = 0;
    for (let t = -radius; t <= radius; t++) acc += (taps[t + radius] as number) * (values[reflect(i + t, n)] as number);
    out[i] = acc;
  }
  return out;
}

/** Separable Gaussian blur of a width x height plane. */
export function gaussianBlur(values: ArrayLike<number>, width: number, height: number, sigma: number): Float64Array {
  const taps = gaussianKernel(sigma);
  const radius = (taps.length - 1) / 2;
  const rows = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let t = -radius; t <= radius; t++) {
        acc += (taps[t + radius] as number) * (values[y * width + reflect(x + t, width)] as number);
      }
      rows[y * width + x] = acc;
    }
  }
  const out = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let t = -radius; t <= radius; t++) {
        acc += (taps[t + radius] as number) * (rows[reflect(y + t, height) * width + x] as number);
      }
      out[y * width + x] = acc;
    }
  }
  return out;
}
