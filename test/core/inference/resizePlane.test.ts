import {
  computeAreaEnlargeTaps,
  computeAreaTaps,
} from '../../../extension/src/core/inference/resampleTaps';
import { resamplePlane, resizeBilinear } from '../../../extension/src/core/inference/resizePlane';

describe('resamplePlane', () => {
  it('halves a 4 x 6 image separably (PyTorch bilinear known answer)', () => {
    // 4 wide, 6 high; value = 10 * column + row
    const data = Array.from({ length: 24 }, (_, i) => 10 * (i % 4) + Math.floor(i / 4));
    const out = resizeBilinear({ width: 4, height: 6, data }, 2, 3);
    // halving averages neighbour pairs: columns (0,1) -> 5, (2,3) -> 25; rows -> 0.5, 2.5, 4.5
    expect([...out]).toEqual([5.5, 25.5, 7.5, 27.5, 9.5, 29.5]);
  });

  it('stretches 4 x 6 to 8 x 3 with per-axis taps', () => {
    const data = Array.from({ length: 24 }, (_, i) => (i % 4) * 4 + Math.floor(i / 4) * 2);
    const out = resamplePlane(
      { width: 4, height: 6, data },
      computeAreaEnlargeTaps(4, 8),
      computeAreaTaps(6, 3),
    );
    // x doubles (each column twice), y averages row pairs (rows 2r, 2r+1 -> 4r + 1)
    const expected = [0, 1, 2].flatMap((r) => [0, 0, 4, 4, 8, 8, 12, 12].map((v) => v + 4 * r + 1));
    out.forEach((v: number, i: number) => expect(v).toBeCloseTo(expected[i] as number, 12));
  });

  it('refuses data shorter than the stated size', () => {
    expect(() => resizeBilinear({ width: 3, height: 3, data: [1, 2] }, 2, 2)).toThrow(RangeError);
  });
});
