/**
 * Running the Python toolchain and reference from jest, and the paths they share.
 * Debian's interpreter is named explicitly: the `python3` on PATH lacks torch.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import path from 'path';
import * as ort from 'onnxruntime-node';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const SHARED_MODELS = path.resolve(REPO_ROOT, '..', 'shared', 'models');
export const MODELS_DIR = path.join(REPO_ROOT, 'models');
const PYTHON = '/usr/bin/python3';
/** Generous: a full LiteMedSAM trace takes about 10 s on two busy cores. */
const PYTHON_TIMEOUT_MS = 240_000;

export interface PythonResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `python3 -m <module> <args>` from the repository root. */
export function runPython(module: string, args: readonly string[]): PythonResult {
  const result = spawnSync(PYTHON, ['-m', module, ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: PYTHON_TIMEOUT_MS,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Like runPython, but throws with stderr when the command fails. */
export function runPythonOk(module: string, args: readonly string[]): string {
  const result = runPython(module, args);
  if (result.status !== 0) {
    throw new Error(`python3 -m ${module} ${args.join(' ')} failed (${result.status}):\n${result.stderr}`);
  }
  return result.stdout;
}

/** A fresh temporary folder and its remover. */
export function makeTempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Parsed JSON of a file. */
export function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8')) as unknown;
}

/** Name, element type and shape of each graph input or output, from ORT's metadata. */
export function describeIo(metadata: readonly ort.InferenceSession.ValueMetadata[]): string[] {
  return metadata.map((m) => (m.isTensor ? `${m.name}:${m.type}[${m.shape.join(',')}]` : `${m.name}:?`));
}

/** Largest absolute difference between two equally long arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
}
