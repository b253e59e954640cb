import { resizeArea, roundHalfEven } from '../../../extension/src/core/inference/areaResize';

describe('roundHalfEven (NumPy rint)', () => {
  it('sends halves to the even neighbour and everything else to the nearest', () => {
    expect([0.5, 1.5, 2.5, 3.5, -2.5, -3.5, 2.4, 2.6].map(roundHalfEven)).toEqual([
      0, 2, 2, 4, -2, -4, 2, 3,
    ]);
  });
});

describe('resizeArea (OpenCV INTER_AREA on 8 bits)', () => {
  it("rounds 2 x 2 block means half up, like OpenCV's fast path", () => {
    // block sums 10 and 14: 2.5 -> 3 and 3.5 -> 4
    expect([...resizeArea(Uint8Array.of(1, 2, 3, 4, 4, 3, 4, 3), 4, 2, 2, 1)]).toEqual([3, 4]);
  });

  it('rounds other integer blocks half to even', () => {
    // 1 x 2 blocks: 1.5 -> 2, 2.5 -> 2, 3.5 -> 4
    expect([...resizeArea(Uint8Array.of(1, 2, 2, 3, 3, 4), 6, 1, 3, 1)]).toEqual([2, 2, 4]);
  });

  it('weights partly covered pixels when the factor is not an integer', () => {
    // 3 -> 2: (30 + 0.5 * 60) / 1.5 = 40 and (0.5 * 60 + 90) / 1.5 = 80
    expect([...resizeArea(Uint8Array.of(30, 60, 90), 3, 1, 2, 1)]).toEqual([40, 80]);
  });

  it('splits pixels between outputs when enlarging', () => {
    // 2 -> 3: 0, (0 + 7) / 2 = 3.5 -> 4 (half to even), 7
    expect([...resizeArea(Uint8Array.of(0, 7), 2, 1, 3, 1)]).toEqual([0, 4, 7]);
  });

  it('copies an image whose size does not change', () => {
    const grey = Uint8Array.of(5, 6, 7, 8);
    expect([...resizeArea(grey, 2, 2, 2, 2)]).toEqual([5, 6, 7, 8]);
  });
});
