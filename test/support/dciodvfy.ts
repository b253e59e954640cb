/**
 * Runs dciodvfy (Debian dicom3tools) on a file and sorts its findings. Lines
 * starting with "Error" make a file non-conformant; warnings are reported.
 */
import { spawnSync } from 'node:child_process';

export const DCIODVFY = '/usr/bin/dciodvfy';

export interface DciodvfyResult {
  errors: string[];
  warnings: string[];
  /** The IOD dciodvfy recognised (its last line, e.g. "Segmentation"). */
  output: string;
}

export function runDciodvfy(file: string): DciodvfyResult {
  const run = spawnSync(DCIODVFY, [file], { encoding: 'utf8' });
  if (run.error) throw run.error;
  const output = `${run.stdout}${run.stderr}`;
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return {
    errors: lines.filter((line) => line.startsWith('Error')),
    warnings: lines.filter((line) => line.startsWith('Warning')),
    output,
  };
}
