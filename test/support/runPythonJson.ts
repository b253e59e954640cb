/**
 * Test helper: runs a Python reference script with /usr/bin/python3 (the
 * Debian interpreter with numpy, nibabel and pydicom), sending one JSON
 * request on stdin and parsing one JSON answer from stdout.
 */

import { spawnSync } from 'node:child_process';
import path from 'node:path';

const PYTHON = '/usr/bin/python3';
/** Generous: the ct-organs references decode 20 JPEG 2000 slices and pair up boundaries. */
const PYTHON_TIMEOUT_MS = 120_000;

export function runPythonJson(script: string, request: unknown): unknown {
  const run = spawnSync(PYTHON, [script], {
    input: JSON.stringify(request),
    encoding: 'utf8',
    timeout: PYTHON_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`${path.basename(script)} failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as unknown;
}

/** The shared data folder, ../shared/data relative to the repository root. */
export const SHARED_DATA = path.resolve(__dirname, '..', '..', '..', 'shared', 'data');
