/**
 * The segmentation our results go into, per displayed series, and the segment
 * actions of the panel (rename, colour shown, visibility, delete, jump to).
 * Everything goes through the viewer's segmentation service, so the viewer's
 * own panel, brush, eraser and SEG export see the same segments.
 */
import type { i18n as I18n } from 'i18next';
import type { Store } from '../../core/util/store';
import type { CornerstoneLibraries } from '../host/cornerstoneLibraries';
import type { DisplaySet, ServicesManager } from '../host/hostTypes';
import { PANEL_ID } from '../ids';
import type { MedSAMState } from '../medsamState';
import {
  addMasksToSegment,
  countSegmentVoxels,
  type LabelmapWrite,
  type RestoreListener,
  type SliceMask,
} from './labelmapWriter';
import { listSegmentRows, type SegmentationServiceLike } from './segmentationTarget';
import type { StackViewportLike } from '../viewport/stackViewport';
import { showImage } from '../viewport/showImage';

interface ViewportGridLike {
  getDisplaySetsUIDsForViewport(viewportId: string): string[] | undefined;
  getActiveViewportId(): string;
}

interface PanelServiceLike {
  activatePanel(panelId: string, forceActive?: boolean): void;
}

/** What a request for the next lesion did. */
export type NewSegmentOutcome =
  | { kind: 'started'; label: string }
  /** Nothing accepted yet: the first accept starts the first lesion. */
  | { kind: 'no-segmentation' }
  /** A lesion has no voxel yet; it is made the active one, where the next outline goes. */
  | { kind: 'empty-lesion'; label: string };

export class SegmentationWorkspace {
  /** segmentationId by displaySetInstanceUID. */
  private readonly byDisplaySet = new Map<string, string>();
  private readonly hidden = new Map<string, Set<number>>();
  private viewportId: string | null = null;

  constructor(
    private readonly libraries: CornerstoneLibraries,
    private readonly services: ServicesManager['services'],
    private readonly state: Store<MedSAMState>,
    private readonly i18n: I18n,
  ) {
    const service = this.service;
    for (const event of ['SEGMENTATION_MODIFIED', 'SEGMENTATION_REMOVED', 'SEGMENTATION_REPRESENTATION_MODIFIED']) {
      const name = service.EVENTS[event];
      if (name) service.subscribe(name, () => this.refresh());
    }
    // The viewer's brush, eraser and undo change our lesions too: those changes
    // are unsaved work as much as an accepted outline (unsavedWorkGuard.ts).
    const dataModified = service.EVENTS.SEGMENTATION_DATA_MODIFIED;
    if (dataModified) {
      service.subscribe(dataModified, (event) => {
        const { segmentationId } = (event ?? {}) as { segmentationId?: string };
        if (segmentationId && segmentationId === this.state.get().segmentationId) this.markUnsaved();
      });
    }
  }

  private get service(): SegmentationServiceLike {
    return this.services.segmentationService as unknown as SegmentationServiceLike;
  }

  private displaySetOf(viewportId: string): DisplaySet {
    const grid = this.services.viewportGridService as unknown as ViewportGridLike;
    const uid = grid.getDisplaySetsUIDsForViewport(viewportId)?.[0];
    const displaySet = uid ? this.services.displaySetService.getDisplaySetByUID(uid) : undefined;
    if (!displaySet) throw new Error(`No series is displayed in viewport ${viewportId}`);
    return displaySet;
  }

  /** The segmentation of the viewport's series, created on the first accept. */
  async ensureSegmentation(viewportId: string): Promise<string> {
    const displaySet = this.displaySetOf(viewportId);
    const known = this.byDisplaySet.get(displaySet.displaySetInstanceUID);
    const exists = known && this.service.getSegmentations().some((s) => s.segmentationId === known);
    let segmentationId = exists ? known : undefined;
    if (!segmentationId) {
      segmentationId = await this.service.createLabelmapForDisplaySet(displaySet, {
        label: this.i18n.t('segmentation.label', { series: displaySet.SeriesDescription ?? displaySet.Modality }),
        segments: { 1: { label: this.i18n.t('segmentation.lesion', { n: 1 }), active: true } },
      });
      this.byDisplaySet.set(displaySet.displaySetInstanceUID, segmentationId);
      await this.service.addSegmentationRepresentation(viewportId, { segmentationId });
      // The segmentation mode switches the right panel to its own on the first
      // segmentation; the radiologist is working in ours, so bring it back.
      setTimeout(() => (this.services.panelService as unknown as PanelServiceLike).activatePanel(PANEL_ID, true), 0);
    }
    this.viewportId = viewportId;
    this.state.set((s) => ({ ...s, segmentationId: segmentationId ?? null }));
    this.refresh();
    return segmentationId;
  }

  private activeSegmentIndex(segmentationId: string): number {
    const segments = this.service.getSegmentation(segmentationId)?.segments ?? {};
    const active = Object.values(segments).find((s) => s?.active);
    return active?.segmentIndex ?? 1;
  }

  /**
   * Adds masks to the active segment; returns its index, its label and what the
   * write did. `onRestore` hears the viewer's Undo and Redo of this write (the
   * list is refreshed first).
   */
  async addToActiveSegment(
    viewportId: string,
    masks: SliceMask[],
    onRestore?: RestoreListener,
  ): Promise<LabelmapWrite & { segmentIndex: number; label: string }> {
    const segmentationId = await this.ensureSegmentation(viewportId);
    const segmentIndex = this.activeSegmentIndex(segmentationId);
    const write = addMasksToSegment(this.libraries, segmentationId, segmentIndex, masks, this.afterRestore(onRestore));
    this.refresh();
    return { ...write, segmentIndex, label: this.labelOf(segmentationId, segmentIndex) };
  }

  private labelOf(segmentationId: string, segmentIndex: number): string {
    return this.service.getSegmentation(segmentationId)?.segments[segmentIndex]?.label ?? '';
  }

  /**
   * The active segment of the viewport's segmentation, with its label; null
   * before the series has one.
   */
  activeSegmentOf(viewportId: string): { segmentIndex: number; label: string } | null {
    const known = this.byDisplaySet.get(this.displaySetOf(viewportId).displaySetInstanceUID);
    if (!known || !this.service.getSegmentations().some((s) => s.segmentationId === known)) return null;
    const segmentIndex = this.activeSegmentIndex(known);
    return { segmentIndex, label: this.labelOf(known, segmentIndex) };
  }

  /**
   * Adds masks to a given segment; returns what changed (nothing: no undo step
   * was recorded, so the viewer's Undo reaches the write before).
   */
  async addToSegment(
    viewportId: string,
    segmentIndex: number,
    masks: SliceMask[],
    onRestore?: RestoreListener,
  ): Promise<LabelmapWrite> {
    const segmentationId = await this.ensureSegmentation(viewportId);
    const write = addMasksToSegment(this.libraries, segmentationId, segmentIndex, masks, this.afterRestore(onRestore));
    this.refresh();
    return write;
  }

  private afterRestore(onRestore: RestoreListener | undefined): RestoreListener {
    return (undone) => {
      this.refresh();
      onRestore?.(undone);
    };
  }

  /**
   * Starts the next lesion: a new segment, made active. Not while a lesion has
   * no outlined voxel: that one becomes the active lesion again instead, so
   * presses of Shift+N do not leave a row of empty lesions that the burden
   * panel counts and the SEG cannot hold.
   */
  newSegment(): NewSegmentOutcome {
    const segmentationId = this.state.get().segmentationId;
    if (!segmentationId) return { kind: 'no-segmentation' };
    const segments = Object.values(this.service.getSegmentation(segmentationId)?.segments ?? {})
      .filter((s): s is NonNullable<typeof s> => !!s && s.segmentIndex > 0)
      .sort((a, b) => a.segmentIndex - b.segmentIndex);
    const empty = segments.find((s) => countSegmentVoxels(this.libraries, segmentationId, s.segmentIndex).size === 0);
    if (empty) {
      this.service.setActiveSegment(segmentationId, empty.segmentIndex);
      this.refresh();
      return { kind: 'empty-lesion', label: empty.label };
    }
    const segmentIndex = this.service.getNextAvailableSegmentIndex(segmentationId);
    const label = this.i18n.t('segmentation.lesion', { n: segmentIndex });
    this.service.addSegment(segmentationId, { segmentIndex, label });
    this.service.setActiveSegment(segmentationId, segmentIndex);
    this.refresh();
    return { kind: 'started', label };
  }

  setActive(segmentIndex: number): void {
    const segmentationId = this.state.get().segmentationId;
    if (segmentationId) this.service.setActiveSegment(segmentationId, segmentIndex);
    this.refresh();
  }

  rename(segmentIndex: number, label: string): void {
    const segmentationId = this.state.get().segmentationId;
    if (segmentationId && label.trim()) {
      this.service.setSegmentLabel(segmentationId, segmentIndex, label.trim());
      // the stored SEG carries the names
      this.markUnsaved();
    }
    this.refresh();
  }

  private markUnsaved(): void {
    if (!this.state.get().save.unsavedChanges) this.state.set((s) => ({ ...s, save: { ...s.save, unsavedChanges: true } }));
  }

  toggleVisibility(segmentIndex: number): void {
    const segmentationId = this.state.get().segmentationId;
    if (!segmentationId || !this.viewportId) return;
    const hidden = this.hidden.get(segmentationId) ?? new Set<number>();
    const nowVisible = hidden.has(segmentIndex);
    if (nowVisible) hidden.delete(segmentIndex);
    else hidden.add(segmentIndex);
    this.hidden.set(segmentationId, hidden);
    this.service.setSegmentVisibility(this.viewportId, segmentationId, segmentIndex, nowVisible);
    this.refresh();
  }

  remove(segmentIndex: number): void {
    const segmentationId = this.state.get().segmentationId;
    if (segmentationId) {
      this.service.removeSegment(segmentationId, segmentIndex);
      this.markUnsaved();
    }
    this.refresh();
  }

  /** Shows the slice where the segment is largest. */
  async jumpTo(segmentIndex: number): Promise<void> {
    const segmentationId = this.state.get().segmentationId;
    if (!segmentationId || !this.viewportId) return;
    const counts = countSegmentVoxels(this.libraries, segmentationId, segmentIndex);
    let best: string | null = null;
    for (const [imageId, n] of counts) if (!best || n > (counts.get(best) ?? 0)) best = imageId;
    const element = this.libraries.cornerstone.getEnabledElements().find((e) => e.viewport.id === this.viewportId);
    const viewport = element?.viewport as unknown as StackViewportLike | undefined;
    if (viewport && best) await showImage(viewport, best);
  }

  refresh(): void {
    const segmentationId = this.state.get().segmentationId;
    const exists = segmentationId && this.service.getSegmentations().some((s) => s.segmentationId === segmentationId);
    if (!segmentationId || !exists) {
      this.state.set((s) => ({ ...s, segmentationId: null, segments: [] }));
      return;
    }
    const hidden = this.hidden.get(segmentationId) ?? new Set<number>();
    const rows = listSegmentRows(this.service, segmentationId, this.viewportId, hidden);
    this.state.set((s) => ({ ...s, segments: rows }));
  }
}
