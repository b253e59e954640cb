/**
 * `npm start`: every set-up step, then the server. Only Node's own modules are
 * imported at the top: the npm dependencies may not be installed yet.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function ensureDependencies() {
  const marker = path.join(repoRoot, 'node_modules', '.package-lock.json');
  if (existsSync(marker)) return;
  console.log('Installing npm dependencies from the lock file (npm ci)...');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('npm ci failed: see the messages above.');
    process.exit(1);
  }
}

ensureDependencies();
const { ensureViewer } = await import('./fetchViewer.mjs');
const { buildBundles } = await import('./build.mjs');
const viewerRoot = ensureViewer();
const { bundlesDir, serverBundle } = await buildBundles();
const { main, reportStartFailure } = await import(pathToFileURL(serverBundle).href);
await main({ repoRoot, viewerRoot, bundlesRoot: bundlesDir }).catch(reportStartFailure);
