/**
 * The radiologist's loop, wired to the viewer: a MedSAM box is drawn, the model
 * runs on that slice, the outline is previewed; Enter accepts it into the active
 * segment, Escape discards it, a new box replaces it; P carries the accepted
 * lesion through the slices. State lives in the store (medsamState.ts), so the
 * panel can be unmounted and mounted again without losing anything.
 */
import type { i18n as I18n } from 'i18next';
import { computePixelBoxFromImageRect, type Box, type ImagePoint } from '../core/inference/boxTransform';
import { InferenceError, isCancelled, throwIfAborted } from '../core/inference/inferenceError';
import { resolveIntensityPreset } from '../core/inference/intensityChoices';
import { findOutlineInAir } from '../core/inference/outlineInAir';
import { isImageRectOutside, isPromptBoxTooSmall } from '../core/inference/promptBoxSize';
import type { ModelFileProgress } from '../core/inference/loadModelFile';
import { worldToImageIndex } from '../core/dicom/planeTransforms';
import type { Vec3 } from '../core/dicom/seriesGeometry';
import type { Store } from '../core/util/store';
import type { CornerstoneLibraries } from './host/cornerstoneLibraries';
import type { ServicesManager } from './host/hostTypes';
import { BOX_TOOL_NAME } from './ids';
import type { InferenceSession } from './inference/inferenceSession';
import { IDLE, type MedSAMState, type Message } from './medsamState';
import type { ModelCatalogue } from './models/loadModelCatalogue';
import { MaskPreviewOverlay } from './preview/maskPreviewOverlay';
import { SegmentationWorkspace } from './segmentation/segmentationWorkspace';
import { readSliceFromViewer } from './viewport/readSliceFromViewer';
import { isStackViewport, readCurrentImageId, readImageIds, type StackViewportLike } from './viewport/stackViewport';
import { createViewerVolume } from './viewport/viewerVolume';

interface BoxAnnotation {
  annotationUID: string;
  metadata: { toolName: string; referencedImageId?: string };
  data: { handles: { points: Vec3[] } };
}

/** What the last accepted result was prompted with: the seed of 3D propagation. */
interface AcceptedSeed {
  viewportId: string;
  volumeKey: string;
  imageIds: string[];
  sliceIndex: number;
  box: Box;
  segmentIndex: number;
}

interface PendingPreview {
  viewport: StackViewportLike;
  overlay: MaskPreviewOverlay;
  imageId: string;
  volumeKey: string;
  imageIds: string[];
  sliceIndex: number;
  box: Box;
  mask: Uint8Array;
}

export class MedSAMController {
  private preview: PendingPreview | null = null;
  private seed: AcceptedSeed | null = null;
  private running: AbortController | null = null;
  private readonly workspace: SegmentationWorkspace;

  constructor(
    private readonly libraries: CornerstoneLibraries,
    private readonly services: ServicesManager['services'],
    private readonly state: Store<MedSAMState>,
    private readonly session: InferenceSession,
    private readonly catalogue: () => ModelCatalogue | null,
    private readonly i18n: I18n,
  ) {
    this.workspace = new SegmentationWorkspace(libraries, services, state, i18n);
  }

  get segmentation(): SegmentationWorkspace {
    return this.workspace;
  }

  /** Called for every completed annotation; reacts to our tool's only. */
  onAnnotationCompleted(annotation: BoxAnnotation): void {
    if (annotation.metadata.toolName !== BOX_TOOL_NAME) return;
    // The rectangle is a prompt, not a measurement: it goes as soon as it is read.
    const imageId = annotation.metadata.referencedImageId;
    const points = annotation.data.handles.points;
    this.libraries.cornerstoneTools.annotation.state.removeAnnotation(annotation.annotationUID);
    if (this.state.get().work.phase === 'propagating') {
      // Aborting the walk for a box would drop both: the walk writes nothing
      // until it is complete, and the box waits behind it in the worker.
      this.state.set((s) => ({ ...s, notice: { key: 'notices.boxWhilePropagating', values: {} } }));
      return;
    }
    const viewport = imageId ? this.findViewportShowing(imageId) : null;
    if (!viewport || !imageId) {
      this.fail({ key: 'errors.noStackViewport', values: {} });
      return;
    }
    void this.segmentBox(viewport, imageId, points);
  }

  private findViewportShowing(imageId: string): StackViewportLike | null {
    for (const { viewport } of this.libraries.cornerstone.getEnabledElements()) {
      if (isStackViewport(viewport) && readCurrentImageId(viewport) === imageId) return viewport;
    }
    return null;
  }

  private async segmentBox(viewport: StackViewportLike, imageId: string, points: Vec3[]): Promise<void> {
    this.running?.abort();
    const controller = new AbortController();
    this.running = controller;
    try {
      // What the last run said ("Cancelled.", an error) is not about this box.
      this.state.set((s) => ({ ...s, notice: null, error: null }));
      const slice = await readSliceFromViewer(this.libraries, imageId);
      // worldToImageIndex puts pixel centres on integers; the engine's image
      // coordinates put them at +0.5 (pixel i covers [i, i+1)).
      const corners = points.map((p) => worldToImageIndex(slice.plane, p).map((v) => v + 0.5));
      const xs = corners.map((c) => c[0] as number);
      const ys = corners.map((c) => c[1] as number);
      const from: ImagePoint = [Math.min(...xs), Math.min(...ys)];
      const to: ImagePoint = [Math.max(...xs), Math.max(...ys)];
      const box = computePixelBoxFromImageRect(from, to, slice.plane.Columns, slice.plane.Rows);
      const outside = isImageRectOutside(from, to, slice.plane.Columns, slice.plane.Rows);
      if (outside || isPromptBoxTooSmall(box)) {
        // a new box supersedes the outline still on screen, even one refused
        this.clearPreview();
        const key = outside ? 'notices.boxOutsideImage' : 'notices.boxTooSmall';
        this.state.set((s) => ({ ...s, work: IDLE, notice: { key, values: {} } }));
        return;
      }
      const imageIds = readImageIds(viewport);
      // The window is part of the volume's identity: another window is another
      // input to the model, with embeddings of its own.
      const ctWindow = this.state.get().ctWindow;
      const volumeKey = `${viewport.id}:${imageIds[0] ?? ''}:${imageIds.length}:${ctWindow}`;
      await this.prepare(volumeKey, slice.Modality, imageIds, ctWindow, controller.signal);
      this.setWork({ phase: 'encoding', fraction: null, detail: null, cancellable: true });
      const sliceIndex = imageIds.indexOf(imageId);
      const result = await this.session.segment({ volumeKey, sliceIndex, box, prefetchRadius: 2 }, controller.signal);
      // The worker cannot stop an encoder run midway: a run cancelled (Escape) or
      // superseded (a new box) while it ran still answers, and that answer is dropped.
      throwIfAborted(controller.signal, 'the outline');
      this.clearPreview();
      const overlay = new MaskPreviewOverlay(this.libraries, viewport);
      overlay.show({ imageId, plane: slice.plane, mask: result.mask });
      this.preview = { viewport, overlay, imageId, volumeKey, imageIds, sliceIndex, box, mask: result.mask };
      const voxels = result.mask.reduce((n, v) => n + (v ? 1 : 0), 0);
      const airHu = findOutlineInAir(slice.Modality, slice.values, result.mask);
      let notice: Message | null = null;
      if (voxels === 0) notice = { key: 'notices.emptyResult', values: {} };
      else if (airHu !== undefined) notice = { key: 'notices.outlineInAir', values: { hu: Math.round(airHu) } };
      this.state.set((s) => ({
        ...s,
        work: IDLE,
        error: null,
        notice,
        preview: { viewportId: viewport.id, imageId, sliceIndex, voxels, iou: result.iou },
      }));
    } catch (error) {
      // A run replaced by a newer box leaves the screen to the newer one.
      if (this.running === controller || !isCancelled(error)) this.handleError(error);
    } finally {
      if (this.running === controller) this.running = null;
    }
  }

  /** Loads the active model and opens the series in the worker. */
  private async prepare(
    volumeKey: string,
    modality: string,
    imageIds: string[],
    ctWindow: string,
    signal: AbortSignal,
  ): Promise<void> {
    const located = this.catalogue()?.available.find((m) => m.manifest.id === this.state.get().activeModelId);
    if (!located) throw new InferenceError('not-loaded', 'no model is available');
    this.setWork({ phase: 'loading-model', fraction: 0, detail: null, cancellable: false });
    await this.session.ensureModel(located.manifest, located.manifestUrl, (p) => this.onModelProgress(p));
    const loaded = this.session.model;
    if (loaded) this.state.set((s) => ({ ...s, loadedBackend: loaded.backend }));
    if (signal.aborted) throw new InferenceError('cancelled', 'superseded');
    const preset = resolveIntensityPreset(located.manifest, modality, ctWindow);
    await this.session.ensureVolume(createViewerVolume(this.libraries, volumeKey, modality, imageIds, preset));
  }

  private onModelProgress(progress: ModelFileProgress): void {
    const fraction = progress.totalBytes > 0 ? progress.loadedBytes / progress.totalBytes : null;
    const megabytes = (bytes: number) => Math.round(bytes / (1024 * 1024));
    this.setWork({
      phase: 'loading-model',
      fraction,
      detail: {
        key: progress.fromCache ? 'work.modelFromCache' : 'work.modelDownload',
        values: { file: progress.file, loaded: megabytes(progress.loadedBytes), total: megabytes(progress.totalBytes) },
      },
      cancellable: false,
    });
  }

  /** Enter: the previewed outline goes into the active segment (one undo step). */
  async accept(): Promise<void> {
    const preview = this.preview;
    if (!preview) return;
    try {
      let seed: AcceptedSeed | null = null;
      const { segmentIndex, taken } = await this.workspace.addToActiveSegment(
        preview.viewport.id,
        [{ imageId: preview.imageId, mask: preview.mask }],
        // P must not carry an outline the radiologist has undone; Redo brings it back
        (undone) => {
          if (undone && this.seed === seed) this.seed = null;
          else if (!undone && seed) this.seed = seed;
          this.sayRestored(undone);
        },
      );
      seed = {
        viewportId: preview.viewport.id,
        volumeKey: preview.volumeKey,
        imageIds: preview.imageIds,
        sliceIndex: preview.sliceIndex,
        box: preview.box,
        segmentIndex,
      };
      this.seed = seed;
      this.clearPreview();
      // the outline takes over other lesions' pixels under it, as the brush does: say so
      const notice: Message =
        taken > 0 ? { key: 'notices.acceptedTaking', values: { count: taken } } : { key: 'notices.accepted', values: {} };
      this.state.set((s) => ({
        ...s,
        // unsaved work is marked by the workspace, from the labelmap's data event
        notice,
      }));
    } catch (error) {
      this.handleError(error);
    }
  }

  /** After the viewer's Undo or Redo of our write (an outline or a walk): the last notice no longer holds. */
  private sayRestored(undone: boolean, write: 'outline' | 'propagation' = 'outline'): void {
    const key =
      write === 'outline'
        ? undone ? 'notices.undone' : 'notices.redone'
        : undone ? 'notices.propagationUndone' : 'notices.propagationRedone';
    this.state.set((s) => ({ ...s, notice: { key, values: {} } }));
  }

  /** Escape: the preview goes, nothing is written; or a running job is cancelled. */
  discard(): void {
    if (this.running) {
      // Said at once; the run's late answer, if any, is dropped (segmentBox).
      this.running.abort();
      this.running = null;
      // A cancelled propagation writes nothing at all: say so, not just "Cancelled".
      const key = this.state.get().work.phase === 'propagating' ? 'notices.propagationCancelled' : 'notices.cancelled';
      this.state.set((s) => ({ ...s, work: IDLE, notice: { key, values: {} } }));
      return;
    }
    this.clearPreview();
    // what was said about that outline (mostly air, nothing found) went with it
    this.state.set((s) => ({ ...s, notice: null }));
  }

  /** Enter pressed before there is an outline to accept. */
  sayStillWorking(): void {
    this.state.set((s) => ({ ...s, notice: { key: 'notices.stillWorking', values: {} } }));
  }

  /** The viewport's active lesion; null when its series has no segmentation or is gone. */
  private activeSegmentOf(viewportId: string): { segmentIndex: number; label: string } | null {
    try {
      return this.workspace.activeSegmentOf(viewportId);
    } catch {
      return null;
    }
  }

  /** Shift+N: the next lesion, or why not (the workspace refuses while one is empty). */
  newLesion(): void {
    const outcome = this.workspace.newSegment();
    const notice: Message =
      outcome.kind === 'started'
        ? { key: 'notices.lesionStarted', values: { label: outcome.label } }
        : outcome.kind === 'empty-lesion'
          ? { key: 'notices.lesionStillEmpty', values: { label: outcome.label } }
          : { key: 'notices.outlineFirstLesion', values: {} };
    this.state.set((s) => ({ ...s, notice }));
  }

  get hasPreview(): boolean {
    return this.preview !== null;
  }

  get isBusy(): boolean {
    return this.running !== null;
  }

  /** P: from the accepted slice up then down, into the same segment. */
  async propagate(): Promise<void> {
    const seed = this.seed;
    if (!seed) {
      this.state.set((s) => ({ ...s, notice: { key: 'notices.acceptFirst', values: {} } }));
      return;
    }
    // P carries the last accepted outline; after Shift+N (or a click on another
    // lesion) the active lesion is another one, which has no outline of its own to carry
    const active = this.activeSegmentOf(seed.viewportId);
    if (active && active.segmentIndex !== seed.segmentIndex) {
      this.state.set((s) => ({ ...s, notice: { key: 'notices.acceptFirstForLesion', values: { label: active.label } } }));
      return;
    }
    this.running?.abort();
    const controller = new AbortController();
    this.running = controller;
    this.setWork({ phase: 'propagating', fraction: 0, detail: null, cancellable: true });
    // What the last action said ("Outline added…", "Cancelled.") is not about this run.
    this.state.set((s) => ({ ...s, notice: null, error: null }));
    try {
      const reply = await this.session.propagate(
        { volumeKey: seed.volumeKey, startIndex: seed.sliceIndex, box: seed.box },
        {
          signal: controller.signal,
          onProgress: (p) =>
            this.setWork({
              phase: 'propagating',
              fraction: p.total > 0 ? p.done / p.total : null,
              detail: { key: 'work.propagationSlice', values: { done: p.done, total: p.total } },
              cancellable: true,
            }),
        },
      );
      const masks = reply.masks.flatMap(([index, mask]) => {
        const imageId = seed.imageIds[index];
        return imageId ? [{ imageId, mask }] : [];
      });
      const { changed, taken } = await this.workspace.addToSegment(seed.viewportId, seed.segmentIndex, masks, (undone) =>
        this.sayRestored(undone, 'propagation'),
      );
      const slices = reply.masks.filter(([, m]) => m.some((v) => v !== 0)).length;
      // A walk that adds nothing records no undo step: saying "Undo restores the
      // state before" would send Ctrl+Z to the accept before it.
      const notice: Message =
        changed === 0
          ? { key: 'notices.propagatedNothing', values: {} }
          : taken > 0
            ? { key: 'notices.propagatedTaking', values: { count: slices, taken } }
            : { key: 'notices.propagated', values: { count: slices } };
      this.state.set((s) => ({
        ...s,
        work: IDLE,
        notice,
      }));
    } catch (error) {
      if (isCancelled(error)) {
        // Nothing was written: the masks go in only once every slice is done.
        this.state.set((s) => ({ ...s, work: IDLE, notice: { key: 'notices.propagationCancelled', values: {} } }));
      } else this.handleError(error);
    } finally {
      if (this.running === controller) this.running = null;
    }
  }

  private clearPreview(): void {
    this.preview?.overlay.clear();
    this.preview = null;
    this.state.set((s) => ({ ...s, preview: null }));
  }

  private setWork(work: MedSAMState['work']): void {
    this.state.set((s) => ({ ...s, work }));
  }

  private fail(message: Message): void {
    this.state.set((s) => ({ ...s, work: IDLE, error: message }));
  }

  private handleError(error: unknown): void {
    if (isCancelled(error)) {
      this.state.set((s) => ({ ...s, work: IDLE, notice: { key: 'notices.cancelled', values: {} } }));
      return;
    }
    if (error instanceof InferenceError) {
      this.fail({ key: `errors.inference.${error.code}`, values: { detail: error.message } });
      return;
    }
    this.fail({ key: 'errors.unexpected', values: { detail: error instanceof Error ? error.message : String(error) } });
  }
}
