/**
 * Plain brute-force versions of three quantification steps, the reference the
 * quant benchmark times the core against. They read every voxel and compare
 * every pair, with none of the core's shortcuts (word-wise empty-run skipping,
 * empty-slice skipping, selection instead of sorting, convex hulls), so they
 * show what those shortcuts buy. Axial grids only: distances come from the
 * pixel spacing, not from the orientation.
 */
import type { SliceMasks } from '../extension/src/core/quant/segmentInput';
import type { VoxelGrid } from '../extension/src/core/quant/voxelGrid';

const MM3_PER_ML = 1000;

/** Voxel count and volume, one voxel at a time. */
export function bruteForceVolume(
  mask: SliceMasks,
  grid: VoxelGrid,
): { voxelCount: number; volumeMl: number } {
  const pixelAreaMm2 = grid.rowSpacingMm * grid.columnSpacingMm;
  let voxelCount = 0;
  let volumeMm3 = 0;
  mask.forEach((slice, s) => {
    let count = 0;
    for (const value of slice ?? []) if (value !== 0) count++;
    voxelCount += count;
    volumeMm3 += count * pixelAreaMm2 * (grid.sliceThicknessesMm[s] ?? NaN);
  });
  return { voxelCount, volumeMl: volumeMm3 / MM3_PER_ML };
}

/** Mean, population SD and median from a fully sorted plain array. */
export function bruteForceStatistics(
  mask: SliceMasks,
  pixels: ReadonlyArray<Float32Array>,
): { mean: number; standardDeviation: number; median: number } {
  const values: number[] = [];
  mask.forEach((slice, s) => {
    const image = pixels[s];
    if (!slice || !image) return;
    slice.forEach((value, i) => {
      if (value !== 0) values.push(image[i] ?? NaN);
    });
  });
  values.sort((a, b) => a - b);
  const n = values.length;
  const mean = values.reduce((sum, v) => sum + v, 0) / n;
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / n;
  const upper = values[n >> 1] ?? NaN;
  const median = n % 2 === 1 ? upper : ((values[(n >> 1) - 1] ?? NaN) + upper) / 2;
  return { mean, standardDeviation: Math.sqrt(variance), median };
}

/** In-plane centres (mm) of the inside pixels with a 4-neighbour outside or off the image. */
function boundaryPoints(slice: Uint8Array, grid: VoxelGrid): { x: number[]; y: number[] } {
  const { rows, columns } = grid;
  const inside = (r: number, c: number): boolean =>
    r >= 0 && r < rows && c >= 0 && c < columns && slice[r * columns + c] !== 0;
  const x: number[] = [];
  const y: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      if (!inside(r, c)) continue;
      if (inside(r - 1, c) && inside(r + 1, c) && inside(r, c - 1) && inside(r, c + 1)) continue;
      x.push(c * grid.columnSpacingMm);
      y.push(r * grid.rowSpacingMm);
    }
  }
  return { x, y };
}

/** Longest distance between two of the points, over every pair, mm. */
function longestPair(p: { x: number[]; y: number[] }): { length: number; a: number; b: number } {
  let best = { length: -1, a: 0, b: 0 };
  for (let a = 0; a < p.x.length; a++) {
    for (let b = a + 1; b < p.x.length; b++) {
      const length = Math.hypot((p.x[b] ?? 0) - (p.x[a] ?? 0), (p.y[b] ?? 0) - (p.y[a] ?? 0));
      if (length > best.length) best = { length, a, b };
    }
  }
  return best;
}

/**
 * Long and short axis lengths (mm) after the definitions of the core's
 * diameters.ts, comparing every pair of boundary pixels; null for an empty mask.
 */
export function bruteForceDiameters(
  mask: SliceMasks,
  grid: VoxelGrid,
): { longAxisMm: number; shortAxisMm: number } | null {
  type Longest = ReturnType<typeof longestPair> & { points: ReturnType<typeof boundaryPoints> };
  let longest: Longest | null = null;
  for (const slice of mask) {
    if (!slice) continue;
    const points = boundaryPoints(slice, grid);
    const pair = longestPair(points);
    // strictly longer: ties stay with the lowest slice, as in the core
    if (pair.length >= 0 && (!longest || pair.length > longest.length)) {
      longest = { ...pair, points };
    }
  }
  if (!longest) return null;
  const { x, y } = longest.points;
  const ux = ((x[longest.b] ?? 0) - (x[longest.a] ?? 0)) / (longest.length || 1);
  const uy = ((y[longest.b] ?? 0) - (y[longest.a] ?? 0)) / (longest.length || 1);
  const tolerance = Math.max(grid.rowSpacingMm, grid.columnSpacingMm);
  let short = { across: -1, along: Infinity, length: 0 };
  for (let a = 0; a < x.length; a++) {
    for (let b = a + 1; b < x.length; b++) {
      const dx = (x[b] ?? 0) - (x[a] ?? 0);
      const dy = (y[b] ?? 0) - (y[a] ?? 0);
      const along = Math.abs(dx * ux + dy * uy);
      const across = Math.abs(-dx * uy + dy * ux);
      if (along > tolerance) continue;
      if (across > short.across || (across === short.across && along < short.along)) {
        short = { across, along, length: Math.hypot(dx, dy) };
      }
    }
  }
  return { longAxisMm: longest.length, shortAxisMm: short.length };
}
