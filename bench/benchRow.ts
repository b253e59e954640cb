/**
 * The machine-readable line every benchmark prints under `--json`, one per
 * measurement, for scripts/bench.mjs to gather into one table. A benchmark's
 * human-readable output stays as it was; these lines come after it.
 */

/** Start of each machine-readable line; the rest of the line is JSON. */
export const BENCH_ROW_PREFIX = 'BENCH_ROW ';

/** The benchmark a row comes from, as the summary table names it. */
export type BenchArea = 'inference' | 'SEG' | 'quantification';

/** One measurement: our figure beside the reference measured in the same run. */
export interface BenchRow {
  area: BenchArea;
  /** What was measured, short enough for a table cell. */
  what: string;
  /** Our figure; null where our side did not run. */
  ours: number | null;
  /** The reference's figure; null where there is none or it did not run. */
  reference: number | null;
  /** Unit of both figures, e.g. 'ms' or 'MB'. */
  unit: string;
}

/** True when `--json` is among the process arguments. */
export function wantsBenchRows(argv: readonly string[] = process.argv): boolean {
  return argv.includes('--json');
}

/** Writes one machine-readable line per row to stdout. */
export function printBenchRows(rows: readonly BenchRow[]): void {
  for (const row of rows) process.stdout.write(`${BENCH_ROW_PREFIX}${JSON.stringify(row)}\n`);
}
