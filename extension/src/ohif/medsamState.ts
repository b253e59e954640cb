/**
 * What the MedSAM panel shows, kept outside React (see core/util/store.ts).
 */
import { createStore, type Store } from '../core/util/store';

export interface ModelListing {
  id: string;
  displayName: string;
  licence: string;
  /** Encoder plus decoder, bytes. */
  sizeBytes: number;
  available: boolean;
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

export interface MedSAMState {
  models: ModelListing[] | null;
  activeModelId: string | null;
  /** i18n key and values of the last model-list failure, if any. */
  modelError: { key: string; values: Record<string, string> } | null;
  backend: BackendReport | null;
  series: SeriesRow[];
}

export function createMedSAMState(): Store<MedSAMState> {
  return createStore<MedSAMState>({
    models: null,
    activeModelId: null,
    modelError: null,
    backend: null,
    series: [],
  });
}
