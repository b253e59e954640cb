import { resizePlane } from '../../../extension/src/core/inference/resizePlane';

describe('resizePlane', () => {
  it('stretches a 4 x 6 image separably (bilinear known answer)', () => {
    // 4 wide, 6 high; value = 10 * column + row
    const data = Array.from({ length: 24 }, (_, i) => 10 * (i % 4) + Math.floor(i / 4));
    const out = resizePlane({ width: 4, height: 6, data }, 2, 3, 'bilinear');
    // halving both axes averages 2 x 2 blocks: columns (0,1) -> 5, (2,3) -> 25;
    // rows (0,1) -> 0.5, (2,3) -> 2.5, (4,5) -> 4.5
    expect([...out]).toEqual([5.5, 25.5, 7.5, 27.5, 9.5, 29.5]);
  });

  it('stretches 4 x 6 to 8 x 3 with area interpolation', () => {
    const data = Array.from({ length: 24 }, (_, i) => (i % 4) * 4 + Math.floor(i / 4) * 2);
    const out = resizePlane({ width: 4, height: 6, data }, 8, 3, 'area');
    // x doubles (each column twice), y averages row pairs (rows 2r, 2r+1 -> 4r + 1)
    const expected = [0, 1, 2].flatMap((r) => [0, 0, 4, 4, 8, 8, 12, 12].map((v) => v + 4 * r + 1));
    out.forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 12));
  });

  it('refuses data shorter than the stated size', () => {
    expect(() => resizePlane({ width: 3, height: 3, data: [1, 2] }, 2, 2, 'area')).toThrow(RangeError);
  });
});
