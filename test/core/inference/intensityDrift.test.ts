import { computeMaskIntensity, hasDrifted } from '../../../extension/src/core/inference/intensityDrift';

describe('intensity drift stop rule', () => {
  it('computes mean and population SD under the mask only', () => {
    const pixels = [10, 20, 30, 1000];
    const stats = computeMaskIntensity([1, 1, 1, 0], pixels);
    expect(stats.voxels).toBe(3);
    expect(stats.mean).toBeCloseTo(20, 12);
    expect(stats.sd).toBeCloseTo(Math.sqrt(200 / 3), 12);
  });

  it('stops beyond the given number of reference SDs, not within', () => {
    const reference = { voxels: 100, mean: 40, sd: 45 };
    expect(hasDrifted(reference, { voxels: 50, mean: 10, sd: 5 }, 1)).toBe(false); // 30 HU away
    expect(hasDrifted(reference, { voxels: 50, mean: -15, sd: 5 }, 1)).toBe(true); // 55 HU away
    expect(hasDrifted(reference, { voxels: 50, mean: -15, sd: 5 }, 0)).toBe(false); // rule off
  });

  it('refuses masks of another size', () => {
    expect(() => computeMaskIntensity([1], [1, 2])).toThrow(RangeError);
  });
});
