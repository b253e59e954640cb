/**
 * Fetches the prebuilt OHIF viewer (@ohif/app) as one tarball, checks it against
 * the registry's integrity value and unpacks its dist/ outside git, once.
 *
 * Why not `npm install @ohif/app`: some of its @ohif/* dependencies are absent from
 * the registry (../shared/docs/ohif-host.md), and we only need the static dist/.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const VIEWER_PACKAGE = '@ohif/app';
export const VIEWER_VERSION = '3.13.2';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = path.join(repoRoot, '.cache');

/** Folder holding the unpacked viewer (index.html and its bundles). */
export const viewerRoot = path.join(cacheDir, `ohif-app-${VIEWER_VERSION}`, 'dist');

function npm(args, cwd) {
  return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

function computeIntegrity(file) {
  return 'sha512-' + createHash('sha512').update(readFileSync(file)).digest('base64');
}

/**
 * Makes sure the viewer is unpacked; returns its dist folder.
 * @param {(line: string) => void} log
 */
export function ensureViewer(log = console.log) {
  const marker = path.join(viewerRoot, '..', 'INTEGRITY');
  if (existsSync(path.join(viewerRoot, 'index.html')) && existsSync(marker)) return viewerRoot;
  mkdirSync(cacheDir, { recursive: true });
  const spec = `${VIEWER_PACKAGE}@${VIEWER_VERSION}`;
  log(`Fetching the OHIF viewer ${spec} (about 60 MB, once)...`);
  const expected = npm(['view', spec, 'dist.integrity'], cacheDir).trim();
  if (!expected.startsWith('sha512-')) {
    throw new Error(`The registry gave no sha512 integrity for ${spec} (got '${expected}').`);
  }
  const packed = JSON.parse(npm(['pack', spec, '--json', '--pack-destination', cacheDir], cacheDir));
  const tarball = path.join(cacheDir, packed[0].filename);
  const actual = computeIntegrity(tarball);
  if (actual !== expected) {
    rmSync(tarball, { force: true });
    throw new Error(`${spec}: tarball integrity ${actual} does not match the registry's ${expected}.`);
  }
  const staging = path.join(cacheDir, `ohif-app-${VIEWER_VERSION}.partial`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', staging, '--strip-components=1', 'package/dist']);
  writeFileSync(path.join(staging, 'INTEGRITY'), expected + '\n');
  rmSync(path.join(viewerRoot, '..'), { recursive: true, force: true });
  renameSync(staging, path.join(viewerRoot, '..'));
  rmSync(tarball, { force: true });
  log(`OHIF viewer ${VIEWER_VERSION} unpacked in ${path.relative(repoRoot, viewerRoot)}`);
  return viewerRoot;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) ensureViewer();
