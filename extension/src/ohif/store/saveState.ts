/**
 * What the Save section of the panel shows: the SEGs waiting in the outbox
 * (from IndexedDB, so they come back after a reload) and those stored during
 * this session, each with where it stands.
 */
import type { OutboxStatus } from '../../core/seg/outbox';
import type { Message } from '../medsamState';

/** One SEG on its way to the PACS (or just arrived). */
export interface OutboxRow {
  /** Its SOPInstanceUID. */
  id: string;
  SeriesDescription: string;
  StudyInstanceUID: string;
  numberOfFrames: number;
  /** Epoch ms when Save was pressed. */
  createdAt: number;
  status: OutboxStatus;
}

export interface SaveState {
  /** A SEG is being built from the labelmap. */
  saving: boolean;
  /** Oldest first. */
  rows: OutboxRow[];
  /** Why the last Save could not build or queue a SEG. */
  error: Message | null;
  /**
   * Lesions were accepted or propagated since the last SEG was queued or
   * downloaded: leaving the page would lose them (unsavedWorkGuard.ts).
   */
  unsavedChanges: boolean;
}

export const INITIAL_SAVE_STATE: SaveState = { saving: false, rows: [], error: null, unsavedChanges: false };
