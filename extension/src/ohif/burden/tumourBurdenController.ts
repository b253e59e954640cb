/**
 * Keeps the tumour-burden rows in step with the viewer's segmentations.
 *
 * Design: segmentation events mark segmentations dirty and restart a short
 * debounce; a measurement then re-measures only the dirty ones and keeps the
 * others' rows. A newer event makes a running measurement stale: it stops at
 * its next step, and what it had not finished stays dirty. While the panel is
 * hidden nothing is measured (a MedSAM propagation fires an event per slice);
 * showing it measures what changed meanwhile.
 */
import type { i18n as I18n } from 'i18next';
import { computeTumourBurdenTotals, createTumourBurdenCsv } from '../../core/quant';
import type { Store } from '../../core/util/store';
import type { CornerstoneLibraries } from '../host/cornerstoneLibraries';
import type { PubSubscription, ServicesManager } from '../host/hostTypes';
import { describeBurdenFailure } from './burdenError';
import { createBurdenFormat } from './burdenFormat';
import type { BurdenState, LesionRow, SegmentationProblem } from './burdenState';
import { DiameterOverlay } from './diameterOverlay';
import { locateDiameterSlice, toCsvRow } from './diameterSlice';
import { downloadTextFile } from './downloadTextFile';
import { findSeriesViewport } from './findSeriesViewport';
import { showImage } from '../viewport/showImage';
import { createAxesDrawing } from './lesionAxes';
import { describeLabelmapSegmentation, type SegmentationLike } from './labelmapSegments';
import { measureSegmentation } from './measureSegmentation';

/** Quiet time after the last segmentation event before measuring, ms. */
const DEBOUNCE_MS = 400;
const FALLBACK_COLOUR: [number, number, number] = [200, 200, 200];
/** Events after which a segmentation's voxels may differ. */
const DATA_EVENTS = [
  'SEGMENTATION_ADDED',
  'SEGMENTATION_DATA_MODIFIED',
  'SEGMENTATION_LOADING_COMPLETE',
];
/** Events after which only labels, colours or the segment list may differ. */
const LABEL_EVENTS = ['SEGMENTATION_MODIFIED', 'SEGMENTATION_REPRESENTATION_MODIFIED'];
const REMOVED_EVENTS = ['SEGMENTATION_REMOVED'];

interface BurdenSegmentationService {
  EVENTS: Record<string, string>;
  subscribe(event: string, callback: (payload?: unknown) => void): PubSubscription;
  getSegmentations(): SegmentationLike[];
  getSegmentColor(
    viewportId: string,
    segmentationId: string,
    segmentIndex: number,
  ): number[] | undefined;
}

interface ViewportGridLike {
  getActiveViewportId(): string;
}

type Outcome = { rows: LesionRow[] } | { problem: SegmentationProblem };

function segmentationIdOf(payload: unknown): string | null {
  const id = (payload as { segmentationId?: unknown } | undefined)?.segmentationId;
  return typeof id === 'string' ? id : null;
}

export class TumourBurdenController {
  private readonly outcomes = new Map<string, Outcome>();
  private readonly dirty = new Set<string>();
  private dirtyAll = true;
  private visible = false;
  private generation = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly overlay: DiameterOverlay;
  private readonly subscriptions: PubSubscription[] = [];

  constructor(
    private readonly libraries: CornerstoneLibraries,
    private readonly services: ServicesManager['services'],
    private readonly state: Store<BurdenState>,
    private readonly i18n: I18n,
  ) {
    this.overlay = new DiameterOverlay(libraries);
    const subscribe = (events: string[], handler: (payload?: unknown) => void) => {
      for (const event of events) {
        const name = this.service.EVENTS[event];
        if (name) this.subscriptions.push(this.service.subscribe(name, handler));
      }
    };
    subscribe(DATA_EVENTS, (payload) => this.markDirty(segmentationIdOf(payload)));
    subscribe(REMOVED_EVENTS, (payload) => this.markDirty(segmentationIdOf(payload)));
    subscribe(LABEL_EVENTS, (payload) => this.onLabelsChanged(segmentationIdOf(payload)));
  }

  private get service(): BurdenSegmentationService {
    return this.services.segmentationService as unknown as BurdenSegmentationService;
  }

  dispose(): void {
    for (const s of this.subscriptions.splice(0)) s.unsubscribe();
    if (this.timer) clearTimeout(this.timer);
    this.overlay.clear();
  }

  /** The panel was mounted (true) or unmounted (false). */
  setVisible(visible: boolean): void {
    this.visible = visible;
    const outOfDate = this.dirtyAll || this.dirty.size > 0 || !this.state.get().measured;
    if (visible && outOfDate) this.schedule(0);
  }

  private markDirty(segmentationId: string | null): void {
    if (segmentationId) this.dirty.add(segmentationId);
    else this.dirtyAll = true;
    // A running measurement has read voxels that are now out of date.
    this.generation++;
    if (this.visible) this.schedule(DEBOUNCE_MS);
  }

  private onLabelsChanged(segmentationId: string | null): void {
    const segmentations = this.service.getSegmentations();
    const changedSet = segmentations.some((s) => {
      const outcome = this.outcomes.get(s.segmentationId);
      if (!outcome || !('rows' in outcome)) return false;
      const known = outcome.rows.map((r) => r.segmentIndex).join(',');
      const now = describeLabelmapSegmentation(this.libraries, s)
        ?.segments.map((x) => x.segmentIndex)
        .join(',');
      return known !== now;
    });
    if (changedSet) {
      this.markDirty(segmentationId);
      return;
    }
    this.relabel(segmentations);
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.measure();
    }, delayMs);
  }

  private async measure(): Promise<void> {
    const generation = ++this.generation;
    const isStale = () => generation !== this.generation || !this.visible;
    const segmentations = this.service.getSegmentations();
    const present = new Set(segmentations.map((s) => s.segmentationId));
    for (const id of [...this.outcomes.keys()]) if (!present.has(id)) this.outcomes.delete(id);
    if (this.dirtyAll) for (const id of present) this.dirty.add(id);
    this.dirtyAll = false;
    for (const segmentation of segmentations) {
      const id = segmentation.segmentationId;
      if (this.outcomes.has(id) && !this.dirty.has(id)) continue;
      const described = describeLabelmapSegmentation(this.libraries, segmentation);
      if (!described) {
        this.outcomes.delete(id);
        this.dirty.delete(id);
        continue;
      }
      try {
        const result = await measureSegmentation(this.libraries, described, {
          onProgress: (progress) => this.state.set((s) => ({ ...s, progress })),
          isStale,
          yieldToPage: () => new Promise((resolve) => setTimeout(resolve, 0)),
        });
        if (!result) return;
        const rows = result.measurements.map((measurement) => ({
          key: `${id}:${measurement.segmentNumber}`,
          segmentationId: id,
          segmentationLabel: described.label,
          segmentIndex: measurement.segmentNumber,
          colour: this.colourOf(id, measurement.segmentNumber, result.series.imageIds[0]),
          measurement,
          imageIds: result.series.imageIds,
          diameterSlice: null,
        }));
        this.outcomes.set(id, { rows });
      } catch (error) {
        if (isStale()) return;
        const problem = {
          segmentationId: id,
          segmentationLabel: described.label,
          message: describeBurdenFailure(error),
        };
        this.outcomes.set(id, { problem });
      }
      this.dirty.delete(id);
    }
    if (!isStale()) this.publish(segmentations);
  }

  private publish(segmentations: SegmentationLike[]): void {
    const ordered = segmentations.flatMap((s) => {
      const outcome = this.outcomes.get(s.segmentationId);
      return outcome ? [outcome] : [];
    });
    const rows = ordered
      .flatMap((o) => ('rows' in o ? o.rows : []))
      .map((row) => this.locateInViewer(row));
    const problems = ordered.flatMap((o) => ('problem' in o ? [o.problem] : []));
    const totals = computeTumourBurdenTotals(rows.map((r) => r.measurement));
    const selected = rows.find((r) => r.key === this.state.get().selectedKey) ?? null;
    this.state.set((s) => ({
      ...s,
      measured: true,
      progress: null,
      rows,
      problems,
      totals,
      selectedKey: selected?.key ?? null,
    }));
    if (selected) this.drawSelected(selected, false);
    else this.overlay.clear();
  }

  /** Labels and colours changed but not the voxels: rows are updated in place. */
  private relabel(segmentations: SegmentationLike[]): void {
    for (const segmentation of segmentations) {
      const outcome = this.outcomes.get(segmentation.segmentationId);
      if (!outcome || !('rows' in outcome)) continue;
      const described = describeLabelmapSegmentation(this.libraries, segmentation);
      const labels = new Map(described?.segments.map((s) => [s.segmentIndex, s.label]));
      outcome.rows = outcome.rows.map((row) => {
        const label = labels.get(row.segmentIndex) ?? row.measurement.label;
        return {
          ...row,
          segmentationLabel: described?.label ?? row.segmentationLabel,
          colour: this.colourOf(row.segmentationId, row.segmentIndex, row.imageIds[0]),
          measurement: { ...row.measurement, label },
        };
      });
    }
    if (this.state.get().measured) this.publish(segmentations);
  }

  private locateInViewer(row: LesionRow): LesionRow {
    return { ...row, diameterSlice: locateDiameterSlice(this.libraries, row) };
  }

  private colourOf(
    segmentationId: string,
    segmentIndex: number,
    imageId: string | undefined,
  ): [number, number, number] {
    const viewport = imageId ? findSeriesViewport(this.libraries, imageId, null) : null;
    const colour = viewport
      ? this.service.getSegmentColor(viewport.id, segmentationId, segmentIndex)
      : undefined;
    return colour ? [colour[0] ?? 0, colour[1] ?? 0, colour[2] ?? 0] : FALLBACK_COLOUR;
  }

  /** Selects a row: the viewer jumps to its long-axis slice and draws both axes. */
  select(key: string | null): void {
    const row = this.state.get().rows.find((r) => r.key === key) ?? null;
    this.state.set((s) => ({ ...s, selectedKey: row?.key ?? null, notice: null }));
    if (row) this.drawSelected(row, true);
    else this.overlay.clear();
  }

  private drawSelected(row: LesionRow, jump: boolean): void {
    const drawing = createAxesDrawing(row, createBurdenFormat(this.i18n));
    const grid = this.services.viewportGridService as unknown as ViewportGridLike | undefined;
    const activeId = grid?.getActiveViewportId() ?? null;
    const viewport = drawing && findSeriesViewport(this.libraries, drawing.imageId, activeId);
    if (!drawing || !viewport) {
      this.overlay.clear();
      const notice = drawing ? { key: 'burden.notices.seriesNotShown', values: {} } : null;
      this.state.set((s) => ({ ...s, notice }));
      return;
    }
    if (!jump) {
      this.overlay.show(viewport, drawing);
      return;
    }
    void showImage(viewport, drawing.imageId).then(
      (shown) => (shown ? this.overlay.show(viewport, drawing) : this.overlay.clear()),
      // A viewport closed meanwhile: nothing to draw on, and nothing to report.
      () => this.overlay.clear(),
    );
  }

  /** Saves all rows and the totals as CSV (units in the header; see core/quant/csv.ts). */
  downloadCsv(): void {
    const { totals } = this.state.get();
    if (!totals) return;
    // Located again now (the layout may have changed since the measurement)
    // and shown too, so that the panel and the file give the same slice.
    const rows = this.state.get().rows.map((row) => this.locateInViewer(row));
    this.state.set((s) => ({ ...s, rows }));
    const csv = createTumourBurdenCsv(rows.map(toCsvRow), totals);
    const date = new Date().toISOString().slice(0, 10);
    downloadTextFile(this.i18n.t('burden.csvFileName', { date }), csv, 'text/csv');
  }
}
