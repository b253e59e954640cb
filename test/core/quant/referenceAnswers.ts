/**
 * Shapes of the Python reference answers (reference/quant_reference.py) and
 * the comparisons the real-data tests make against them.
 */

import path from 'node:path';
import type { SegmentMeasurement } from '../../../extension/src/core/quant/measureSegment';
import { runPythonJson } from '../../support/runPythonJson';

export const REFERENCE_SCRIPT = path.resolve(__dirname, 'reference', 'quant_reference.py');

export interface ReferenceStats {
  mean: number;
  sd: number;
  min: number;
  max: number;
  median: number;
}

export interface ReferenceCase {
  label: number | null;
  voxelCount: number;
  perSlice: number[];
  volumeMl: number;
  stats: ReferenceStats;
  longestPerSlice: number[];
  shortAxis?: { extent: number; length: number };
  suvPeak?: { value: number; centre: [number, number, number]; count: number };
}

export interface MasksAnswer {
  slab: number[];
  rowSpacing: number;
  colSpacing: number;
  cases: ReferenceCase[];
  rtstruct?: { voxelCount: number; dice: number; slices: number[] };
}

/** What the reference needs from a TypeScript measurement to check its short axis. */
export function describeCase(
  label: number | null,
  m: SegmentMeasurement,
  extra: { scale?: number; suvPeak?: boolean } = {},
): Record<string, unknown> {
  const d = m.diameters;
  const longAxis = d && {
    slice: d.sliceIndex,
    start: [d.longAxis.start.index.row, d.longAxis.start.index.column],
    end: [d.longAxis.end.index.row, d.longAxis.end.index.column],
    tolerance: d.perpendicularToleranceMm,
  };
  return { label, longAxis, ...extra };
}

export function runMasksReference(request: Record<string, unknown>): MasksAnswer {
  return runPythonJson(REFERENCE_SCRIPT, { command: 'masks', ...request }) as MasksAnswer;
}

/** |actual − expected| ≤ rel × max(1, |expected|): relative, with an absolute floor near 0. */
export function expectClose(actual: number | undefined, expected: number, rel = 1e-6): void {
  expect(actual).toBeDefined();
  const error = Math.abs((actual ?? NaN) - expected);
  expect(error).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(expected)));
}

/**
 * Checks a measurement against its reference: voxel counts per slice, volume,
 * statistics, the long axis (largest boundary-pair distance over slices, on a
 * slice where it is reached) and the short axis, within one voxel.
 */
export function expectMatchesReference(
  m: SegmentMeasurement,
  ref: ReferenceCase,
  voxelMm: number,
): void {
  expect(m.voxelCount).toBe(ref.voxelCount);
  expectClose(m.volumeMl, ref.volumeMl, 1e-9);
  const stats = m.intensity;
  expectClose(stats?.mean, ref.stats.mean);
  expectClose(stats?.standardDeviation, ref.stats.sd);
  expectClose(stats?.min, ref.stats.min);
  expectClose(stats?.max, ref.stats.max);
  expectClose(stats?.median, ref.stats.median);
  const longest = Math.max(...ref.longestPerSlice);
  const d = m.diameters;
  if (!d || !ref.shortAxis) throw new Error('expected diameters on both sides');
  expect(Math.abs(d.longAxis.lengthMm - longest)).toBeLessThanOrEqual(voxelMm);
  expect(Math.abs((ref.longestPerSlice[d.sliceIndex] ?? NaN) - longest)).toBeLessThanOrEqual(1e-9);
  expect(Math.abs(d.shortAxis.lengthMm - ref.shortAxis.length)).toBeLessThanOrEqual(voxelMm);
}
