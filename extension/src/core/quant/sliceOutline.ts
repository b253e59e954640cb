/**
 * Planar helpers for one mask slice: its bounding box, its boundary pixels and
 * the convex hull of their centres. Distances between pixel centres in a slice
 * are in mm on an orthogonal grid (x along columns, y along rows), because
 * DICOM row and column direction cosines are orthonormal.
 */

/** Inclusive index bounds of the pixels inside a mask slice. */
export interface SliceBounds {
  minRow: number;
  maxRow: number;
  minColumn: number;
  maxColumn: number;
}

/** Pixel centres of one slice in mm, with the pixel index each came from. */
export interface PlanarPoints {
  /** Row-major pixel index (row × columns + column) of each point. */
  pixelIndices: Int32Array;
  /** x (column × column spacing) of each point, mm. */
  x: Float64Array;
  /** y (row × row spacing) of each point, mm. */
  y: Float64Array;
}

/** Bounds of the inside pixels of a slice, or null when the slice is empty. */
export function computeSliceBounds(
  slice: Uint8Array,
  rows: number,
  columns: number,
): SliceBounds | null {
  let minRow = rows;
  let maxRow = -1;
  let minColumn = columns;
  let maxColumn = -1;
  for (let row = 0; row < rows; row++) {
    const offset = row * columns;
    let first = -1;
    let last = -1;
    for (let column = 0; column < columns; column++) {
      if (slice[offset + column] !== 0) {
        if (first < 0) first = column;
        last = column;
      }
    }
    if (first < 0) continue;
    if (minRow === rows) minRow = row;
    maxRow = row;
    if (first < minColumn) minColumn = first;
    if (last > maxColumn) maxColumn = last;
  }
  return maxRow < 0 ? null : { minRow, maxRow, minColumn, maxColumn };
}

function isInside(slice: Uint8Array, rows: number, columns: number, r: number, c: number): boolean {
  return r >= 0 && r < rows && c >= 0 && c < columns && slice[r * columns + c] !== 0;
}

/**
 * Inside pixels with at least one 4-neighbour outside the mask or outside the
 * image, in row-major order. Every extreme point of the mask is one of them,
 * so diameters need only these.
 */
export function collectBoundaryPixels(
  slice: Uint8Array,
  rows: number,
  columns: number,
  bounds: SliceBounds,
  rowSpacingMm: number,
  columnSpacingMm: number,
): PlanarPoints {
  const indices: number[] = [];
  for (let r = bounds.minRow; r <= bounds.maxRow; r++) {
    for (let c = bounds.minColumn; c <= bounds.maxColumn; c++) {
      if (slice[r * columns + c] === 0) continue;
      const interior =
        isInside(slice, rows, columns, r - 1, c) &&
        isInside(slice, rows, columns, r + 1, c) &&
        isInside(slice, rows, columns, r, c - 1) &&
        isInside(slice, rows, columns, r, c + 1);
      if (!interior) indices.push(r * columns + c);
    }
  }
  const pixelIndices = Int32Array.from(indices);
  const x = new Float64Array(indices.length);
  const y = new Float64Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const index = pixelIndices[i] ?? 0;
    x[i] = (index % columns) * columnSpacingMm;
    y[i] = Math.floor(index / columns) * rowSpacingMm;
  }
  return { pixelIndices, x, y };
}

/**
 * Indices (into `points`) of the convex hull vertices, by Andrew's monotone
 * chain. The points must be sorted by y then x, which row-major order gives;
 * collinear points on hull edges are dropped.
 */
export function computeConvexHull(points: PlanarPoints): number[] {
  const n = points.x.length;
  if (n < 3) return Array.from({ length: n }, (_, i) => i);
  const { x, y } = points;
  const turn = (o: number, a: number, b: number): number =>
    ((y[a] ?? 0) - (y[o] ?? 0)) * ((x[b] ?? 0) - (x[o] ?? 0)) -
    ((x[a] ?? 0) - (x[o] ?? 0)) * ((y[b] ?? 0) - (y[o] ?? 0));
  const hull: number[] = [];
  const pushChain = (i: number, floor: number): void => {
    while (hull.length >= floor + 2) {
      const a = hull[hull.length - 2] ?? 0;
      const b = hull[hull.length - 1] ?? 0;
      if (turn(a, b, i) > 0) break;
      hull.pop();
    }
    hull.push(i);
  };
  for (let i = 0; i < n; i++) pushChain(i, 0);
  const lowerLength = hull.length - 1;
  for (let i = n - 2; i >= 0; i--) pushChain(i, lowerLength);
  hull.pop(); // the first point closes the chain and is already at the start
  return hull;
}
