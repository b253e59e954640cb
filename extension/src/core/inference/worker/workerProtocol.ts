/**
 * What crosses between the viewer's main thread and the inference worker. Plain
 * data only (structured clone), so the same types serve comlink in the browser and
 * a MessageChannel in jest. Errors come back as values (`WorkerReply`), not as
 * thrown objects, because structured clone would drop an InferenceError's `code`.
 */
import type { Box } from '../boxTransform';
import type { InferenceErrorCode } from '../inferenceError';
import type { IntensityMapping } from '../intensity';
import type { ModelFileProgress } from '../loadModelFile';
import type { IntensityPreset, ModelManifest } from '../modelManifest';
import type { BackendChoice } from '../ortBackend';
import type { PropagationDirection, PropagationStop } from '../propagateVolume';
import type { SegmentResult } from '../segmentationEngine';
import type { SliceImage } from '../volumeAccessor';

/** A result, or the error that replaced it. */
export type WorkerReply<T> =
  | { ok: true; value: T }
  | { ok: false; error: { code: InferenceErrorCode | 'internal'; message: string } };

export interface LoadModelMessage {
  /** Already validated (parseModelManifest) by the caller. */
  manifest: ModelManifest;
  /** Absolute URL the manifest came from: file paths resolve against it. */
  manifestUrl: string;
  /** Absolute URL of onnxruntime-web's WASM files (browser only). */
  wasmBaseUrl?: string;
  /** False forces WASM. */
  preferWebGpu?: boolean;
  /** Byte limit of the embedding cache. */
  embeddingCacheBytes?: number;
}

export interface LoadedModel {
  modelId: string;
  backend: BackendChoice;
  /** True when both files came from the model store (no download). */
  fromCache: boolean;
  loadMs: number;
}

/** A volume as the worker sees it; its pixels come through `openVolume`'s reader. */
export interface VolumeDescriptor {
  key: string;
  modality: string;
  sliceCount: number;
  intensity?: IntensityMapping;
  intensityPreset?: IntensityPreset;
}

/** Reads one slice on the main thread (a comlink proxy in the browser). */
export type SliceReader = (index: number) => Promise<SliceImage> | SliceImage;

/**
 * One box on one slice. A newer request on the same channel makes this one stale:
 * it is dropped where it stands and its reply is `cancelled`.
 */
export interface SegmentMessage {
  requestId: string;
  /** Requests on one channel supersede each other. Default 'interactive'. */
  channel?: string;
  volumeKey: string;
  sliceIndex: number;
  box: Box;
  /** Neighbours to encode in the background afterwards (0: none). */
  prefetchRadius?: number;
}

export interface PropagateMessage {
  requestId: string;
  channel?: string;
  volumeKey: string;
  startIndex: number;
  box: Box;
  range?: [number, number];
  maxSlicesEachWay?: number;
  /** Default: the manifest's `propagation.marginModel`, else the authors' margin. */
  marginModel?: number;
  /** Default: the manifest's `propagation.intensityDriftSd`, else no drift stop. */
  intensityDriftSd?: number;
}

/** Progress of a propagation, one per slice. */
export interface PropagationProgress {
  requestId: string;
  sliceIndex: number;
  direction: PropagationDirection;
  mask: Uint8Array;
  empty: boolean;
  done: number;
  total: number;
}

export interface PropagateReply {
  width: number;
  height: number;
  /** [slice index, mask] pairs, in index order. */
  masks: Array<[number, Uint8Array]>;
  stopped: { up: PropagationStop; down: PropagationStop };
}

export interface WorkerStatus {
  modelId?: string;
  backend?: BackendChoice;
  embeddingCacheBytes: number;
  openVolumes: string[];
}

/** The worker's API as the main thread calls it. */
export interface InferenceWorkerApi {
  loadModel(
    message: LoadModelMessage,
    onProgress?: (progress: ModelFileProgress) => void,
  ): Promise<WorkerReply<LoadedModel>>;
  openVolume(volume: VolumeDescriptor, readSlice: SliceReader): Promise<void>;
  closeVolume(volumeKey: string): Promise<void>;
  segment(message: SegmentMessage): Promise<WorkerReply<SegmentResult>>;
  propagate(
    message: PropagateMessage,
    onProgress?: (progress: PropagationProgress) => void,
  ): Promise<WorkerReply<PropagateReply>>;
  /** Makes a request stale (no-op when it already finished). */
  cancel(requestId: string): Promise<void>;
  status(): Promise<WorkerStatus>;
  dispose(): Promise<void>;
}
