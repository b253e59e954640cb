import { addSliceOverlap, computeDice, createOverlapCounts } from '../../../models/evaluation/overlap';
import { createInscribedEllipse, growPixelBox } from '../../../models/evaluation/boxPrompts';

describe('3D Dice over slices', () => {
  it('counts every slice into one Dice, not a mean of slice Dices', () => {
    const counts = createOverlapCounts();
    // slice 1: 2 true pixels, both found; slice 2: 4 true pixels, 2 found plus 2 false
    addSliceOverlap(counts, Uint8Array.of(1, 1, 0, 0), Uint8Array.of(1, 1, 0, 0));
    addSliceOverlap(counts, Uint8Array.of(1, 1, 1, 1, 0, 0), Uint8Array.of(0, 0, 1, 1, 1, 1));
    expect(counts).toEqual({ intersection: 4, predicted: 6, truth: 6 });
    expect(computeDice(counts)).toBeCloseTo(8 / 12, 12);
  });

  it('scores a missing prediction as empty and two empty masks as 1', () => {
    const counts = createOverlapCounts();
    addSliceOverlap(counts, undefined, Uint8Array.of(1, 0, 1));
    expect(computeDice(counts)).toBe(0);
    expect(computeDice(createOverlapCounts())).toBe(1);
  });

  it('refuses masks of different sizes', () => {
    expect(() => addSliceOverlap(createOverlapCounts(), new Uint8Array(3), new Uint8Array(4))).toThrow(RangeError);
  });
});

describe('box prompts', () => {
  it('grows a box per side and clips it to the image', () => {
    expect(growPixelBox([10, 10, 20, 20], 5, 25, 100)).toEqual([5, 5, 24, 25]);
    expect(growPixelBox([2, 3, 4, 5], 10, 8, 8)).toEqual([0, 0, 7, 7]);
  });

  it('inscribes an ellipse that fills pi/4 of its box and stays inside it', () => {
    const width = 100;
    const height = 80;
    const box: [number, number, number, number] = [10, 20, 69, 59]; // 60 x 40 pixels
    const mask = createInscribedEllipse(box, width, height);
    const inside = mask.reduce((n, v) => n + v, 0);
    expect(inside / (60 * 40)).toBeCloseTo(Math.PI / 4, 2);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const inBox = x >= 10 && x <= 69 && y >= 20 && y <= 59;
        if (!inBox) expect(mask[y * width + x]).toBe(0);
      }
    }
    // the centre row spans the whole box width, the corners are out
    expect(mask[40 * width + 10]).toBe(1);
    expect(mask[40 * width + 69]).toBe(1);
    expect(mask[20 * width + 10]).toBe(0);
  });
});
