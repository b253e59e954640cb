import {
  applyIntensityMapping,
  computeIntensityMapping,
  computePercentileOfSorted,
} from '../../../extension/src/core/inference/intensity';

describe('computePercentileOfSorted', () => {
  it('interpolates linearly between ranks, as NumPy does', () => {
    const sorted = [1, 2, 3, 4, 5];
    expect(computePercentileOfSorted(sorted, 0)).toBe(1);
    expect(computePercentileOfSorted(sorted, 25)).toBe(2);
    // position 0.1 * 4 = 0.4 -> 1 + 0.4
    expect(computePercentileOfSorted(sorted, 10)).toBeCloseTo(1.4, 12);
    expect(computePercentileOfSorted(sorted, 100)).toBe(5);
  });

  it('refuses an empty set and a percentile outside 0..100', () => {
    expect(() => computePercentileOfSorted([], 50)).toThrow(RangeError);
    expect(() => computePercentileOfSorted([1], 101)).toThrow(RangeError);
  });
});

describe('window preset', () => {
  const ct = { kind: 'window', level: 40, width: 400 } as const;

  it('maps a CT that spans the window onto -160..240 HU', () => {
    const mapping = computeIntensityMapping(ct, [
      Float32Array.of(-1000, 0),
      Float32Array.of(40, 1000),
    ]);
    expect(mapping).toEqual({ low: -160, high: 240, zeroStaysZero: false });
    // -1000 clips to 0; 40: (200 / 400) * 255 = 127.5 -> 127; 239: (399 / 400) * 255 = 254.36
    // -> 254; 240 and above: 255
    expect([...applyIntensityMapping([-1000, -160, 40, 239, 240, 3000], mapping)]).toEqual([
      0, 0, 127, 254, 255, 255,
    ]);
  });

  it("keeps a cropped volume's own extreme when it never reaches a window bound", () => {
    // no voxel below -100 HU: the clipped volume's minimum is -100, as in the authors' code
    const mapping = computeIntensityMapping(ct, [Float32Array.of(-100, 20, 500)]);
    expect(mapping.low).toBe(-100);
    expect(mapping.high).toBe(240);
    // 70 HU: (170 / 340) * 255 = 127.5 -> 127
    expect(applyIntensityMapping([-100, 70, 240], mapping)[1]).toBe(127);
  });

  it('gives zeros for a volume that lies wholly above the window, as the reference does', () => {
    const mapping = computeIntensityMapping(ct, [Float32Array.of(500, 900)]);
    expect(mapping.low).toBe(mapping.high);
    expect([...applyIntensityMapping([500, 900], mapping)]).toEqual([0, 0]);
  });

  it('gives zeros, not NaN, for a flat volume', () => {
    const mapping = computeIntensityMapping(ct, [Float32Array.of(50, 50)]);
    expect([...applyIntensityMapping([50, 50], mapping)]).toEqual([0, 0]);
  });
});

describe('percentile preset', () => {
  it('takes percentiles of the voxels above 0 only, and keeps zeros at 0', () => {
    const mr = { kind: 'percentile', lower: 10, upper: 90 } as const;
    // non-zero voxels 1..5 (the zeros would drag a percentile of all voxels to 0)
    const slices = [Float32Array.of(0, 0, 1, 2), Float32Array.of(3, 0, 4, 5)];
    const mapping = computeIntensityMapping(mr, slices);
    expect(mapping.low).toBeCloseTo(1.4, 12);
    expect(mapping.high).toBeCloseTo(4.6, 12);
    expect(mapping.zeroStaysZero).toBe(true);
    // 1 clips to 1.4 -> 0; 3 -> (1.6 / 3.2) * 255 = 127.5 -> 127; 5 clips to 4.6 -> 255
    expect([...applyIntensityMapping([0, 1, 3, 5], mapping)]).toEqual([0, 0, 127, 255]);
  });

  it("leaves negative values out of the percentiles, as the authors' `> 0` does", () => {
    const mapping = computeIntensityMapping({ kind: 'percentile', lower: 0, upper: 100 }, [
      Float32Array.of(-2, 0, 2, 6),
    ]);
    expect(mapping).toEqual({ low: 2, high: 6, zeroStaysZero: true });
    // a negative voxel clips to the low end: grey 0, like the zeros
    expect([...applyIntensityMapping([-2, 4], mapping)]).toEqual([0, 127]);
  });

  it('refuses a volume of zeros', () => {
    expect(() =>
      computeIntensityMapping({ kind: 'percentile', lower: 0.5, upper: 99.5 }, [
        new Float32Array(4),
      ]),
    ).toThrow(RangeError);
  });
});

it('interpolates from the nearer rank, as NumPy does', () => {
  // position 0.75 between 0.1 and 0.7: NumPy computes 0.7 - 0.6 * 0.25, not 0.1 + 0.6 * 0.75
  expect(computePercentileOfSorted([0.1, 0.7], 75)).toBe(0.7 - (0.7 - 0.1) * 0.25);
});
