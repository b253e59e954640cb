/**
 * One benchmark case: one model on one ONNX Runtime backend, on the shared sarcoma
 * CT, measured through the engine's own code paths. Runs in a child process of its
 * own (see inference.bench.ts) so that its peak memory is its own.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { mapBoxToModel, type Box } from '../extension/src/core/inference/boxTransform';
import { EmbeddingCache } from '../extension/src/core/inference/embeddingCache';
import {
  computeIntensityMapping,
  presetForModality,
} from '../extension/src/core/inference/intensity';
import { loadModelFile, type FetchLike } from '../extension/src/core/inference/loadModelFile';
import type { ModelManifest } from '../extension/src/core/inference/modelManifest';
import { ModelSessions } from '../extension/src/core/inference/modelSessions';
import { MemoryModelStore, type ModelStore } from '../extension/src/core/inference/modelStore';
import type { OrtModule } from '../extension/src/core/inference/ortTypes';
import { fuseAnswerWithAppearance } from '../extension/src/core/inference/outline/fuseAnswer';
import { postprocessLogits, selectMaskPlane } from '../extension/src/core/inference/postprocess';
import { preprocessSlice } from '../extension/src/core/inference/preprocess';
import { propagateVolume } from '../extension/src/core/inference/propagateVolume';
import { SegmentationEngine } from '../extension/src/core/inference/segmentationEngine';
import { createArrayVolume, type SliceImage } from '../extension/src/core/inference/volumeAccessor';
import { loadDicomSeries } from '../test/support/loadDicomSeries';

export type BackendName = 'node' | 'web-wasm';

/** Where a model's manifest and files are on disk. */
export interface ModelSource {
  name: string;
  manifestFile: string;
  /** File path per manifest path, where the files are not beside the manifest. */
  files?: Record<string, string>;
}

export interface CaseOptions {
  encoderRuns: number;
  decoderRuns: number;
  /** Inclusive slice range of the 3D run. */
  propagationRange: [number, number];
  webThreads: number;
}

export interface CaseResult {
  model: string;
  backend: BackendName;
  threads: string;
  loadColdMs: number;
  loadCachedMs: number;
  encodeMs: number[];
  decodeMs: number[];
  preprocessMs: number[];
  postprocessMs: number[];
  /** The manifest's CT fusion of each answer (outline/fuseAnswer.ts); empty when it has none. */
  fusionMs: number[];
  propagationMs: number;
  propagationSlices: number;
  peakRssMb: number;
}

const CT_DIR = path.resolve(__dirname, '../../../shared/data/ct-sarcoma/ct');
/** The sarcoma's middle slice and a box around it (pixel box). */
const START_SLICE = 23;
const TUMOUR_BOX: Box = [50, 49, 111, 92];
const MANIFEST_URL = 'file:///bench/manifest.json';
const KIB_PER_MIB = 1024;

function elapsed(start: number): number {
  return performance.now() - start;
}

async function loadOrt(
  backend: BackendName,
  webThreads: number,
): Promise<{ ort: OrtModule; providers: string[]; threads: string }> {
  if (backend === 'node') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded per case
    const ort = require('onnxruntime-node') as OrtModule;
    return { ort, providers: ['cpu'], threads: 'ORT default (all cores)' };
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded per case
  const web = require('onnxruntime-web') as OrtModule & { env: { wasm: { numThreads: number } } };
  web.env.wasm.numThreads = webThreads;
  return { ort: web, providers: ['wasm'], threads: `${webThreads} WASM` };
}

/** A fetch that serves the model's files from disk, as a local server would. */
function diskFetch(source: ModelSource): FetchLike {
  const folder = path.dirname(source.manifestFile);
  return async (url: string) => {
    const name = decodeURIComponent(url.slice(url.lastIndexOf('/') + 1));
    const file = source.files?.[name] ?? path.join(folder, name);
    return new Response(new Uint8Array(readFileSync(file)), { status: 200 });
  };
}

async function loadSessions(
  ort: OrtModule,
  manifest: ModelManifest,
  source: ModelSource,
  store: ModelStore,
  providers: string[],
): Promise<{ sessions: ModelSessions; ms: number }> {
  const start = performance.now();
  const options = { manifestUrl: MANIFEST_URL, store, fetch: diskFetch(source) };
  const encoder = await loadModelFile(manifest.files.encoder, options);
  const decoder = await loadModelFile(manifest.files.decoder, options);
  const sessions = await ModelSessions.create(
    ort,
    manifest,
    { encoder, decoder },
    { executionProviders: providers },
  );
  return { sessions, ms: elapsed(start) };
}

/** Runs one case and returns its figures. */
export async function runCase(
  source: ModelSource,
  backend: BackendName,
  options: CaseOptions,
): Promise<CaseResult> {
  const manifest = JSON.parse(readFileSync(source.manifestFile, 'utf8')) as ModelManifest;
  const { ort, providers, threads } = await loadOrt(backend, options.webThreads);
  const series = loadDicomSeries(CT_DIR);
  const mapping = computeIntensityMapping(presetForModality(manifest, 'CT'), series.slices);
  const images: SliceImage[] = series.slices.map((pixels, i) => {
    const plane = series.geometry.images[i];
    if (!plane) throw new Error(`slice ${i} has no plane`);
    return { key: plane.SOPInstanceUID, width: plane.Columns, height: plane.Rows, pixels };
  });

  const store = new MemoryModelStore();
  const cold = await loadSessions(ort, manifest, source, store, providers);
  await cold.sessions.release();
  const cached = await loadSessions(ort, manifest, source, store, providers);
  const sessions = cached.sessions;

  const encodeMs: number[] = [];
  const preprocessMs: number[] = [];
  const warmUp = images[0] as SliceImage;
  // the first run of a session pays for its allocations: not a per-slice figure
  let embedding = await sessions.encode(
    preprocessSlice(warmUp.pixels, warmUp.width, warmUp.height, mapping, manifest.encoder).tensor,
  );
  for (let run = 0; run < options.encoderRuns; run++) {
    const image = images[(START_SLICE + run) % images.length] as SliceImage;
    let start = performance.now();
    const input = preprocessSlice(
      image.pixels,
      image.width,
      image.height,
      mapping,
      manifest.encoder,
    );
    preprocessMs.push(elapsed(start));
    start = performance.now();
    embedding = await sessions.encode(input.tensor);
    encodeMs.push(elapsed(start));
  }

  const decodeMs: number[] = [];
  const postprocessMs: number[] = [];
  const fusionMs: number[] = [];
  const fusion = manifest.fusion?.modalities.includes('CT') ? manifest.fusion : undefined;
  const image = images[START_SLICE] as SliceImage;
  const { geometry } = preprocessSlice(
    image.pixels,
    image.width,
    image.height,
    mapping,
    manifest.encoder,
  );
  for (let run = 0; run < options.decoderRuns; run++) {
    const shift = run % 5;
    const box: Box = [TUMOUR_BOX[0] + shift, TUMOUR_BOX[1], TUMOUR_BOX[2] - shift, TUMOUR_BOX[3]];
    const modelBox = mapBoxToModel(box, geometry, manifest.decoder.boxRounding);
    let start = performance.now();
    const out = await sessions.decode(embedding, modelBox, image.width, image.height);
    decodeMs.push(elapsed(start));
    start = performance.now();
    const plane = selectMaskPlane(
      out.logits,
      out.dims,
      manifest.decoder.maskToken,
      manifest.decoder.lowResSize,
    );
    const { probability } = postprocessLogits(plane, geometry, manifest.decoder);
    postprocessMs.push(elapsed(start));
    if (fusion) {
      start = performance.now();
      fuseAnswerWithAppearance(image, probability, box, fusion);
      fusionMs.push(elapsed(start));
    }
  }

  const engine = new SegmentationEngine(sessions, { cache: new EmbeddingCache() });
  const volume = createArrayVolume('bench', 'CT', images, mapping);
  let propagationSlices = 0;
  const start = performance.now();
  await propagateVolume(engine, volume, {
    startIndex: START_SLICE,
    box: TUMOUR_BOX,
    range: options.propagationRange,
    onSlice: () => void propagationSlices++,
  });
  const propagationMs = elapsed(start);
  await engine.dispose();

  return {
    model: source.name,
    backend,
    threads,
    loadColdMs: cold.ms,
    loadCachedMs: cached.ms,
    encodeMs,
    decodeMs,
    preprocessMs,
    postprocessMs,
    fusionMs,
    propagationMs,
    propagationSlices,
    peakRssMb: process.resourceUsage().maxRSS / KIB_PER_MIB,
  };
}
