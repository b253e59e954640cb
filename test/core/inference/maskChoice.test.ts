import { chooseMaskToken } from '../../../extension/src/core/inference/maskChoice';

describe('chooseMaskToken', () => {
  const iou = [0.9, 0.5, 0.95, 0.7];

  it("keeps the manifest's token of a four-output graph unless asked otherwise", () => {
    expect(chooseMaskToken(iou, 0)).toBe(0);
    expect(chooseMaskToken(iou, 3, 'graph')).toBe(3);
    expect(chooseMaskToken(iou, 3, 'single')).toBe(0);
  });

  it('keeps the answer the model rates highest among all four', () => {
    expect(chooseMaskToken(iou, 0, 'best-of-all')).toBe(2);
    expect(chooseMaskToken([0.99, 0.5, 0.6, 0.7], 1, 'best-of-all')).toBe(0);
  });

  it('gives token 0 for a graph with one output', () => {
    expect(chooseMaskToken([0.4], 2, 'best-of-all')).toBe(0);
  });
});
