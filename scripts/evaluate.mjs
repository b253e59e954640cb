/**
 * `npm run evaluate -- [dataDir] [options]`: runs models/evaluation/cli.ts in
 * Node. The TypeScript sources are transpiled file by file as they are
 * required (esbuild's transform, no bundle), so `__dirname` and relative paths
 * keep meaning what they mean in the sources; types are checked by
 * `npm run typecheck`, not here.
 */
import { transformSync } from 'esbuild';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const Module = require('node:module');

Module._extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    loader: 'ts',
    format: 'cjs',
    target: 'node20',
    sourcefile: filename,
    sourcemap: 'inline',
  });
  module._compile(code, filename);
};

const { main } = require(path.join(repoRoot, 'models/evaluation/cli.ts'));
process.exitCode = await main(process.argv.slice(2));
