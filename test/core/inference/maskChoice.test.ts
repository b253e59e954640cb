import { chooseMaskToken } from '../../../extension/src/core/inference/maskChoice';

describe('chooseMaskToken', () => {
  const iou = [0.9, 0.5, 0.95, 0.7];

  it("keeps the manifest's token unless asked otherwise", () => {
    expect(chooseMaskToken(iou, 0)).toBe(0);
    expect(chooseMaskToken(iou, 3, 'token')).toBe(3);
  });

  it('keeps the multi-mask answer with the highest estimate, or the best of all four', () => {
    expect(chooseMaskToken(iou, 0, 'best-of-multimask')).toBe(2);
    expect(chooseMaskToken([0.99, 0.5, 0.6, 0.7], 0, 'best-of-multimask')).toBe(3);
    expect(chooseMaskToken([0.99, 0.5, 0.6, 0.7], 0, 'best-of-all')).toBe(0);
  });

  it('gives token 0 for a decoder with one mask', () => {
    expect(chooseMaskToken([0.4], 0, 'best-of-multimask')).toBe(0);
  });
});
