/**
 * The engine: box on an image in, mask at the image's size out. Owns the model's
 * sessions, the embedding cache and the queue that serialises model runs.
 *
 * Design note: every request may carry an AbortSignal. A request that has gone
 * stale is dropped before its encoder run if that has not started, and in any case
 * between encoder and decoder and after the decoder: a run itself cannot be
 * interrupted, but its result is then neither decoded nor returned. An encoder run
 * that finished is cached anyway; a later box on that slice reuses it.
 */
import { expandModelBox, mapBoxFromModel, mapBoxToModel, type Box } from './boxTransform';
import { computeEmbeddingKey, EmbeddingCache, type CachedEmbedding } from './embeddingCache';
import { isCancelled, throwIfAborted } from './inferenceError';
import { InferenceQueue, type JobHandle, type JobPriority } from './inferenceQueue';
import { computeIntensityMapping, presetForModality, type IntensityMapping } from './intensity';
import type { ModelManifest } from './modelManifest';
import type { DecoderOutput, ModelSessions } from './modelSessions';
import { chooseMaskToken, type MaskChoice } from './maskChoice';
import { fuseAnswerWithAppearance } from './outline/fuseAnswer';
import type { FusionWeights } from './outline/fuseWithAppearance';
import { postprocessLogits, selectMaskPlane } from './postprocess';
import { computeInputGeometry, preprocessSlice } from './preprocess';
import { readAllPixels, type SliceImage, type VolumeAccessor } from './volumeAccessor';

/** Slices encoded ahead on each side of the one the user works on. */
export const DEFAULT_PREFETCH_RADIUS = 2;

export interface StepTimings {
  preprocessMs: number;
  encodeMs: number;
  decodeMs: number;
  postprocessMs: number;
}

export interface SegmentOptions {
  signal?: AbortSignal;
  /** Model pixels added on every side of the mapped box (3D propagation). */
  marginModel?: number;
  /**
   * An earlier answer's `lowResLogits` fed back as SAM's mask prompt (refinement,
   * or the previous slice in propagation). Ignored by decoders without one.
   */
  maskPrompt?: Float32Array;
  /** Which of SAM's answers to keep (maskChoice.ts); the graph's by default. */
  maskChoice?: MaskChoice;
  /**
   * Extra decoder runs, each fed the previous run's logits as the mask prompt with
   * the same box (SAM's iterative refinement); `sam` decoders only. Default 0.
   */
  refinePasses?: number;
  /**
   * Fuse the answer with the appearance of its prompt box, margin included
   * (outline/fuseWithAppearance.ts): these weights, `null` for the model's plain
   * answer; absent: the manifest's `fusion` where it lists `modality`.
   */
  fusion?: FusionWeights | null;
  /** The series' DICOM Modality: selects the manifest's fusion. */
  modality?: string;
}

export interface SegmentResult {
  /** 1 inside, 0 outside, width x height, row-major. */
  mask: Uint8Array;
  width: number;
  height: number;
  probability: Float32Array;
  /** The used mask token's low-resolution logits, L x L. */
  lowResLogits: Float32Array;
  /** The decoder's IoU estimate for that token. */
  iou: number;
  /** The prompt in pixels and as the decoder received it. */
  pixelBox: Box;
  modelBox: Box;
  /** True when the image's embedding came from the cache (no encoder run). */
  embeddingCached: boolean;
  timings: StepTimings;
}

export interface EngineOptions {
  cache?: EmbeddingCache;
  /** Told about failures of background prefetching other than staleness. */
  onBackgroundError?: (error: unknown) => void;
}

interface EncodedImage {
  entry: CachedEmbedding;
  preprocessMs: number;
  encodeMs: number;
}

export class SegmentationEngine {
  readonly cache: EmbeddingCache;
  private readonly queue = new InferenceQueue();
  private readonly encoding = new Map<
    string,
    { handle: JobHandle<EncodedImage>; waiters: (AbortSignal | undefined)[] }
  >();
  private readonly mappings = new Map<string, Promise<IntensityMapping>>();
  private prefetch: AbortController | undefined;
  /** Settles when the latest prefetch has queued its jobs (slices are read first). */
  private prefetchScheduled: Promise<void> = Promise.resolve();

  constructor(
    readonly sessions: ModelSessions,
    private readonly options: EngineOptions = {},
  ) {
    this.cache = options.cache ?? new EmbeddingCache();
  }

  get manifest(): ModelManifest {
    return this.sessions.manifest;
  }

  /**
   * The volume's intensity mapping: the accessor's own, or computed once from all
   * slices with the accessor's chosen window or else the manifest's preset.
   */
  intensityFor(volume: VolumeAccessor): Promise<IntensityMapping> {
    if (volume.intensity) return Promise.resolve(volume.intensity);
    const preset = volume.intensityPreset ?? presetForModality(this.manifest, volume.modality);
    const key = `${volume.key}|${JSON.stringify(preset)}`;
    let mapping = this.mappings.get(key);
    if (!mapping) {
      mapping = readAllPixels(volume).then((pixels) => computeIntensityMapping(preset, pixels));
      this.mappings.set(key, mapping);
      mapping.catch(() => this.mappings.delete(key));
    }
    return mapping;
  }

  /**
   * Segments one image with a pixel box (see `boxTransform.ts` for the convention).
   * @throws {InferenceError} code `cancelled` when the signal fires before the result
   */
  async segmentImage(
    image: SliceImage,
    mapping: IntensityMapping,
    pixelBox: Box,
    options: SegmentOptions = {},
  ): Promise<SegmentResult> {
    const { signal } = options;
    throwIfAborted(signal, 'segmentation');
    const { encoder, decoder } = this.manifest;
    const geometry = computeInputGeometry(encoder, image.width, image.height);
    let modelBox = mapBoxToModel(pixelBox, geometry, decoder.boxRounding);
    if (options.marginModel)
      modelBox = expandModelBox(modelBox, options.marginModel, encoder.inputSize);
    const cached = this.cache.get(computeEmbeddingKey(this.manifest.id, image.key, mapping));
    const encoded = cached
      ? { entry: cached, preprocessMs: 0, encodeMs: 0 }
      : await this.embed(image, mapping, 'foreground', signal);
    throwIfAborted(signal, 'segmentation');
    const decodeStart = performance.now();
    const takesMask = decoder.kind === 'sam';
    const passes = 1 + (takesMask ? Math.max(0, Math.floor(options.refinePasses ?? 0)) : 0);
    let maskPrompt = takesMask ? options.maskPrompt : undefined;
    let output: DecoderOutput | undefined;
    let token = 0;
    let lowResLogits: Float32Array = new Float32Array(0);
    const choice = options.maskChoice ?? 'graph';
    const run = async (prompt: Float32Array | undefined, singleMask: boolean) => {
      const answer = await this.queue.enqueue(
        () =>
          this.sessions.decode(encoded.entry.tensors, modelBox, image.width, image.height, prompt, singleMask),
        'foreground',
        () => signal?.aborted === true,
      ).promise;
      throwIfAborted(signal, 'segmentation');
      const chosen = chooseMaskToken(answer.iou, decoder.maskToken, singleMask ? 'single' : choice);
      return { answer, chosen, estimate: answer.iou[chosen] ?? Number.NEGATIVE_INFINITY };
    };
    for (let pass = 0; pass < passes; pass++) {
      let best = await run(maskPrompt, takesMask && choice === 'single');
      if (takesMask && choice === 'best-of-all' && best.answer.iou.length === 1) {
        // a one-output graph: ask again for the single-mask answer and compare
        const single = await run(maskPrompt, true);
        if (single.estimate > best.estimate) best = single;
      }
      output = best.answer;
      token = best.chosen;
      lowResLogits = selectMaskPlane(output.logits, output.dims, token, decoder.lowResSize);
      maskPrompt = lowResLogits;
    }
    if (!output) throw new RangeError('no decoder pass ran');
    const decodeMs = performance.now() - decodeStart;
    const postStart = performance.now();
    const answer = postprocessLogits(lowResLogits, encoded.entry.geometry, decoder);
    const { probability } = answer;
    const fusion = options.fusion === undefined ? this.manifestFusion(options.modality) : options.fusion;
    // fusion reshapes what SAM found; where SAM found nothing it invents nothing,
    // so that propagation still stops at the lesion's end
    const mask =
      fusion && answer.mask.includes(1)
        ? fuseAnswerWithAppearance(image, probability, mapBoxFromModel(modelBox, geometry), fusion)
        : answer.mask;
    return {
      mask,
      width: image.width,
      height: image.height,
      probability,
      lowResLogits,
      iou: output.iou[token] ?? Number.NaN,
      pixelBox,
      modelBox,
      embeddingCached: cached !== undefined,
      timings: {
        preprocessMs: encoded.preprocessMs,
        encodeMs: encoded.encodeMs,
        decodeMs,
        postprocessMs: performance.now() - postStart,
      },
    };
  }

  /** The manifest's fusion where it applies to this modality. */
  private manifestFusion(modality: string | undefined): FusionWeights | null {
    const spec = this.manifest.fusion;
    return spec && modality !== undefined && spec.modalities.includes(modality) ? spec : null;
  }

  /** Segments slice `index` of a volume, with the volume's intensity mapping. */
  async segmentSlice(
    volume: VolumeAccessor,
    index: number,
    pixelBox: Box,
    options: SegmentOptions = {},
  ): Promise<SegmentResult> {
    const mapping = await this.intensityFor(volume);
    const image = await volume.getSlice(index);
    return this.segmentImage(image, mapping, pixelBox, { modality: volume.modality, ...options });
  }

  /**
   * The image's embedding, from the cache or one (shared) encoder run. A request for
   * an image already being encoded waits for that run, promoting it when needed.
   */
  embed(
    image: SliceImage,
    mapping: IntensityMapping,
    priority: JobPriority,
    signal?: AbortSignal,
  ): Promise<EncodedImage> {
    const key = computeEmbeddingKey(this.manifest.id, image.key, mapping);
    const hit = this.cache.get(key);
    if (hit) return Promise.resolve({ entry: hit, preprocessMs: 0, encodeMs: 0 });
    const pending = this.encoding.get(key);
    if (pending) {
      pending.waiters.push(signal);
      if (priority === 'foreground') pending.handle.promote();
      return pending.handle.promise;
    }
    const waiters = [signal];
    const handle = this.queue.enqueue(
      () => this.runEncoder(image, mapping, key),
      priority,
      () => waiters.every((s) => s?.aborted === true),
    );
    this.encoding.set(key, { handle, waiters });
    const forget = (): void => void this.encoding.delete(key);
    handle.promise.then(forget, forget);
    return handle.promise;
  }

  private async runEncoder(
    image: SliceImage,
    mapping: IntensityMapping,
    key: string,
  ): Promise<EncodedImage> {
    const start = performance.now();
    const input = preprocessSlice(
      image.pixels,
      image.width,
      image.height,
      mapping,
      this.manifest.encoder,
    );
    const encodeStart = performance.now();
    const tensors = await this.sessions.encode(input.tensor);
    const entry = { tensors, geometry: input.geometry };
    this.cache.set(key, entry);
    return { entry, preprocessMs: encodeStart - start, encodeMs: performance.now() - encodeStart };
  }

  /**
   * Encodes the slices around `centre` in the background, nearest first, when no
   * request waits. A new call replaces the previous prefetch.
   */
  prefetchNeighbours(
    volume: VolumeAccessor,
    centre: number,
    radius = DEFAULT_PREFETCH_RADIUS,
  ): void {
    this.prefetch?.abort();
    const controller = new AbortController();
    this.prefetch = controller;
    this.prefetchScheduled = this.runPrefetch(volume, centre, radius, controller.signal).catch(
      (error: unknown) => {
        if (!isCancelled(error)) this.options.onBackgroundError?.(error);
      },
    );
  }

  private async runPrefetch(
    volume: VolumeAccessor,
    centre: number,
    radius: number,
    signal: AbortSignal,
  ): Promise<void> {
    const mapping = await this.intensityFor(volume);
    const jobs: Promise<unknown>[] = [];
    for (let step = 1; step <= radius; step++) {
      for (const index of [centre + step, centre - step]) {
        if (index < 0 || index >= volume.sliceCount || signal.aborted) continue;
        const image = await volume.getSlice(index);
        jobs.push(this.embed(image, mapping, 'background', signal));
      }
    }
    await Promise.all(jobs);
  }

  /** Resolves once no model work runs or waits, prefetching included. */
  async whenIdle(): Promise<void> {
    await this.prefetchScheduled;
    await this.queue.whenIdle();
  }

  /** Stops prefetching; waiting background jobs are dropped. */
  cancelPrefetch(): void {
    this.prefetch?.abort();
    this.prefetch = undefined;
    this.queue.clearBackground();
  }

  /** Releases the sessions and forgets every embedding. */
  async dispose(): Promise<void> {
    this.cancelPrefetch();
    this.cache.clear();
    this.mappings.clear();
    await this.sessions.release();
  }
}
