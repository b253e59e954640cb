/**
 * Box candidates with the committed test model (models/toolchain/test_model.py:
 * positive logits on bright patches inside the box; IoU estimate = mean sigmoid
 * of all logits, so it grows with the mask) and the choice rule on its own.
 *
 * @jest-environment ./test/support/onnxNodeEnvironment.cjs
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import {
  pickBestCandidate,
  segmentWithBoxCandidates,
  shrinkPixelBox,
} from '../../../extension/src/core/inference/boxCandidates';
import type { Box } from '../../../extension/src/core/inference/boxTransform';
import type { ModelManifest } from '../../../extension/src/core/inference/modelManifest';
import { ModelSessions } from '../../../extension/src/core/inference/modelSessions';
import { SegmentationEngine } from '../../../extension/src/core/inference/segmentationEngine';

const MODEL_DIR = path.resolve(__dirname, '../../../models/test-model');
const manifest = JSON.parse(readFileSync(path.join(MODEL_DIR, 'manifest.json'), 'utf8')) as ModelManifest;
const MAPPING = { low: 0, high: 1000, zeroStaysZero: false };

describe('shrinkPixelBox', () => {
  it('takes the fraction off the width and height, half on each side', () => {
    expect(shrinkPixelBox([10, 20, 30, 60], 0.5)).toEqual([15, 30, 25, 50]);
    expect(shrinkPixelBox([10, 20, 30, 60], 0)).toEqual([10, 20, 30, 60]);
    expect(() => shrinkPixelBox([0, 0, 4, 4], 1)).toThrow(RangeError);
  });
});

describe('pickBestCandidate', () => {
  it('takes the highest estimate, the drawn box on a tie, never a missing one', () => {
    expect(pickBestCandidate([0.8, 0.9, 0.85])).toBe(1);
    expect(pickBestCandidate([0.9, 0.9, 0.7])).toBe(0);
    expect(pickBestCandidate([Number.NaN, 0.2, Number.NaN])).toBe(1);
  });
});

describe('segmentWithBoxCandidates', () => {
  let engine: SegmentationEngine;
  beforeAll(async () => {
    const bytes = {
      encoder: new Uint8Array(readFileSync(path.join(MODEL_DIR, manifest.files.encoder.path))),
      decoder: new Uint8Array(readFileSync(path.join(MODEL_DIR, manifest.files.decoder.path))),
    };
    engine = new SegmentationEngine(await ModelSessions.create(ort, manifest, bytes, { executionProviders: ['cpu'] }));
  });
  afterAll(() => engine.dispose());

  it('decodes every candidate and keeps the mask with the highest IoU estimate', async () => {
    // 64 x 64: one image pixel is one 4 x 4 patch of the test model's 256 input
    const width = 64;
    const pixels = new Float32Array(width * width);
    for (let y = 20; y <= 43; y++) pixels.fill(1000, y * width + 20, y * width + 44);
    const image = { key: 'square', width, height: width, pixels };
    const drawn: Box = [14, 14, 49, 49];
    const result = await segmentWithBoxCandidates(engine, image, MAPPING, drawn, [0.2, 0.6]);
    expect(result.candidateIous).toHaveLength(3);
    // the 60 % shrunk box cuts into the square: a smaller mask, a lower estimate
    expect(result.candidateIous[2]).toBeLessThan(result.candidateIous[0] as number);
    expect(result.candidate).toBe(pickBestCandidate(result.candidateIous));
    const alone = await engine.segmentImage(image, MAPPING, result.pixelBox);
    expect(Array.from(result.mask)).toEqual(Array.from(alone.mask));
    expect(result.mask.reduce((n, v) => n + v, 0)).toBeGreaterThan(
      (await engine.segmentImage(image, MAPPING, shrinkPixelBox(drawn, 0.6))).mask.reduce((n, v) => n + v, 0),
    );
  });
});
