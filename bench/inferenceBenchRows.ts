/**
 * The inference benchmark's figures as summary rows: ours is the engine on
 * onnxruntime-web's WASM backend (what a browser without WebGPU runs), the
 * reference the same engine code on onnxruntime-node in the same run.
 */
import type { BenchRow } from './benchRow';
import type { BackendName, CaseResult } from './inferenceBenchCase';

/** Nearest-rank percentile (p in 0..100) of the values; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

type Figure = (r: CaseResult) => number;

const median = (values: readonly number[]): number => percentile(values, 50);
const perSlice: Figure = (r) => r.propagationMs / r.propagationSlices;

/** Figures compared between the two backends: what, how to read it, unit. */
const COMPARED: [string, Figure, string][] = [
  ['load, cold', (r) => r.loadColdMs, 'ms'],
  ['load, from store', (r) => r.loadCachedMs, 'ms'],
  ['encoder median', (r) => median(r.encodeMs), 'ms'],
  ['encoder p95', (r) => percentile(r.encodeMs, 95), 'ms'],
  ['decoder median', (r) => median(r.decodeMs), 'ms'],
  ['decoder p95', (r) => percentile(r.decodeMs, 95), 'ms'],
  ['3D propagation per slice', perSlice, 'ms'],
  ['peak RSS', (r) => r.peakRssMb, 'MB'],
];

/**
 * Pre- and post-processing are our own JavaScript on either backend: timing
 * them in the node process too gives no reference, so only ours is shown.
 */
const OURS_ONLY: [string, Figure, string][] = [
  ['preprocess median', (r) => median(r.preprocessMs), 'ms'],
  ['postprocess median', (r) => median(r.postprocessMs), 'ms'],
  // absent for a model whose manifest fuses no CT answer
  ['CT fusion median', (r) => median(r.fusionMs), 'ms'],
];

/** Rows per model, from its results keyed by backend (either may be missing). */
export function createInferenceBenchRows(
  byModel: ReadonlyMap<string, ReadonlyMap<BackendName, CaseResult>>,
): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const [model, results] of byModel) {
    const web = results.get('web-wasm');
    const node = results.get('node');
    const read = (r: CaseResult | undefined, figure: Figure): number | null =>
      r ? figure(r) : null;
    // the drift stop may end the two runs on different slices: say how many each ran
    const slices = [web, node].map((r) => r?.propagationSlices ?? '-').join(' / ');
    for (const [what, figure, unit] of COMPARED) {
      const label = figure === perSlice ? `${what} (${slices} sl)` : what;
      rows.push({
        area: 'inference',
        what: `${model} ${label}`,
        ours: read(web, figure),
        reference: read(node, figure),
        unit,
      });
    }
    for (const [what, figure, unit] of OURS_ONLY) {
      const value = read(web ?? node, figure);
      if (value === null || Number.isNaN(value)) continue;
      rows.push({
        area: 'inference',
        what: `${model} ${what}`,
        ours: value,
        reference: null,
        unit,
      });
    }
  }
  return rows;
}
