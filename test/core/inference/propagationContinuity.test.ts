/**
 * What propagation hands the engine for the next slice: the previous slice's logits
 * as SAM's mask prompt when asked, the decoding options, and the growth limit on
 * what comes back. A recording engine answers with a fixed mask per slice, so
 * the only thing under test is the walk's bookkeeping.
 */
import type { Box } from '../../../extension/src/core/inference/boxTransform';
import { propagateVolume } from '../../../extension/src/core/inference/propagateVolume';
import type {
  SegmentationEngine,
  SegmentOptions,
  SegmentResult,
} from '../../../extension/src/core/inference/segmentationEngine';
import { createArrayVolume } from '../../../extension/src/core/inference/volumeAccessor';

const W = 40;
const H = 40;

function square(x0: number, y0: number, x1: number, y1: number): Uint8Array {
  const mask = new Uint8Array(W * H);
  for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) mask[y * W + x] = 1;
  return mask;
}

/** Slice 1: a 10 x 10 square; slices 0 and 2: the same square with a 15-px leak to the right. */
const answers = [
  (() => {
    const m = square(10, 10, 19, 19);
    square(20, 14, 34, 15).forEach((v, i) => (m[i] = m[i]! | v));
    return m;
  })(),
  square(10, 10, 19, 19),
  (() => {
    const m = square(10, 10, 19, 19);
    square(20, 14, 34, 15).forEach((v, i) => (m[i] = m[i]! | v));
    return m;
  })(),
];

function recordingEngine() {
  const calls: { index: number; box: Box; options: SegmentOptions }[] = [];
  const engine = {
    intensityFor: async () => ({ low: 0, high: 1, zeroStaysZero: false }),
    segmentImage: async (image: { key: string }, _m: unknown, box: Box, options: SegmentOptions = {}) => {
      const index = Number(image.key);
      calls.push({ index, box, options });
      const result: Partial<SegmentResult> = {
        mask: answers[index]!.slice(),
        width: W,
        height: H,
        lowResLogits: Float32Array.of(index),
        iou: 0.9,
      };
      return result as SegmentResult;
    },
  };
  return { engine: engine as unknown as SegmentationEngine, calls };
}

const volume = createArrayVolume(
  'v',
  'CT',
  [0, 1, 2].map((k) => ({ key: String(k), width: W, height: H, pixels: new Float32Array(W * H) })),
);

it("feeds the previous slice's logits and the decoding options to the next slice", async () => {
  const { engine, calls } = recordingEngine();
  await propagateVolume(engine, volume, {
    startIndex: 1,
    box: [8, 8, 21, 21],
    previousMaskPrompt: true,
    decoding: { refinePasses: 1 },
  });
  expect(calls.map((c) => c.index)).toEqual([1, 2, 0]);
  // the start slice has no previous answer; both neighbours get the start slice's logits
  expect(calls.map((c) => c.options.maskPrompt && Array.from(c.options.maskPrompt))).toEqual([undefined, [1], [1]]);
  expect(calls.every((c) => c.options.refinePasses === 1)).toBe(true);
});

it('cuts the part of a neighbour farther from the previous mask than the growth limit', async () => {
  const plain = await propagateVolume(recordingEngine().engine, volume, { startIndex: 1, box: [8, 8, 21, 21] });
  expect(plain.masks.get(2)!.reduce((a, b) => a + b, 0)).toBe(100 + 30);
  const limited = await propagateVolume(recordingEngine().engine, volume, {
    startIndex: 1,
    box: [8, 8, 21, 21],
    growthLimit: 0.5, // equivalent radius of 100 px: 5.6, so 2.8 px allowed
  });
  for (const k of [0, 2]) {
    const mask = limited.masks.get(k)!;
    expect(mask.reduce((a, b) => a + b, 0)).toBe(100 + 2 * 2); // two columns of the leak survive
    expect(mask[14 * W + 23]).toBe(0);
  }
});
