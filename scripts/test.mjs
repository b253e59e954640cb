/**
 * `npm test`: everything the project proves, in one command.
 * 1. the prebuilt viewer is fetched (once) and our bundles are built, with the
 *    check that no bundle carries a copy of OHIF or cornerstone;
 * 2. TypeScript is type-checked (jest only transpiles);
 * 3. jest runs every suite: unit, parity, integration (each starts its own
 *    Orthanc on a free port with a temporary folder) and end-to-end (headless
 *    Chromium against our server).
 * Extra arguments go to jest, e.g. `npm test -- test/core/seg`.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureViewer } from './fetchViewer.mjs';
import { buildBundles } from './build.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outputDir = path.join(repoRoot, 'test-output');

function run(command, args) {
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit' });
  return result.status ?? 1;
}

ensureViewer();
await buildBundles();
console.log('Bundles built; no copy of OHIF or cornerstone inside.');

if (run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']) !== 0) {
  console.error('Type check failed.');
  process.exit(1);
}

mkdirSync(outputDir, { recursive: true });
const report = path.join(outputDir, 'jest-report.json');
rmSync(report, { force: true });
const jestArgs = ['jest', '--ci', '--json', `--outputFile=${report}`, ...process.argv.slice(2)];
const status = run('npx', jestArgs);

// One closing line that any CI reads, whatever the runner prints above it.
try {
  const summary = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = summary.numPendingTests + summary.numTodoTests;
  console.log(`\n${summary.numPassedTests} passed, ${summary.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ''));
} catch {
  console.log('\n0 passed, 1 failed');
}
process.exit(status);
