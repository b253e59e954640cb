/**
 * The outline's plane operations against scipy.ndimage, computed in the test from
 * the same random planes (scipy_reference.py): morphology exact, blur within 1e-9.
 */
import path from 'node:path';
import {
  dilateMask,
  erodeMask,
  fillHoles,
  keepLargestComponent,
} from '../../../../extension/src/core/inference/outline/maskMorphology';
import { gaussianBlur } from '../../../../extension/src/core/inference/outline/planeFilters';
import { runPythonJson } from '../../../support/runPythonJson';

interface Reference {
  eroded: number[];
  dilated: number[];
  largest: number[];
  filled: number[];
  blurred: number[];
}

/** A deterministic pseudo-random sequence (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Blobs: a few random discs and squares, so there are holes, touching parts and islands. */
function blobs(width: number, height: number, next: () => number): Uint8Array {
  const mask = new Uint8Array(width * height);
  for (let k = 0; k < 9; k++) {
    const cx = next() * width;
    const cy = next() * height;
    const r = 1 + next() * 6;
    const hollow = next() < 0.4;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const d = Math.hypot(x - cx, y - cy);
        if (d <= r && !(hollow && d < r - 2)) mask[y * width + x] = 1;
      }
    }
  }
  return mask;
}

describe.each([
  [1, 37, 23],
  [2, 50, 41],
  [3, 8, 61],
])('plane operations on random plane %i (%i x %i)', (seed, width, height) => {
  const next = random(seed);
  const mask = blobs(width, height, next);
  const values = Float64Array.from({ length: width * height }, () => next() * 200 - 50);
  const sigma = 1 + seed / 2;
  const reference = runPythonJson(path.join(__dirname, 'scipy_reference.py'), {
    width,
    height,
    mask: Array.from(mask),
    values: Array.from(values),
    sigma,
  }) as Reference;

  it('erodes and dilates as scipy.ndimage does with the 3 x 3 square', () => {
    expect(Array.from(erodeMask(mask, width, height))).toEqual(reference.eroded);
    expect(Array.from(dilateMask(mask, width, height, 2))).toEqual(reference.dilated);
  });

  it('keeps the largest 4-connected component and fills 4-connected holes as scipy does', () => {
    expect(Array.from(keepLargestComponent(mask, width, height))).toEqual(reference.largest);
    expect(Array.from(fillHoles(mask, width, height))).toEqual(reference.filled);
  });

  it('blurs as scipy.ndimage.gaussian_filter(mode="reflect") within 1e-9', () => {
    const blurred = gaussianBlur(values, width, height, sigma);
    blurred.forEach((v, i) => expect(Math.abs(v - (reference.blurred[i] as number))).toBeLessThan(1e-9));
  });
});
