import { computeMaskOutline } from '../../../extension/src/core/util/maskOutline';

describe('computeMaskOutline', () => {
  it('outlines one pixel with its four corners', () => {
    const mask = [0, 0, 0, 0, 1, 0, 0, 0, 0];
    const edges = computeMaskOutline(mask, 3, 3);
    expect(edges).toHaveLength(4);
    expect(edges).toEqual(
      expect.arrayContaining([
        [0.5, 0.5, 1.5, 0.5],
        [0.5, 1.5, 1.5, 1.5],
        [0.5, 0.5, 0.5, 1.5],
        [1.5, 0.5, 1.5, 1.5],
      ]),
    );
  });

  it('merges straight runs and closes at the image border', () => {
    // A 2 x 3 block touching the right and bottom borders of a 4 x 3 image.
    const mask = [0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1];
    const edges = computeMaskOutline(mask, 4, 3);
    expect(edges).toHaveLength(4);
    expect(edges).toContainEqual([1.5, 0.5, 3.5, 0.5]);
    expect(edges).toContainEqual([1.5, 2.5, 3.5, 2.5]);
    expect(edges).toContainEqual([3.5, 0.5, 3.5, 2.5]);
  });

  it('gives a perimeter equal to the count of exposed pixel sides', () => {
    const columns = 7;
    const rows = 5;
    const mask = Array.from({ length: columns * rows }, (_, i) => ((i * 7919) % 3 === 0 ? 1 : 0));
    let exposed = 0;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < columns; c++) {
        if (!mask[r * columns + c]) continue;
        for (const [dc, dr] of [[1, 0], [-1, 0], [0, 1], [0, -1]] as const) {
          const cc = c + dc;
          const rr = r + dr;
          const out = cc < 0 || rr < 0 || cc >= columns || rr >= rows || !mask[rr * columns + cc];
          if (out) exposed++;
        }
      }
    }
    const length = computeMaskOutline(mask, columns, rows).reduce(
      (sum, [x0, y0, x1, y1]) => sum + Math.abs(x1 - x0) + Math.abs(y1 - y0),
      0,
    );
    expect(length).toBe(exposed);
  });

  it('refuses a mask of the wrong size', () => {
    expect(() => computeMaskOutline([1, 0], 3, 3)).toThrow(RangeError);
  });
});
