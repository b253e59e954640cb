/**
 * Runs the Python reference pipeline (models/reference, `python3 -m
 * models.reference`) from jest on arrays, through .npy files in a temporary folder.
 * Debian's interpreter is named explicitly: the `python3` on PATH lacks numpy/torch.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Box } from '../../../../extension/src/core/inference/boxTransform';
import { readNpy, writeNpy } from '../../../support/npy';

const PYTHON = '/usr/bin/python3';
export const REPO_ROOT = path.resolve(__dirname, '../../../..');
/** The reference imports torch: a cold start takes seconds on two busy cores. */
const PYTHON_TIMEOUT_MS = 120_000;

export interface ReferencePreprocessed {
  /** float32 [1,3,S,S]. */
  input: Float32Array;
  /** float32 [1,4], model space. */
  modelBox: Float32Array;
  /** Geometry file for the postprocess command. */
  metaFile: string;
}

export interface ReferencePostprocessed {
  probabilities: Float32Array;
  mask: Uint8Array;
}

/** A temporary working folder for one test file, and the reference's commands. */
export class ReferencePipeline {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'medsam-reference-'));
  private next = 0;

  private file(name: string): string {
    this.next += 1;
    return path.join(this.dir, `${this.next}-${name}`);
  }

  private run(args: string[]): void {
    const result = spawnSync(PYTHON, ['-m', 'models.reference', ...args], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: PYTHON_TIMEOUT_MS,
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    });
    if (result.status !== 0) {
      throw new Error(
        `python3 -m models.reference ${args[0]} failed (${result.status}): ${result.stderr}`,
      );
    }
  }

  /** Writes a manifest object to a file the commands can read. */
  writeManifest(manifest: unknown): string {
    const file = this.file('manifest.json');
    writeFileSync(file, JSON.stringify(manifest));
    return file;
  }

  /** The reference's 8-bit grey volume of modality values (slices of equal size). */
  intensity(
    manifestFile: string,
    modality: string,
    slices: Float32Array[],
    width: number,
    height: number,
  ): Uint8Array[] {
    const volume = new Float32Array(slices.length * width * height);
    slices.forEach((s, i) => volume.set(s, i * width * height));
    const input = this.file('volume.npy');
    const output = this.file('grey.npy');
    writeNpy(input, { descr: '<f4', shape: [slices.length, height, width], data: volume });
    this.run([
      'intensity',
      '--manifest',
      manifestFile,
      '--modality',
      modality,
      '--volume',
      input,
      '--out',
      output,
    ]);
    const grey = readNpy(output).data as Uint8Array;
    return slices.map((_, i) => grey.slice(i * width * height, (i + 1) * width * height));
  }

  /** The reference's encoder input and model box for one 8-bit slice and pixel box. */
  preprocess(
    manifestFile: string,
    grey: Uint8Array,
    width: number,
    height: number,
    box: Box,
  ): ReferencePreprocessed {
    const image = this.file('slice.npy');
    const out = this.file('pre');
    writeNpy(image, { descr: '|u1', shape: [height, width], data: grey });
    this.run([
      'preprocess',
      '--manifest',
      manifestFile,
      '--image',
      image,
      '--box',
      box.join(','),
      '--out-dir',
      out,
    ]);
    return {
      input: readNpy(path.join(out, 'input.npy')).data as Float32Array,
      modelBox: readNpy(path.join(out, 'box.npy')).data as Float32Array,
      metaFile: path.join(out, 'meta.json'),
    };
  }

  /** The reference's probabilities and mask from decoder logits. */
  postprocess(
    manifestFile: string,
    logits: Float32Array,
    dims: number[],
    metaFile: string,
  ): ReferencePostprocessed {
    const input = this.file('logits.npy');
    const out = this.file('post');
    writeNpy(input, { descr: '<f4', shape: dims, data: logits });
    this.run([
      'postprocess',
      '--manifest',
      manifestFile,
      '--logits',
      input,
      '--meta',
      metaFile,
      '--out-dir',
      out,
    ]);
    return {
      probabilities: readNpy(path.join(out, 'probabilities.npy')).data as Float32Array,
      mask: readNpy(path.join(out, 'mask.npy')).data as Uint8Array,
    };
  }

  /** Geometry file for postprocess without a preprocess run. */
  writeMeta(meta: Record<string, number>): string {
    const file = this.file('meta.json');
    writeFileSync(file, JSON.stringify(meta));
    return file;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Parsed JSON of a repository file. */
export function readRepoJson(relative: string): unknown {
  return JSON.parse(readFileSync(path.join(REPO_ROOT, relative), 'utf8')) as unknown;
}

/** Largest absolute difference of two equally long arrays. */
export function computeMaxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++)
    worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
}

/** Indices where two arrays differ. */
export function findDifferences(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) out.push(i);
  return out;
}
