import { computeDistanceToMask, limitGrowth } from '../../../extension/src/core/inference/limitGrowth';

function disc(width: number, height: number, cx: number, cy: number, r: number): Uint8Array {
  const mask = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) mask[y * width + x] = 1;
  return mask;
}

describe('computeDistanceToMask', () => {
  it('is within 8.3 % (the bound of a (1, sqrt 2) chamfer) of the Euclidean distance to one set pixel', () => {
    const width = 41;
    const mask = new Uint8Array(width * width);
    mask[20 * width + 20] = 1;
    const distance = computeDistanceToMask(mask, width, width);
    for (let y = 0; y < width; y++) {
      for (let x = 0; x < width; x++) {
        const exact = Math.hypot(x - 20, y - 20);
        expect(Math.abs((distance[y * width + x] as number) - exact)).toBeLessThanOrEqual(0.083 * exact + 1e-6);
      }
    }
  });
});

describe('limitGrowth', () => {
  const width = 100;
  const height = 80;
  // previous slice: a disc of radius 10 (equivalent radius 10)
  const previous = disc(width, height, 40, 40, 10);

  it('cuts a leak far from the previous mask and keeps the growth near it', () => {
    // the new answer: the disc grown by 2 px, plus a leak of 30 px to the right
    const grown = disc(width, height, 40, 40, 12);
    const leak = new Uint8Array(grown);
    for (let y = 35; y <= 45; y++) for (let x = 50; x < 80; x++) leak[y * width + x] = 1;
    const limited = limitGrowth(leak, previous, width, height, 0.3); // 3 px allowed
    const exactDistance = (x: number, y: number) => Math.max(0, Math.hypot(x - 40, y - 40) - 10);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = y * width + x;
        if (grown[i]) expect(limited[i]).toBe(1); // growth of 2 px is kept
        if (limited[i]) expect(exactDistance(x, y)).toBeLessThanOrEqual(3 * 1.083 + 1);
      }
    }
    // of the 30-px leak only its first few pixels remain
    let leakKept = 0;
    for (let y = 35; y <= 45; y++) for (let x = 55; x < 80; x++) leakKept += limited[y * width + x] as number;
    expect(leakKept).toBe(0);
  });

  it('never adds pixels, and leaves the mask alone after an empty slice or with no limit', () => {
    const shifted = disc(width, height, 60, 40, 10);
    const limited = limitGrowth(shifted, previous, width, height, 0.3);
    for (let i = 0; i < limited.length; i++) expect(limited[i]).toBeLessThanOrEqual(shifted[i] as number);
    expect(limited.reduce((n, v) => n + v, 0)).toBeLessThan(shifted.reduce((n, v) => n + v, 0));
    expect(limitGrowth(shifted, new Uint8Array(width * height), width, height, 0.3)).toBe(shifted);
    expect(limitGrowth(shifted, previous, width, height, 0)).toBe(shifted);
  });
});
