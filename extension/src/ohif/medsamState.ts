/**
 * What the MedSAM panel shows, kept outside React (see core/util/store.ts).
 */
import { MODEL_INTENSITY_CHOICE, type IntensityChoice } from '../core/inference/intensityChoices';
import type { BackendChoice } from '../core/inference/ortBackend';
import { createStore, type Store } from '../core/util/store';
import { INITIAL_SAVE_STATE, type SaveState } from './store/saveState';

export interface ModelListing {
  id: string;
  displayName: string;
  description: string;
  licence: string;
  /** Encoder plus decoder, bytes. */
  sizeBytes: number;
  available: boolean;
  encoderUrl: string;
}

export type BackendName = 'webgpu' | 'wasm';

export interface BackendReport {
  backend: BackendName;
  /** i18n key of the reason the backend was chosen. */
  reasonKey: string;
  adapterDescription?: string;
  /** WASM threads: more than one only when the page is cross-origin isolated. */
  threads: number;
}

export interface SeriesRow {
  displaySetInstanceUID: string;
  Modality: string;
  SeriesDescription: string;
  imageCount: number;
}

/** What the engine is doing now; `cancellable` work shows a Cancel button. */
export type WorkPhase = 'idle' | 'loading-model' | 'encoding' | 'propagating';

export interface WorkState {
  phase: WorkPhase;
  /** Fraction done, 0..1, when known. */
  fraction: number | null;
  /** i18n key and values of a detail line (e.g. "slice 12 of 40"). */
  detail: { key: string; values: Record<string, string | number> } | null;
  cancellable: boolean;
}

export interface PreviewState {
  viewportId: string;
  imageId: string;
  sliceIndex: number;
  voxels: number;
  /** The model's own quality estimate. */
  iou: number;
}

export interface SegmentRow {
  segmentIndex: number;
  label: string;
  colour: [number, number, number];
  visible: boolean;
  active: boolean;
}

/** A user-facing message: i18n key and values. */
export interface Message {
  key: string;
  values: Record<string, string | number>;
}

export interface MedSAMState {
  models: ModelListing[] | null;
  activeModelId: string | null;
  /**
   * The windows the active model can read CT through (its own first) and the one
   * chosen; a new box uses it, an outline already made keeps the one it was made with.
   */
  ctWindows: IntensityChoice[];
  ctWindow: string;
  /** i18n key and values of the last model-list failure, if any. */
  modelError: { key: string; values: Record<string, string> } | null;
  backend: BackendReport | null;
  /** The backend the worker really runs on, once a model is loaded. */
  loadedBackend: BackendChoice | null;
  series: SeriesRow[];
  work: WorkState;
  preview: PreviewState | null;
  segmentationId: string | null;
  segments: SegmentRow[];
  error: Message | null;
  notice: Message | null;
  /** Save to PACS: the outbox and the last save error. */
  save: SaveState;
}

export const IDLE: WorkState = { phase: 'idle', fraction: null, detail: null, cancellable: false };

export function createMedSAMState(): Store<MedSAMState> {
  return createStore<MedSAMState>({
    models: null,
    activeModelId: null,
    ctWindows: [],
    ctWindow: MODEL_INTENSITY_CHOICE,
    modelError: null,
    backend: null,
    loadedBackend: null,
    series: [],
    work: IDLE,
    preview: null,
    segmentationId: null,
    segments: [],
    error: null,
    notice: null,
    save: INITIAL_SAVE_STATE,
  });
}
