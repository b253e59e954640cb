/**
 * scikit-image's `transform.resize(image, size, order=3, anti_aliasing=True,
 * preserve_range=True)` of an 8-bit plane followed by `astype(np.uint8)`: MedSAM's
 * own preprocessing. skimage hands the work to SciPy, so this restates SciPy:
 * 1. when an axis shrinks by factor f, a Gaussian pre-filter with sigma (f - 1) / 2
 *    (kernel radius int(4 sigma + 0.5)), mirror edges;
 * 2. cubic B-spline interpolation (`ndimage.zoom(order=3, mode='mirror',
 *    grid_mode=True)`): the spline coefficients come from SciPy's recursive
 *    pre-filter with mirror boundaries, output sample o sits at input coordinate
 *    (o + 0.5) * in/out - 0.5;
 * 3. the result clipped to the input's min..max and truncated to 8 bits.
 * The "bicubic" of the manifest is this spline, not a cubic convolution kernel.
 */
import { resamplePlane, type Plane } from './resizePlane';
import type { Tap } from './resampleTaps';

/** SciPy's Gaussian kernel reaches this many standard deviations. */
const GAUSSIAN_TRUNCATE = 4;
/** The pole of the cubic B-spline's recursive pre-filter. */
const CUBIC_POLE = Math.sqrt(3) - 2;

/** SciPy's 'mirror' extension: d c b | a b c d | c b a. */
function mirrorIndex(i: number, size: number): number {
  if (size === 1) return 0;
  const period = 2 * size - 2;
  let j = Math.abs(i) % period;
  if (j >= size) j = period - j;
  return j;
}

/** Gaussian taps with mirrored edges (ndimage.gaussian_filter1d). */
function computeGaussianTaps(size: number, sigma: number): Tap[] {
  const radius = Math.trunc(GAUSSIAN_TRUNCATE * sigma + 0.5);
  const kernel = Array.from({ length: 2 * radius + 1 }, (_, k) =>
    Math.exp((-0.5 / (sigma * sigma)) * (k - radius) ** 2),
  );
  const total = kernel.reduce((a, b) => a + b, 0);
  return Array.from({ length: size }, (_, o) => {
    const weights = new Float64Array(size);
    kernel.forEach((w, k) => {
      const i = mirrorIndex(o + k - radius, size);
      weights[i] = (weights[i] as number) + w / total;
    });
    return { start: 0, weights };
  });
}

/** SciPy's cubic spline pre-filter of one line, mirror boundaries, in place. */
function filterLine(c: Float64Array): void {
  const n = c.length;
  if (n === 1) return;
  const z = CUBIC_POLE;
  const gain = (1 - z) * (1 - 1 / z);
  for (let i = 0; i < n; i++) c[i] = (c[i] as number) * gain;
  const zn1 = z ** (n - 1);
  let sum = (c[0] as number) + zn1 * (c[n - 1] as number);
  let zi = z;
  for (let i = 1; i < n - 1; i++) {
    sum += zi * ((c[i] as number) + zn1 * (c[n - 1 - i] as number));
    zi *= z;
  }
  c[0] = sum / (1 - zn1 * zn1);
  for (let i = 1; i < n; i++) c[i] = (c[i] as number) + z * (c[i - 1] as number);
  c[n - 1] = ((z * (c[n - 2] as number) + (c[n - 1] as number)) * z) / (z * z - 1);
  for (let i = n - 2; i >= 0; i--) c[i] = z * ((c[i + 1] as number) - (c[i] as number));
}

/** Spline coefficients of a plane: the pre-filter along y, then along x. */
function computeSplineCoefficients(plane: Plane): Float64Array {
  const { width, height } = plane;
  const c = Float64Array.from(plane.data);
  const column = new Float64Array(height);
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) column[y] = c[y * width + x] as number;
    filterLine(column);
    for (let y = 0; y < height; y++) c[y * width + x] = column[y] as number;
  }
  for (let y = 0; y < height; y++) filterLine(c.subarray(y * width, (y + 1) * width));
  return c;
}

/** The four coefficients and weights of one output sample along one axis. */
interface SplineTap {
  indices: Int32Array;
  weights: Float64Array;
}

/**
 * A coordinate outside the line mapped back in, as SciPy's `map_coordinate` does for
 * 'mirror' before it evaluates (it leaves len-1 < x < len as it is).
 */
function mapMirrorCoordinate(x: number, size: number): number {
  if (size === 1) return 0;
  if (x < 0) return -x;
  if (x >= size) return 2 * size - 2 - x;
  return x;
}

/** Cubic B-spline taps at SciPy's grid-mode coordinates (o + 0.5) * in/out - 0.5. */
function computeSplineTaps(inSize: number, outSize: number): SplineTap[] {
  const scale = inSize / outSize;
  return Array.from({ length: outSize }, (_, o) => {
    const x = mapMirrorCoordinate((o + 0.5) * scale - 0.5, inSize);
    const base = Math.floor(x);
    const t = x - base;
    const u = 1 - t;
    return {
      indices: Int32Array.from([0, 1, 2, 3], (k) => mirrorIndex(base - 1 + k, inSize)),
      // SciPy's get_spline_interpolation_weights for order 3
      weights: Float64Array.of(
        (u * u * u) / 6,
        (t * t * (t - 2) * 3 + 4) / 6,
        (u * u * (u - 2) * 3 + 4) / 6,
        (t * t * t) / 6,
      ),
    };
  });
}

/**
 * Evaluates the spline at every output sample, summing the 4 x 4 terms in SciPy's
 * order ((c * wy) * wx, y outer): values on plateaus then round as SciPy's do, which
 * matters because the result is truncated to 8 bits.
 */
function evaluateSpline(
  coefficients: Float64Array,
  width: number,
  tapsX: readonly SplineTap[],
  tapsY: readonly SplineTap[],
): Float64Array {
  const out = new Float64Array(tapsX.length * tapsY.length);
  for (let y = 0; y < tapsY.length; y++) {
    const ty = tapsY[y] as SplineTap;
    for (let x = 0; x < tapsX.length; x++) {
      const tx = tapsX[x] as SplineTap;
      let sum = 0;
      for (let a = 0; a < 4; a++) {
        const row = (ty.indices[a] as number) * width;
        const wy = ty.weights[a] as number;
        for (let b = 0; b < 4; b++) {
          const c = coefficients[row + (tx.indices[b] as number)] as number;
          sum += c * wy * (tx.weights[b] as number);
        }
      }
      out[y * tapsX.length + x] = sum;
    }
  }
  return out;
}

/** Drops the zero weights at both ends of dense taps (speed only). */
function trimTaps(taps: Tap[]): Tap[] {
  return taps.map(({ weights }) => {
    let first = 0;
    while (first < weights.length - 1 && weights[first] === 0) first++;
    let last = weights.length - 1;
    while (last > first && weights[last] === 0) last--;
    return { start: first, weights: weights.slice(first, last + 1) };
  });
}

/**
 * Resizes an 8-bit plane as MedSAM's skimage call does.
 * @throws {RangeError} when the data is shorter than width x height
 */
export function resizeSpline(
  grey: Uint8Array,
  width: number,
  height: number,
  outWidth: number,
  outHeight: number,
): Uint8Array {
  let plane: Plane = { width, height, data: grey };
  const sigmaX = Math.max(0, (width / outWidth - 1) / 2);
  const sigmaY = Math.max(0, (height / outHeight - 1) / 2);
  if (sigmaX > 0 || sigmaY > 0) {
    const identity = (size: number): Tap[] =>
      Array.from({ length: size }, (_, i) => ({ start: i, weights: Float64Array.of(1) }));
    const tapsX = sigmaX > 0 ? trimTaps(computeGaussianTaps(width, sigmaX)) : identity(width);
    const tapsY = sigmaY > 0 ? trimTaps(computeGaussianTaps(height, sigmaY)) : identity(height);
    plane = { width, height, data: resamplePlane(plane, tapsX, tapsY) };
  }
  const resized = evaluateSpline(
    computeSplineCoefficients(plane),
    width,
    computeSplineTaps(width, outWidth),
    computeSplineTaps(height, outHeight),
  );
  let min = 255;
  let max = 0;
  for (let i = 0; i < width * height; i++) {
    const v = grey[i] as number;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return Uint8Array.from(resized, (v) => Math.trunc(v < min ? min : v > max ? max : v));
}
