/**
 * RECIST 1.1 style bidimensional diameters of a segment, measured in the
 * acquisition plane (axial for axial series).
 *
 * Definitions (all distances between pixel centres, in mm):
 * - Long axis: on each slice, the largest distance between the centres of two
 *   inside pixels. That maximum is reached between vertices of the convex hull
 *   of the boundary pixels (an inside pixel with a 4-neighbour outside or off
 *   the image), so only those are compared. The segment's long axis is the
 *   largest over slices; ties go to the lowest slice index.
 * - Short axis: on the long axis' slice, among pairs of boundary pixels whose
 *   offset along the long axis is at most the tolerance τ, the pair with the
 *   largest extent perpendicular to the long axis (ties: smallest offset along
 *   it). Its length is the distance between the two centres. τ defaults to one
 *   pixel: along any direction, neighbouring boundary pixels project at most
 *   √2/2 pixel apart, so every boundary pixel has a partner within the band.
 *   The pair need not cross the long axis.
 * A segment with several parts on a slice is measured as one lesion.
 */

import type { Vec3 } from '../dicom/seriesGeometry';
import type { SliceMasks } from './segmentInput';
import {
  collectBoundaryPixels,
  computeConvexHull,
  computeSliceBounds,
  type PlanarPoints,
  type SliceBounds,
} from './sliceOutline';
import { computePatientPosition, type VoxelGrid } from './voxelGrid';

/** Lengths closer than this (mm) are ties. */
const LENGTH_TIE_MM = 1e-9;

/** 0-based position of a voxel centre in the series. */
export interface ImageIndex {
  sliceIndex: number;
  row: number;
  column: number;
}

export interface DiameterEndpoint {
  index: ImageIndex;
  /** Patient coordinates (LPS) of the voxel centre, mm. */
  patientMm: Vec3;
}

export interface Diameter {
  lengthMm: number;
  start: DiameterEndpoint;
  end: DiameterEndpoint;
}

export interface BidimensionalDiameters {
  /** The slice that holds both axes. */
  sliceIndex: number;
  longAxis: Diameter;
  shortAxis: Diameter;
  /** The τ that was used for the short axis, mm. */
  perpendicularToleranceMm: number;
}

export interface DiameterOptions {
  /** τ of the short-axis definition, mm; default one in-plane pixel (the larger spacing). */
  perpendicularToleranceMm?: number;
}

/** Voxels per slice (computeVolume): slices with none are skipped unread. */
export type VoxelCountPerSlice = ArrayLike<number>;

interface SliceLongAxis {
  sliceIndex: number;
  points: PlanarPoints;
  a: number;
  b: number;
  lengthMm: number;
}

function measureLongAxis(points: PlanarPoints): { a: number; b: number; lengthMm: number } {
  const hull = computeConvexHull(points);
  const { x, y } = points;
  let best = { a: hull[0] ?? 0, b: hull[0] ?? 0, lengthMm: 0 };
  let bestSquared = 0;
  for (let i = 0; i < hull.length; i++) {
    const p = hull[i] ?? 0;
    for (let j = i + 1; j < hull.length; j++) {
      const q = hull[j] ?? 0;
      const dx = (x[q] ?? 0) - (x[p] ?? 0);
      const dy = (y[q] ?? 0) - (y[p] ?? 0);
      const squared = dx * dx + dy * dy;
      if (squared > bestSquared) {
        bestSquared = squared;
        best = { a: p, b: q, lengthMm: 0 };
      }
    }
  }
  best.lengthMm = Math.sqrt(bestSquared);
  return best;
}

function boundsDiagonalMm(bounds: SliceBounds, grid: VoxelGrid): number {
  const width = (bounds.maxColumn - bounds.minColumn) * grid.columnSpacingMm;
  const height = (bounds.maxRow - bounds.minRow) * grid.rowSpacingMm;
  return Math.hypot(width, height);
}

function findLongestSlice(
  mask: SliceMasks,
  grid: VoxelGrid,
  counts: VoxelCountPerSlice | undefined,
): SliceLongAxis | null {
  const candidates: { sliceIndex: number; bounds: SliceBounds; boundMm: number }[] = [];
  for (const [sliceIndex, slice] of mask.entries()) {
    if (slice === null || counts?.[sliceIndex] === 0) continue;
    const bounds = computeSliceBounds(slice, grid.rows, grid.columns);
    if (bounds) candidates.push({ sliceIndex, bounds, boundMm: boundsDiagonalMm(bounds, grid) });
  }
  // The bounding-box diagonal bounds a slice's diameter from above, so slices
  // are visited from the largest bound down and the search stops once no
  // remaining slice can beat the best: usually after one or two slices.
  candidates.sort((p, q) => q.boundMm - p.boundMm || p.sliceIndex - q.sliceIndex);
  let best: SliceLongAxis | null = null;
  for (const candidate of candidates) {
    if (best && candidate.boundMm < best.lengthMm - LENGTH_TIE_MM) break;
    const slice = mask[candidate.sliceIndex];
    if (!slice) continue;
    const points = collectBoundaryPixels(
      slice,
      grid.rows,
      grid.columns,
      candidate.bounds,
      grid.rowSpacingMm,
      grid.columnSpacingMm,
    );
    const axis = measureLongAxis(points);
    const longer = !best || axis.lengthMm > best.lengthMm + LENGTH_TIE_MM;
    const tiedLower =
      best !== null &&
      Math.abs(axis.lengthMm - best.lengthMm) <= LENGTH_TIE_MM &&
      candidate.sliceIndex < best.sliceIndex;
    if (longer || tiedLower) best = { sliceIndex: candidate.sliceIndex, points, ...axis };
  }
  return best;
}

/**
 * Short axis per the module definition, with the points sorted along the long
 * axis so that only pairs inside the τ band are compared.
 */
function measureShortAxis(
  points: PlanarPoints,
  a: number,
  b: number,
  toleranceMm: number,
): { a: number; b: number } {
  const { x, y } = points;
  const dx = (x[b] ?? 0) - (x[a] ?? 0);
  const dy = (y[b] ?? 0) - (y[a] ?? 0);
  const length = Math.hypot(dx, dy);
  if (length === 0) return { a, b: a };
  const ux = dx / length;
  const uy = dy / length;
  const n = x.length;
  const along = new Float64Array(n);
  const across = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    along[i] = (x[i] ?? 0) * ux + (y[i] ?? 0) * uy;
    across[i] = (y[i] ?? 0) * ux - (x[i] ?? 0) * uy;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (p, q) => (along[p] ?? 0) - (along[q] ?? 0),
  );
  let best = { a, b: a, extent: 0, offset: 0 };
  for (let i = 0; i < n; i++) {
    const p = order[i] ?? 0;
    for (let j = i + 1; j < n; j++) {
      const q = order[j] ?? 0;
      const offset = (along[q] ?? 0) - (along[p] ?? 0);
      if (offset > toleranceMm) break;
      const extent = Math.abs((across[q] ?? 0) - (across[p] ?? 0));
      const wider = extent > best.extent + LENGTH_TIE_MM;
      const straighter = Math.abs(extent - best.extent) <= LENGTH_TIE_MM && offset < best.offset;
      if (wider || straighter) best = { a: p, b: q, extent, offset };
    }
  }
  return { a: best.a, b: best.b };
}

function createDiameter(
  grid: VoxelGrid,
  sliceIndex: number,
  points: PlanarPoints,
  a: number,
  b: number,
): Diameter {
  const endpoint = (i: number): DiameterEndpoint => {
    const pixel = points.pixelIndices[i] ?? 0;
    const row = Math.floor(pixel / grid.columns);
    const column = pixel % grid.columns;
    return {
      index: { sliceIndex, row, column },
      patientMm: computePatientPosition(grid, sliceIndex, row, column),
    };
  };
  const lengthMm = Math.hypot(
    (points.x[b] ?? 0) - (points.x[a] ?? 0),
    (points.y[b] ?? 0) - (points.y[a] ?? 0),
  );
  return { lengthMm, start: endpoint(a), end: endpoint(b) };
}

/**
 * Long and short axis of a segment (definitions in the module comment), or
 * null when the mask is empty. Endpoints come as image indices and patient mm
 * so the viewer can draw them.
 *
 * @param voxelCountPerSlice optional, from computeVolume: empty slices are
 *   then skipped without reading them.
 */
export function computeBidimensionalDiameters(
  mask: SliceMasks,
  grid: VoxelGrid,
  options: DiameterOptions = {},
  voxelCountPerSlice?: VoxelCountPerSlice,
): BidimensionalDiameters | null {
  const tolerance =
    options.perpendicularToleranceMm ?? Math.max(grid.rowSpacingMm, grid.columnSpacingMm);
  if (!(tolerance >= 0)) throw new RangeError(`Invalid perpendicular tolerance ${tolerance}`);
  const longest = findLongestSlice(mask, grid, voxelCountPerSlice);
  if (!longest) return null;
  const { sliceIndex, points, a, b } = longest;
  const short = measureShortAxis(points, a, b, tolerance);
  return {
    sliceIndex,
    longAxis: createDiameter(grid, sliceIndex, points, a, b),
    shortAxis: createDiameter(grid, sliceIndex, points, short.a, short.b),
    perpendicularToleranceMm: tolerance,
  };
}
