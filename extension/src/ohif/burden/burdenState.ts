/**
 * What the tumour-burden panel shows, kept outside React in its own store
 * (core/util/store.ts): the viewer unmounts the panel whenever another right
 * panel is chosen, and a measurement must not be redone for that.
 */
import type { SegmentMeasurement, TumourBurdenTotals } from '../../core/quant';
import { createStore, type Store } from '../../core/util/store';
import type { Message } from '../medsamState';
import type { DiameterSlice } from './diameterSlice';

/** One segment of one segmentation, measured. */
export interface LesionRow {
  /** `${segmentationId}:${segmentIndex}`: stable across re-measurements. */
  key: string;
  segmentationId: string;
  segmentationLabel: string;
  segmentIndex: number;
  colour: [number, number, number];
  measurement: SegmentMeasurement;
  /** Source images in the order the measurement indexes slices (along the normal). */
  imageIds: readonly string[];
  /**
   * The long-axis slice as the panel and the CSV give it: its place in the
   * viewer's own stack ("25 of 48" as the viewport shows it, which may run
   * opposite to the normal) and its InstanceNumber; null for an empty segment.
   */
  diameterSlice: DiameterSlice | null;
}

/** A segmentation that could not be measured, with the reason to show. */
export interface SegmentationProblem {
  segmentationId: string;
  segmentationLabel: string;
  message: Message;
}

/** What is being done now; `done` of `total` steps of the current phase. */
export interface BurdenProgress {
  phase: 'reading' | 'measuring';
  done: number;
  total: number;
}

export interface BurdenState {
  /** False until the first measurement has finished. */
  measured: boolean;
  progress: BurdenProgress | null;
  rows: LesionRow[];
  problems: SegmentationProblem[];
  totals: TumourBurdenTotals | null;
  selectedKey: string | null;
  /** A passing remark (e.g. the lesion's series is not on screen). */
  notice: Message | null;
}

export function createBurdenState(): Store<BurdenState> {
  return createStore<BurdenState>({
    measured: false,
    progress: null,
    rows: [],
    problems: [],
    totals: null,
    selectedKey: null,
    notice: null,
  });
}
