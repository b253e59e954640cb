/**
 * Builds bench/inference.bench.ts with esbuild into .cache/bench and runs it with
 * Node, passing the arguments through. Prints times and memory; asserts nothing.
 * Usage: node scripts/bench-inference.mjs [--models a,b] [--backends node,web-wasm]
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outfile = path.join(root, '.cache', 'bench', 'inference.bench.cjs');

await build({
  entryPoints: [path.join(root, 'bench', 'inference.bench.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // native binding and WASM assets: loaded from node_modules at run time
  external: ['onnxruntime-node', 'onnxruntime-web'],
  logLevel: 'warning',
});
const run = spawnSync(process.execPath, [outfile, ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: root,
});
process.exit(run.status ?? 1);
