/**
 * Bundles the extension, the mode and the inference worker into one ES module
 * each (esbuild), plus the local server for `npm start`.
 *
 * The build fails when a browser bundle holds a value import of @ohif/* or
 * @cornerstonejs/*: those must come from the running viewer, never a second
 * copy (type-only imports are erased and fine).
 */
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const bundlesDir = path.join(repoRoot, '.build', 'bundles');
export const serverBundle = path.join(repoRoot, '.build', 'server', 'main.mjs');
export const loadStudiesBundle = path.join(repoRoot, '.build', 'server', 'loadStudies.mjs');

/** Browser bundles: entry, output file name. */
const BROWSER_ENTRIES = [
  ['extension/src/index.ts', 'medsam-extension.mjs'],
  ['mode/src/index.ts', 'medsam-mode.mjs'],
  ['extension/src/core/inference/worker/inferenceWorker.ts', 'medsam-inference-worker.mjs'],
];

const FORBIDDEN = /^(@ohif\/|@cornerstonejs\/)/;
/**
 * Stateless helpers under @cornerstonejs that hold no viewer state, so a copy
 * of our own is harmless: calculate-suv is pure SUV arithmetic (core/quant).
 */
const ALLOWED_HOST_PACKAGES = /node_modules\/@cornerstonejs\/calculate-suv\//;

/** Throws when any bundle input or import comes from the host's packages. */
export function checkNoHostCopies(metafile) {
  const problems = [];
  for (const [input, info] of Object.entries(metafile.inputs)) {
    const hostCode = /node_modules\/(@ohif|@cornerstonejs)\//.test(input) && !ALLOWED_HOST_PACKAGES.test(input);
    if (hostCode) problems.push(`bundled host code: ${input}`);
    for (const imp of info.imports ?? []) {
      if (imp.external && FORBIDDEN.test(imp.path) && imp.kind !== 'import-statement-type') {
        problems.push(`${input} imports ${imp.path} at run time`);
      }
    }
  }
  if (problems.length) {
    throw new Error(`Bundles must not carry a copy of OHIF or cornerstone:\n  ${problems.join('\n  ')}`);
  }
}

export async function buildBundles({ minify = true } = {}) {
  const entries = BROWSER_ENTRIES.filter(([entry]) => existsSync(path.join(repoRoot, entry)));
  for (const [entry, outfile] of entries) {
    const result = await esbuild.build({
      entryPoints: [path.join(repoRoot, entry)],
      outfile: path.join(bundlesDir, outfile),
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      minify,
      sourcemap: true,
      metafile: true,
      legalComments: 'linked',
      define: { 'process.env.NODE_ENV': '"production"' },
      logLevel: 'warning',
    });
    checkNoHostCopies(result.metafile);
  }
  await esbuild.build({
    entryPoints: [path.join(repoRoot, 'server/src/main.ts')],
    outfile: serverBundle,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
  await esbuild.build({
    entryPoints: [path.join(repoRoot, 'server/src/cli/loadStudiesCli.ts')],
    outfile: loadStudiesBundle,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return { bundlesDir, serverBundle };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildBundles();
  console.log(`Bundles written to ${path.relative(repoRoot, bundlesDir)}`);
}
