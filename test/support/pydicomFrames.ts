/**
 * Runs pydicom (Debian's /usr/bin/python3, pydicom 2.3.1) on a SEG file and
 * returns what it decodes per frame: an independent reader for our tests.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';

/** The interpreter that has pydicom and numpy; the `python3` on PATH has not. */
export const DEBIAN_PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(__dirname, 'pydicom_seg_frames.py');

export interface PydicomFrame {
  segment: number | null;
  source: string;
  sha256: string;
  nonzero: number;
}

export interface PydicomSummary {
  rows: number;
  columns: number;
  frames: PydicomFrame[];
}

/** Decodes `file` with pydicom; `fractionalThreshold` binarises FRACTIONAL frames. */
export function readFramesWithPydicom(file: string, fractionalThreshold?: number): PydicomSummary {
  const args = [
    SCRIPT,
    file,
    ...(fractionalThreshold === undefined ? [] : [String(fractionalThreshold)]),
  ];
  const output = execFileSync(DEBIAN_PYTHON, args, {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(output) as PydicomSummary;
}

/** SHA-256 of a mask as pydicom's script hashes it: one byte per pixel. */
export function hashMask(mask: Uint8Array): string {
  return createHash('sha256').update(mask).digest('hex');
}
