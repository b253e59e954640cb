/**
 * The SEG benchmark's figures as summary rows: ours beside the host viewer's
 * exporter (@cornerstonejs/adapters generateSegmentation) where it does the
 * same work; decoding and storing have no counterpart there.
 */
import type { BenchRow } from './benchRow';

/** What one task's child process reported (seg.bench.ts). */
export interface SegTaskResult {
  task: string;
  ms?: number;
  peakExtraMB?: number;
  error?: string;
}

/** Ours and the reference task per row; null reference where the host has none. */
const PAIRS: [string, string, string | null][] = [
  ['encode, first in process', 'ours-encode-cold', 'cornerstone-encode-cold'],
  ['encode, second in process', 'ours-encode-warm', 'cornerstone-encode-warm'],
  ['decode (readSeg), warm', 'ours-decode-warm', null],
  ['store to Orthanc (STOW-RS)', 'ours-store', null],
];

/** Encodes whose peak memory is compared too. */
const MEMORY_PAIRS = PAIRS.slice(0, 2);

/** Rows from the task results; a failed or missing task gives null. */
export function createSegBenchRows(results: readonly SegTaskResult[]): BenchRow[] {
  const find = (task: string | null): SegTaskResult | undefined =>
    results.find((r) => r.task === task && r.error === undefined);
  const rows: BenchRow[] = PAIRS.map(([what, ours, reference]) => ({
    area: 'SEG',
    what,
    ours: find(ours)?.ms ?? null,
    reference: find(reference)?.ms ?? null,
    unit: 'ms',
  }));
  for (const [what, ours, reference] of MEMORY_PAIRS) {
    rows.push({
      area: 'SEG',
      what: `${what}: peak RSS above baseline`,
      ours: find(ours)?.peakExtraMB ?? null,
      reference: find(reference)?.peakExtraMB ?? null,
      unit: 'MB',
    });
  }
  return rows;
}
