import { resizePillow } from '../../../extension/src/core/inference/pillowResize';

describe('resizePillow (8-bit fixed point)', () => {
  it('rounds a two-pixel average half up', () => {
    // (10 + 21) / 2 = 15.5: Pillow starts its sum at one half, so 16
    expect([...resizePillow(Uint8Array.of(10, 21), 2, 1, 1, 1, 'bilinear')]).toEqual([16]);
  });

  it('rounds the horizontal pass to 8 bits before the vertical one', () => {
    // rows [1, 0] and [0, 0]: the row means 0.5 and 0 become 1 and 0, whose mean 0.5
    // becomes 1; the exact 2D mean 0.25 would give 0
    const grey = Uint8Array.of(1, 0, 0, 0);
    expect([...resizePillow(grey, 2, 2, 1, 1, 'bilinear')]).toEqual([1]);
  });

  it('clips bicubic overshoot to 0..255', () => {
    // a step enlarged with the bicubic kernel overshoots on both sides
    const out = resizePillow(Uint8Array.of(0, 0, 255, 255), 4, 1, 8, 1, 'bicubic');
    expect(Math.min(...out)).toBe(0);
    expect(Math.max(...out)).toBe(255);
    expect(out.length).toBe(8);
  });
});
