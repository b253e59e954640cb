/**
 * The viewer's link to the inference worker: started on first use, one model
 * loaded at a time, each series opened once. The worker file and onnxruntime's
 * WASM files sit beside our extension bundle, so their URLs come from
 * `import.meta.url` (absolute: a relative WASM path breaks under a sub-path).
 */
import { InferenceClient, type PropagateRequest, type SegmentRequest } from '../../core/inference/worker/inferenceClient';
import type { LoadedModel, PropagateReply, PropagationProgress } from '../../core/inference/worker/workerProtocol';
import type { ModelFileProgress } from '../../core/inference/loadModelFile';
import type { ModelManifest } from '../../core/inference/modelManifest';
import type { SegmentResult } from '../../core/inference/segmentationEngine';
import type { VolumeAccessor } from '../../core/inference/volumeAccessor';

/** Embedding cache in the worker: about 40 SAM embeddings of 4 MB. */
const EMBEDDING_CACHE_BYTES = 160 * 1024 * 1024;

export interface BundleUrls {
  worker: string;
  wasmBase: string;
}

export class InferenceSession {
  private client: InferenceClient | null = null;
  private loaded: LoadedModel | null = null;
  private readonly openVolumes = new Set<string>();

  constructor(private readonly urls: BundleUrls) {}

  get model(): LoadedModel | null {
    return this.loaded;
  }

  private connect(): InferenceClient {
    if (!this.client) {
      const worker = new Worker(this.urls.worker, { type: 'module', name: 'medsam-inference' });
      this.client = InferenceClient.connect(worker);
    }
    return this.client;
  }

  /** Loads the model unless it is the one loaded already. */
  async ensureModel(
    manifest: ModelManifest,
    manifestUrl: string,
    onProgress: (progress: ModelFileProgress) => void,
  ): Promise<LoadedModel> {
    if (this.loaded?.modelId === manifest.id) return this.loaded;
    const client = this.connect();
    this.loaded = await client.loadModel(
      { manifest, manifestUrl, wasmBaseUrl: this.urls.wasmBase, embeddingCacheBytes: EMBEDDING_CACHE_BYTES },
      onProgress,
    );
    return this.loaded;
  }

  async ensureVolume(volume: VolumeAccessor): Promise<void> {
    if (this.openVolumes.has(volume.key)) return;
    await this.connect().openVolume(volume);
    this.openVolumes.add(volume.key);
  }

  segment(request: SegmentRequest, signal?: AbortSignal): Promise<SegmentResult> {
    return this.connect().segment(request, signal);
  }

  propagate(
    request: PropagateRequest,
    options: { signal?: AbortSignal; onProgress?: (progress: PropagationProgress) => void },
  ): Promise<PropagateReply> {
    return this.connect().propagate(request, options);
  }

  async dispose(): Promise<void> {
    const client = this.client;
    this.client = null;
    this.loaded = null;
    this.openVolumes.clear();
    await client?.dispose();
  }
}
