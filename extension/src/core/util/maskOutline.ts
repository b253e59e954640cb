/**
 * The outline of a binary mask as pixel-edge segments: every edge between a
 * mask pixel and a non-mask pixel (or the image border). Coordinates are pixel
 * corners in index space, so pixel (c, r) spans corners (c - 0.5, r - 0.5) to
 * (c + 0.5, r + 0.5). Drawing these edges shows exactly the voxels that will be
 * stored: no smoothing hides or invents a pixel.
 */

/** [x0, y0, x1, y1] in continuous index coordinates. */
export type Edge = [number, number, number, number];

/**
 * Horizontal runs are merged, so a 100-pixel straight border is one edge.
 * @param mask row-major, `columns * rows`, non-zero = inside.
 */
export function computeMaskOutline(mask: ArrayLike<number>, columns: number, rows: number): Edge[] {
  if (mask.length !== columns * rows) {
    throw new RangeError(`mask has ${mask.length} values, expected ${columns} x ${rows}`);
  }
  const inside = (c: number, r: number) =>
    c >= 0 && r >= 0 && c < columns && r < rows && mask[r * columns + c] !== 0;
  const edges: Edge[] = [];
  // Horizontal edges: between row r-1 and row r, at y = r - 0.5.
  for (let r = 0; r <= rows; r++) {
    let start = -1;
    for (let c = 0; c <= columns; c++) {
      const boundary = c < columns && inside(c, r - 1) !== inside(c, r);
      if (boundary && start < 0) start = c;
      if (!boundary && start >= 0) {
        edges.push([start - 0.5, r - 0.5, c - 0.5, r - 0.5]);
        start = -1;
      }
    }
  }
  // Vertical edges: between column c-1 and column c, at x = c - 0.5.
  for (let c = 0; c <= columns; c++) {
    let start = -1;
    for (let r = 0; r <= rows; r++) {
      const boundary = r < rows && inside(c - 1, r) !== inside(c, r);
      if (boundary && start < 0) start = r;
      if (!boundary && start >= 0) {
        edges.push([c - 0.5, start - 0.5, c - 0.5, r - 0.5]);
        start = -1;
      }
    }
  }
  return edges;
}
