/**
 * Fusion of SAM's answer with the box's appearance, on synthetic planes whose
 * right answer is known by construction: a disc of one value in a surround of
 * another, a box drawn loose around it, and logits that say what general SAM says
 * of a loose box (the whole box) or nothing at all.
 */
import { computeLikelihoodRatio } from '../../../../extension/src/core/inference/outline/appearanceModel';
import { fuseAnswerWithAppearance } from '../../../../extension/src/core/inference/outline/fuseAnswer';
import {
  DEFAULT_FUSION,
  fuseWithAppearance,
} from '../../../../extension/src/core/inference/outline/fuseWithAppearance';
import type { Box } from '../../../../extension/src/core/inference/boxTransform';

const WIDTH = 96;
const HEIGHT = 80;
const CX = 40;
const CY = 36;
const R = 12;

function disc(): Uint8Array {
  const mask = new Uint8Array(WIDTH * HEIGHT);
  for (let y = 0; y < HEIGHT; y++)
    for (let x = 0; x < WIDTH; x++) if ((x + 0.5 - CX) ** 2 + (y + 0.5 - CY) ** 2 <= R * R) mask[y * WIDTH + x] = 1;
  return mask;
}

/** Lesion at 60, surroundings at 10, with a deterministic +-8 texture. */
function plane(truth: Uint8Array): Float64Array {
  return Float64Array.from(truth, (v, i) => (v ? 60 : 10) + 8 * Math.sin(i * 12.9898) * Math.cos(i * 4.1414));
}

function dice(a: Uint8Array, b: Uint8Array): number {
  let both = 0;
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    both += a[i] && b[i] ? 1 : 0;
    sum += (a[i] as number) + (b[i] as number);
  }
  return (2 * both) / sum;
}

function fill(box: Box, inside: number, outside: number): Float64Array {
  return Float64Array.from({ length: WIDTH * HEIGHT }, (_, i) => {
    const x = i % WIDTH;
    const y = Math.floor(i / WIDTH);
    return x >= box[0] && x <= box[2] && y >= box[1] && y <= box[3] ? inside : outside;
  });
}

const truth = disc();
const values = plane(truth);
// the disc's bounding box is 28..51 x 24..47; this box is 8 px looser on every side
const looseBox: Box = [20, 16, 59, 55];

describe('computeLikelihoodRatio', () => {
  it('is positive where a value looks like the lesion sample and negative where it looks like the surround', () => {
    const lesion = Float64Array.from(truth);
    const surround = Float64Array.from(truth, (v) => 1 - v);
    const ratio = computeLikelihoodRatio(values, lesion, surround);
    let agree = 0;
    ratio.forEach((r, i) => (agree += (r > 0 ? 1 : 0) === truth[i] ? 1 : 0));
    expect(agree).toBe(truth.length);
  });

  it('is near zero everywhere when both samples are the same pixels', () => {
    const all = new Float64Array(truth.length).fill(1);
    for (const r of computeLikelihoodRatio(values, all, all)) expect(Math.abs(r)).toBeLessThan(1e-9);
  });
});

describe('fuseWithAppearance', () => {
  it('cuts a loose box that SAM filled whole back to the lesion', () => {
    const logits = fill(looseBox, 5, -20); // SAM: everything in the box
    const samMask = Uint8Array.from(logits, (l) => (l > 0 ? 1 : 0));
    const fused = fuseWithAppearance({ width: WIDTH, height: HEIGHT, values, logits, box: looseBox });
    expect(dice(samMask, truth)).toBeLessThan(0.6);
    expect(dice(fused, truth)).toBeGreaterThan(0.95);
  });

  it('never reaches outside the box, even where SAM and the appearance both say lesion', () => {
    const tightish: Box = [34, 30, 45, 41]; // inside the disc
    const logits = fill([0, 0, WIDTH - 1, HEIGHT - 1], 10, 10);
    const fused = fuseWithAppearance({ width: WIDTH, height: HEIGHT, values, logits, box: tightish });
    fused.forEach((v, i) => {
      const x = i % WIDTH;
      const y = Math.floor(i / WIDTH);
      if (v) expect(x >= 34 && x <= 45 && y >= 30 && y <= 41).toBe(true);
    });
    expect(fused.reduce((n, v) => n + v, 0)).toBe(12 * 12);
  });

  it('keeps one component with no holes', () => {
    // a second bright island inside the box's corner, and a dark pit in the lesion
    const withIsland = values.slice();
    for (let y = 17; y < 21; y++) for (let x = 21; x < 25; x++) withIsland[y * WIDTH + x] = 60;
    withIsland[CY * WIDTH + CX] = 10;
    const logits = fill(looseBox, 0, -20);
    const fused = fuseWithAppearance({ width: WIDTH, height: HEIGHT, values: withIsland, logits, box: looseBox });
    expect(fused[18 * WIDTH + 22]).toBe(0);
    expect(fused[CY * WIDTH + CX]).toBe(1);
  });
});

describe('fuseAnswerWithAppearance', () => {
  it('works on the box neighbourhood and places the outline back in the image, within a pixel of the lesion', () => {
    const probability = Float32Array.from(fill(looseBox, 5, -20), (l) => 1 / (1 + Math.exp(-l)));
    const fused = fuseAnswerWithAppearance({ key: 'plane', width: WIDTH, height: HEIGHT, pixels: values }, probability, looseBox, DEFAULT_FUSION);
    expect(fused.length).toBe(WIDTH * HEIGHT);
    // the blur (sigma 1 px) gives the lesion's edge values neither histogram has
    // seen; there SAM's logit decides, and here it says lesion: at most one pixel out
    fused.forEach((v, i) => {
      const r = Math.hypot((i % WIDTH) + 0.5 - CX, Math.floor(i / WIDTH) + 0.5 - CY);
      if (truth[i]) expect(v).toBe(1);
      if (v) expect(r).toBeLessThanOrEqual(R + 1.5);
    });
    expect(dice(fused, truth)).toBeGreaterThan(0.85);
  });
});
