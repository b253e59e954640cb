/**
 * Builds bench/seg.bench.ts with esbuild into .cache/bench and runs it with
 * Node. Prints times and memory; asserts nothing. Usage: node scripts/bench-seg.mjs
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outfile = path.join(root, '.cache', 'bench', 'seg.bench.cjs');

await build({
  entryPoints: [path.join(root, 'bench', 'seg.bench.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
});
const run = spawnSync(process.execPath, ['--expose-gc', outfile], { stdio: 'inherit', cwd: root });
process.exit(run.status ?? 1);
