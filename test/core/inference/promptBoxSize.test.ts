import { computePixelBoxFromImageRect } from '../../../extension/src/core/inference/boxTransform';
import { isImageRectOutside, isPromptBoxTooSmall, MIN_PROMPT_BOX_SIDE_PX } from '../../../extension/src/core/inference/promptBoxSize';

describe('isPromptBoxTooSmall', () => {
  it('refuses a click and a one-pixel line, as the viewer snaps them', () => {
    const click = computePixelBoxFromImageRect([12.3, 40.7], [12.3, 40.7], 143, 161);
    expect(click).toEqual([12, 40, 12, 40]);
    expect(isPromptBoxTooSmall(click)).toBe(true);
    const line = computePixelBoxFromImageRect([5, 20.2], [60, 20.9], 143, 161);
    expect(isPromptBoxTooSmall(line)).toBe(true);
  });

  it('keeps the smallest box a small PET lesion needs, and larger ones', () => {
    expect(MIN_PROMPT_BOX_SIDE_PX).toBe(2);
    expect(isPromptBoxTooSmall([3, 4, 4, 5])).toBe(false);
    expect(isPromptBoxTooSmall([3, 4, 5, 4])).toBe(true);
    expect(isPromptBoxTooSmall([0, 0, 142, 160])).toBe(false);
  });
});

describe('isImageRectOutside', () => {
  it('tells a box drawn beside the image from a small one on it (a new user was told "too small")', () => {
    // left of a 143 x 161 image: clamped, it would be a one-column sliver at x = 0
    expect(computePixelBoxFromImageRect([-30, 10], [-5, 40], 143, 161)).toEqual([0, 10, 0, 39]);
    expect(isImageRectOutside([-30, 10], [-5, 40], 143, 161)).toBe(true);
    expect(isImageRectOutside([10, 170], [40, 200], 143, 161)).toBe(true);
    expect(isImageRectOutside([143, 10], [150, 40], 143, 161)).toBe(true);
    // overlapping the edge, or a click on the image: on it
    expect(isImageRectOutside([-30, 10], [4, 40], 143, 161)).toBe(false);
    expect(isImageRectOutside([12.3, 40.7], [12.3, 40.7], 143, 161)).toBe(false);
  });
});
