/**
 * The worker side of the inference API, free of any worker global: the browser
 * entry (`inferenceWorker.ts`) exposes it through comlink with onnxruntime-web, and
 * jest runs it over a MessageChannel with onnxruntime-node.
 *
 * Design note: each request has an id and a channel. A new request on a channel
 * aborts the previous one on that channel, so a user who draws a second box while
 * the first is still encoding gets the second box's answer, and the first one's
 * result is dropped between encoder and decoder (see `SegmentationEngine`).
 */
import { EmbeddingCache } from '../embeddingCache';
import { InferenceError } from '../inferenceError';
import { loadModelFile, type FetchLike, type ModelFileProgress } from '../loadModelFile';
import type { ModelStore } from '../modelStore';
import { createSessionsWithFallback, type BackendChoice } from '../ortBackend';
import type { OrtModule } from '../ortTypes';
import { propagateVolume } from '../propagateVolume';
import { SegmentationEngine, type SegmentResult } from '../segmentationEngine';
import type { VolumeAccessor } from '../volumeAccessor';
import type {
  InferenceWorkerApi,
  LoadedModel,
  LoadModelMessage,
  PropagateMessage,
  PropagateReply,
  PropagationProgress,
  SegmentMessage,
  SliceReader,
  VolumeDescriptor,
  WorkerReply,
  WorkerStatus,
} from './workerProtocol';

export const DEFAULT_CHANNEL = 'interactive';

export interface WorkerDependencies {
  ort: OrtModule;
  /** Picks the backend (browser: `chooseBrowserBackend`; Node: the CPU provider). */
  chooseBackend(message: LoadModelMessage): Promise<BackendChoice>;
  store: ModelStore;
  fetch?: FetchLike;
  /** Marks buffers to move instead of copy (comlink's `transfer` in the browser). */
  transfer?<T>(value: T, buffers: ArrayBuffer[]): T;
  /**
   * Frees a callback that came from another thread (a slice reader, a progress
   * listener): comlink's releaseProxy in the browser.
   */
  releaseRemote?(callback: unknown): void;
  /** Told about failures of background prefetching. */
  onBackgroundError?(error: unknown): void;
}

async function reply<T>(work: () => Promise<T>): Promise<WorkerReply<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (error instanceof InferenceError) {
      return { ok: false, error: { code: error.code, message: error.message } };
    }
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { ok: false, error: { code: 'internal', message } };
  }
}

function buffersOf(...arrays: ArrayBufferView[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const a of arrays) if (a.buffer instanceof ArrayBuffer) buffers.add(a.buffer);
  return [...buffers];
}

export class InferenceWorkerHost implements InferenceWorkerApi {
  private engine: SegmentationEngine | undefined;
  private backend: BackendChoice | undefined;
  private readonly volumes = new Map<string, { accessor: VolumeAccessor; reader: SliceReader }>();
  private readonly requests = new Map<string, AbortController>();
  private readonly latestOnChannel = new Map<string, string>();

  constructor(private readonly deps: WorkerDependencies) {}

  private transfer<T>(value: T, buffers: ArrayBuffer[]): T {
    return this.deps.transfer ? this.deps.transfer(value, buffers) : value;
  }

  async loadModel(
    message: LoadModelMessage,
    onProgress?: (progress: ModelFileProgress) => void,
  ): Promise<WorkerReply<LoadedModel>> {
    const result = await reply(async () => {
      const start = performance.now();
      await this.engine?.dispose();
      this.engine = undefined;
      const choice = await this.deps.chooseBackend(message);
      let fromCache = true;
      const options = {
        manifestUrl: message.manifestUrl,
        store: this.deps.store,
        fetch: this.deps.fetch,
        onProgress: (progress: ModelFileProgress) => {
          fromCache &&= progress.fromCache;
          onProgress?.(progress);
        },
      };
      const { files } = message.manifest;
      const encoder = await loadModelFile(files.encoder, options);
      const decoder = await loadModelFile(files.decoder, options);
      const created = await createSessionsWithFallback(
        this.deps.ort,
        message.manifest,
        { encoder, decoder },
        choice,
      );
      this.backend = created.choice;
      this.engine = new SegmentationEngine(created.sessions, {
        cache: new EmbeddingCache(message.embeddingCacheBytes),
        onBackgroundError: this.deps.onBackgroundError,
      });
      const loadMs = performance.now() - start;
      return { modelId: message.manifest.id, backend: created.choice, fromCache, loadMs };
    });
    if (onProgress) this.deps.releaseRemote?.(onProgress);
    return result;
  }

  async openVolume(volume: VolumeDescriptor, readSlice: SliceReader): Promise<void> {
    await this.closeVolume(volume.key);
    const accessor: VolumeAccessor = { ...volume, getSlice: (index) => readSlice(index) };
    this.volumes.set(volume.key, { accessor, reader: readSlice });
  }

  async closeVolume(volumeKey: string): Promise<void> {
    const open = this.volumes.get(volumeKey);
    if (!open) return;
    this.volumes.delete(volumeKey);
    this.engine?.cancelPrefetch();
    this.deps.releaseRemote?.(open.reader);
  }

  private requireEngine(): SegmentationEngine {
    if (!this.engine) {
      throw new InferenceError('not-loaded', 'no model is loaded in the inference worker');
    }
    return this.engine;
  }

  private requireVolume(key: string): VolumeAccessor {
    const open = this.volumes.get(key);
    if (!open) {
      throw new InferenceError(
        'bad-config',
        `volume ${key} was not opened in the inference worker`,
      );
    }
    return open.accessor;
  }

  /** Registers a request and makes the previous one on its channel stale. */
  private begin(requestId: string, channel: string): AbortSignal {
    const previous = this.latestOnChannel.get(channel);
    if (previous !== undefined) this.requests.get(previous)?.abort();
    const controller = new AbortController();
    this.requests.set(requestId, controller);
    this.latestOnChannel.set(channel, requestId);
    return controller.signal;
  }

  private end(requestId: string, channel: string): void {
    this.requests.delete(requestId);
    if (this.latestOnChannel.get(channel) === requestId) this.latestOnChannel.delete(channel);
  }

  async segment(message: SegmentMessage): Promise<WorkerReply<SegmentResult>> {
    const channel = message.channel ?? DEFAULT_CHANNEL;
    const signal = this.begin(message.requestId, channel);
    const result = await reply(async () => {
      const engine = this.requireEngine();
      const volume = this.requireVolume(message.volumeKey);
      const segmented = await engine.segmentSlice(volume, message.sliceIndex, message.box, {
        signal,
      });
      if (message.prefetchRadius) {
        engine.prefetchNeighbours(volume, message.sliceIndex, message.prefetchRadius);
      }
      const { mask, probability, lowResLogits } = segmented;
      return this.transfer(segmented, buffersOf(mask, probability, lowResLogits));
    });
    this.end(message.requestId, channel);
    return result;
  }

  async propagate(
    message: PropagateMessage,
    onProgress?: (progress: PropagationProgress) => void,
  ): Promise<WorkerReply<PropagateReply>> {
    const channel = message.channel ?? `propagation-${message.requestId}`;
    const signal = this.begin(message.requestId, channel);
    const result = await reply(async () => {
      const engine = this.requireEngine();
      const volume = this.requireVolume(message.volumeKey);
      const progress: Promise<unknown>[] = [];
      // The model's own propagation settings, unless the request overrides them.
      const defaults = engine.manifest.propagation;
      const propagated = await propagateVolume(engine, volume, {
        ...message,
        marginModel: message.marginModel ?? defaults?.marginModel,
        intensityDriftSd: message.intensityDriftSd ?? defaults?.intensityDriftSd,
        signal,
        onSlice: (event) => {
          // a copy moves to the main thread; the original stays for the final reply
          const mask = event.result.mask.slice();
          const sent: PropagationProgress = {
            requestId: message.requestId,
            sliceIndex: event.sliceIndex,
            direction: event.direction,
            mask,
            empty: !mask.includes(1),
            done: event.done,
            total: event.total,
          };
          progress.push(Promise.resolve(onProgress?.(this.transfer(sent, buffersOf(mask)))));
        },
      });
      await Promise.all(progress);
      const masks = [...propagated.masks].sort((a, b) => a[0] - b[0]);
      const { width, height, stopped } = propagated;
      return this.transfer(
        { width, height, masks, stopped },
        buffersOf(...masks.map(([, m]) => m)),
      );
    });
    this.end(message.requestId, channel);
    if (onProgress) this.deps.releaseRemote?.(onProgress);
    return result;
  }

  async cancel(requestId: string): Promise<void> {
    this.requests.get(requestId)?.abort();
  }

  async status(): Promise<WorkerStatus> {
    return {
      modelId: this.engine?.manifest.id,
      backend: this.backend,
      embeddingCacheBytes: this.engine?.cache.bytes ?? 0,
      openVolumes: [...this.volumes.keys()],
    };
  }

  async dispose(): Promise<void> {
    for (const controller of this.requests.values()) controller.abort();
    for (const key of [...this.volumes.keys()]) await this.closeVolume(key);
    await this.engine?.dispose();
    this.engine = undefined;
  }
}
