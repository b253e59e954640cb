import { AIR_MEAN_HU, findOutlineInAir } from '../../../extension/src/core/inference/outlineInAir';

describe('findOutlineInAir', () => {
  // a 4 x 1 slice: air, air, fat, tissue
  const values = Float32Array.of(-1000, -990, -100, 40);

  it('gives the mean HU of a CT outline that lies in air (a box drawn beside the body)', () => {
    expect(findOutlineInAir('CT', values, Uint8Array.of(1, 1, 0, 0))).toBe(-995);
    expect(AIR_MEAN_HU).toBe(-500);
  });

  it('is silent for tissue, for a lesion touching air, for an empty outline and off CT', () => {
    expect(findOutlineInAir('CT', values, Uint8Array.of(0, 0, 1, 1))).toBeUndefined();
    expect(findOutlineInAir('CT', values, Uint8Array.of(0, 1, 1, 1))).toBeUndefined(); // mean -350
    expect(findOutlineInAir('CT', values, Uint8Array.of(0, 0, 0, 0))).toBeUndefined();
    expect(findOutlineInAir('MR', values, Uint8Array.of(1, 1, 0, 0))).toBeUndefined();
  });
});
