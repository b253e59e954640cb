/**
 * Page script of the browser test (bundled by esbuild): starts the inference worker
 * bundle, loads the test model from the page's server, segments a bright square
 * and leaves the outcome in `window.inferenceOutcome` for the test to read.
 */
import { computeMaskBox } from '../../../../extension/src/core/inference/boxTransform';
import type { ModelManifest } from '../../../../extension/src/core/inference/modelManifest';
import { createArrayVolume } from '../../../../extension/src/core/inference/volumeAccessor';
import { InferenceClient } from '../../../../extension/src/core/inference/worker/inferenceClient';

interface Outcome {
  crossOriginIsolated?: boolean;
  backend?: unknown;
  fromCache?: boolean;
  maskBox?: number[];
  maskArea?: number;
  error?: string;
  code?: string;
}

declare global {
  interface Window {
    inferenceOutcome?: Outcome;
  }
}

async function run(): Promise<Outcome> {
  const params = new URLSearchParams(location.search);
  const manifestUrl = new URL('/models/test-model/manifest.json', location.href).href;
  const manifest = (await (await fetch(manifestUrl)).json()) as ModelManifest;
  const worker = new Worker('/worker.js', { type: 'module' });
  const client = InferenceClient.connect(worker);
  const loaded = await client.loadModel({
    manifest,
    manifestUrl,
    wasmBaseUrl: new URL(params.get('wasm') ?? '/ort/', location.href).href,
    // probe the adapter unless the test turns WebGPU off
    preferWebGpu: params.get('webgpu') === '0' ? false : undefined,
  });
  // 64 x 48, bright over columns 20..35 and rows 10..29
  const pixels = new Float32Array(64 * 48);
  for (let y = 10; y <= 29; y++) pixels.fill(1000, y * 64 + 20, y * 64 + 36);
  const image = { key: 'square', width: 64, height: 48, pixels };
  const volume = createArrayVolume('browser', 'MR', [image], {
    low: 0,
    high: 1000,
    zeroStaysZero: false,
  });
  await client.openVolume(volume);
  const result = await client.segment({
    volumeKey: 'browser',
    sliceIndex: 0,
    box: [14, 4, 41, 35],
  });
  await client.dispose();
  return {
    crossOriginIsolated: self.crossOriginIsolated,
    backend: loaded.backend,
    fromCache: loaded.fromCache,
    maskBox: computeMaskBox(result.mask, 64, 48),
    maskArea: result.mask.reduce((a, b) => a + b, 0),
  };
}

run().then(
  (outcome) => (window.inferenceOutcome = outcome),
  (error: unknown) =>
    (window.inferenceOutcome = {
      error: error instanceof Error ? error.message : String(error),
      code: (error as { code?: string }).code,
    }),
);
