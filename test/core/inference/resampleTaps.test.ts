import {
  computeAreaEnlargeTaps,
  computeAreaTaps,
  computeBilinearTaps,
  computePillowTaps,
  type Tap,
} from '../../../extension/src/core/inference/resampleTaps';

/** Applies taps to a 1D signal. */
function apply(taps: Tap[], signal: number[]): number[] {
  return taps.map((t) =>
    t.weights.reduce((sum, w, k) => sum + w * (signal[t.start + k] as number), 0),
  );
}

describe('bilinear (PyTorch, align_corners=False)', () => {
  it('doubles [0, 10] into [0, 2.5, 7.5, 10]', () => {
    // sources (o + 0.5) / 2 - 0.5 = -0.25 (clamped to 0), 0.25, 0.75, 1.25 (past the end)
    expect(apply(computeBilinearTaps(2, 4), [0, 10])).toEqual([0, 2.5, 7.5, 10]);
  });

  it('halves by averaging neighbour pairs', () => {
    // sources 2 * (o + 0.5) - 0.5 = 0.5, 2.5
    expect(apply(computeBilinearTaps(4, 2), [0, 4, 8, 12])).toEqual([2, 10]);
  });
});

describe('area (OpenCV INTER_AREA)', () => {
  it('averages whole blocks for an integer factor', () => {
    expect(apply(computeAreaTaps(4, 2), [1, 3, 5, 7])).toEqual([2, 6]);
  });

  it('weights partly covered samples by their covered part', () => {
    // footprints [0, 1.5) and [1.5, 3): (3 + 0.5 * 6) / 1.5 and (0.5 * 6 + 9) / 1.5
    const out = apply(computeAreaTaps(3, 2), [3, 6, 9]);
    expect(out[0]).toBeCloseTo(4, 12);
    expect(out[1]).toBeCloseTo(8, 12);
  });

  it("splits a sample between two outputs when enlarging (OpenCV's linear branch)", () => {
    // 2 -> 3: footprints [0, 2/3), [2/3, 4/3), [4/3, 2); the middle one is half in each
    const out = apply(computeAreaEnlargeTaps(2, 3), [0, 6]);
    expect(out.map((v) => Math.round(v * 1e9) / 1e9)).toEqual([0, 3, 6]);
  });
});

describe('Pillow taps (bicubic a = -0.5, bilinear)', () => {
  it('are the identity at scale 1', () => {
    expect(apply(computePillowTaps('bicubic', 5, 5), [1, 7, 2, 9, 4])).toEqual([1, 7, 2, 9, 4]);
    expect(apply(computePillowTaps('bilinear', 5, 5), [1, 7, 2, 9, 4])).toEqual([1, 7, 2, 9, 4]);
  });

  it('widen the bilinear triangle when halving: weights 1/8, 3/8, 3/8, 1/8', () => {
    // output 1: centre 3, support 2, kernel at (j - 2.5) / 2 for j = 1..4
    const tap = computePillowTaps('bilinear', 8, 4)[1] as Tap;
    expect(tap.start).toBe(1);
    expect([...tap.weights]).toEqual([0.125, 0.375, 0.375, 0.125]);
  });

  it('widens the kernel by the scale when halving', () => {
    // output 0: centre 1, support 4, kernel at (j - 0.5) / 2 for j = 0..3:
    // k(0.25) = 0.8671875, k(0.25), k(0.75) = 0.2265625, k(1.25) = -0.0703125, sum 1.890625
    const taps = computePillowTaps('bicubic', 4, 2);
    const first = taps[0] as Tap;
    expect(first.start).toBe(0);
    const expected = [0.8671875, 0.8671875, 0.2265625, -0.0703125].map((w) => w / 1.890625);
    [...first.weights].forEach((w, i) => expect(w).toBeCloseTo(expected[i] as number, 12));
  });

  it('keeps a constant constant and every weight set sums to 1', () => {
    for (const [from, to] of [
      [7, 3],
      [3, 11],
      [143, 1024],
    ] as const) {
      const taps = computePillowTaps('bicubic', from, to);
      for (const t of taps)
        expect(t.weights.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 12);
      apply(taps, new Array(from).fill(5)).forEach((v) => expect(v).toBeCloseTo(5, 12));
    }
  });
});

it('refuses sizes that are not positive integers', () => {
  expect(() => computeAreaTaps(0, 3)).toThrow(RangeError);
  expect(() => computeBilinearTaps(3, 2.5)).toThrow(RangeError);
});
