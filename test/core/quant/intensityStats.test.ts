import {
  computeIntensityStatistics,
  selectKth,
} from '../../../extension/src/core/quant/intensityStats';

describe('computeIntensityStatistics', () => {
  it('gives mean, population SD, min, max and median over masked voxels only', () => {
    const pixels = [Float32Array.from([1, 2, 100, 4]), Float32Array.from([-5, 7, 8, 9])];
    const mask = [Uint8Array.from([1, 1, 0, 1]), Uint8Array.from([1, 0, 0, 2])];
    const stats = computeIntensityStatistics(mask, pixels, 5, 'HU');
    const values = [1, 2, 4, -5, 9];
    const mean = values.reduce((a, b) => a + b) / 5;
    const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / 5);
    expect(stats).toEqual({
      unit: 'HU',
      count: 5,
      mean,
      standardDeviation: sd,
      min: -5,
      max: 9,
      median: 2,
    });
  });

  it('averages the two middle values for an even count and applies slice scales', () => {
    const pixels = [Float32Array.from([1, 3]), Float32Array.from([10, 20])];
    const mask = [Uint8Array.from([1, 1]), Uint8Array.from([1, 1])];
    const stats = computeIntensityStatistics(mask, pixels, 4, 'g/mL', [2, 0.5]);
    // Scaled values: 2, 6, 5, 10 → median (5 + 6) / 2.
    expect(stats?.median).toBe(5.5);
    expect(stats?.max).toBe(10);
    expect(stats?.mean).toBe(23 / 4);
  });

  it('rejects a voxel count that does not match the mask', () => {
    expect(() =>
      computeIntensityStatistics([Uint8Array.from([1, 1])], [Float32Array.from([1, 2])], 3, 'HU'),
    ).toThrow(RangeError);
  });

  it('returns null for an empty mask', () => {
    expect(computeIntensityStatistics([null], [new Float32Array(2)], 0, 'HU')).toBeNull();
  });
});

describe('selectKth', () => {
  it('agrees with a full sort on random data with ties', () => {
    let seed = 7;
    const next = (): number => {
      seed = (seed * 16807) % 2147483647;
      return seed;
    };
    for (let trial = 0; trial < 20; trial++) {
      const n = 1 + (next() % 500);
      const values = Float64Array.from({ length: n }, () => next() % 37);
      const sorted = Array.from(values).sort((a, b) => a - b);
      const k = next() % n;
      expect(selectKth(values, k)).toBe(sorted[k]);
    }
  });
});
