/**
 * The viewer's handle on the inference worker. Every call returns a promise; errors
 * come back as `InferenceError` with their code. A request made stale by a newer one
 * on its channel rejects with code `cancelled` (callers ignore those: `isCancelled`).
 *
 * @example
 *   const worker = new Worker(workerUrl, { type: 'module' });
 *   const client = InferenceClient.connect(worker);
 *   await client.loadModel({ manifest, manifestUrl, wasmBaseUrl }, showProgress);
 *   await client.openVolume(volume);
 *   const { mask } = await client.segment({ volumeKey: volume.key, sliceIndex, box });
 */
import * as Comlink from 'comlink';
import { InferenceError } from '../inferenceError';
import type { ModelFileProgress } from '../loadModelFile';
import type { SegmentResult } from '../segmentationEngine';
import type { VolumeAccessor } from '../volumeAccessor';
import type {
  InferenceWorkerApi,
  LoadedModel,
  LoadModelMessage,
  PropagateMessage,
  PropagateReply,
  PropagationProgress,
  SegmentMessage,
  WorkerReply,
  WorkerStatus,
} from './workerProtocol';

export type SegmentRequest = Omit<SegmentMessage, 'requestId'>;
export type PropagateRequest = Omit<PropagateMessage, 'requestId'>;

function unwrap<T>(reply: WorkerReply<T>): T {
  if (reply.ok) return reply.value;
  const { code, message } = reply.error;
  // 'internal' is not an InferenceErrorCode: a plain Error says it was not foreseen
  if (code === 'internal') throw new Error(`inference worker: ${message}`);
  throw new InferenceError(code, message);
}

export class InferenceClient {
  private nextRequest = 0;

  constructor(
    private readonly remote: Comlink.Remote<InferenceWorkerApi>,
    private readonly endpoint?: Comlink.Endpoint & { terminate?: () => void },
  ) {}

  /** Wraps a started worker (or any comlink endpoint, such as a MessagePort). */
  static connect(endpoint: Comlink.Endpoint & { terminate?: () => void }): InferenceClient {
    return new InferenceClient(Comlink.wrap<InferenceWorkerApi>(endpoint), endpoint);
  }

  private newRequestId(): string {
    this.nextRequest += 1;
    return `request-${this.nextRequest}`;
  }

  /** Cancels `requestId` in the worker when `signal` fires; returns the unsubscriber. */
  private linkSignal(requestId: string, signal: AbortSignal | undefined): () => void {
    if (!signal) return () => undefined;
    const onAbort = (): void => void this.remote.cancel(requestId);
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    return () => signal.removeEventListener('abort', onAbort);
  }

  /**
   * Downloads (or reads from the cache), verifies and opens a model.
   * @throws {InferenceError} codes `checksum-mismatch`, `fetch-failed`, `no-backend`,
   *   `model-io`, `bad-config`
   */
  async loadModel(
    message: LoadModelMessage,
    onProgress?: (progress: ModelFileProgress) => void,
  ): Promise<LoadedModel> {
    const progress = onProgress ? Comlink.proxy(onProgress) : undefined;
    return unwrap(await this.remote.loadModel(message, progress));
  }

  /** Lets the worker read the volume's slices (through this thread) until closed. */
  async openVolume(volume: VolumeAccessor): Promise<void> {
    const { key, modality, sliceCount, intensity, intensityPreset } = volume;
    const reader = Comlink.proxy((index: number) => volume.getSlice(index));
    await this.remote.openVolume({ key, modality, sliceCount, intensity, intensityPreset }, reader);
  }

  async closeVolume(volumeKey: string): Promise<void> {
    await this.remote.closeVolume(volumeKey);
  }

  /**
   * Segments one box. A newer `segment` on the same channel makes this one reject
   * with code `cancelled`; so does `signal`.
   */
  async segment(request: SegmentRequest, signal?: AbortSignal): Promise<SegmentResult> {
    const requestId = this.newRequestId();
    const unlink = this.linkSignal(requestId, signal);
    try {
      return unwrap(await this.remote.segment({ ...request, requestId }));
    } finally {
      unlink();
    }
  }

  /** Propagates a box through the volume; `onProgress` sees each slice's mask. */
  async propagate(
    request: PropagateRequest,
    options: { signal?: AbortSignal; onProgress?: (progress: PropagationProgress) => void } = {},
  ): Promise<PropagateReply> {
    const requestId = this.newRequestId();
    const unlink = this.linkSignal(requestId, options.signal);
    const progress = options.onProgress ? Comlink.proxy(options.onProgress) : undefined;
    try {
      return unwrap(await this.remote.propagate({ ...request, requestId }, progress));
    } finally {
      unlink();
    }
  }

  status(): Promise<WorkerStatus> {
    return this.remote.status();
  }

  /** Frees the worker's sessions and caches, then ends the worker. */
  async dispose(): Promise<void> {
    await this.remote.dispose();
    this.remote[Comlink.releaseProxy]();
    this.endpoint?.terminate?.();
  }
}
