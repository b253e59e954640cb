/**
 * "Save to PACS": builds a BINARY SEG from the segmentation the panel shows,
 * puts it in the outbox (IndexedDB) and has the uploader send it by STOW-RS
 * until the PACS confirms. The panel's rows mirror the outbox, so whatever is
 * waiting after a reload is shown again and resumed by `start()`.
 *
 * Design: the outbox is the source of truth and the uploader runs the retries
 * (core/seg); this class only turns viewer state into a SEG, keeps the panel's
 * rows in step with the uploader's reports, and keeps the bytes of this
 * session's SEGs in memory so that Download works even after an entry has
 * left the outbox. Every dependency on the host is injected (createSegSaver.ts
 * wires the viewer's), so jest drives it with fake-indexeddb and a fake PACS.
 */
import type { ModelManifest } from '../../core/inference/modelManifest';
import { createSegDownload } from '../../core/seg/createSegDownload';
import type { Outbox, OutboxEntry, OutboxMeta, OutboxStatus } from '../../core/seg/outbox';
import { SegWriteError } from '../../core/seg/segErrors';
import type { SegEquipment } from '../../core/seg/segTypes';
import {
  SegUploader,
  SYSTEM_CLOCK,
  type RetryPolicy,
  type StoreFunction,
  type UploaderClock,
} from '../../core/seg/segUploader';
import type { Store } from '../../core/util/store';
import type { MedSAMState, Message } from '../medsamState';
import { createSegFromLabelmaps, type LabelmapSlice } from './createSegFromLabelmaps';
import { createSegAlgorithm } from './modelAlgorithm';
import type { OutboxRow, SaveState } from './saveState';
import { SegSaveError } from './segSaveError';

export interface SegSaverOptions {
  state: Store<MedSAMState>;
  /** The labelmap images and source metadata of a segmentation (host). */
  readSlices(segmentationId: string): LabelmapSlice[];
  /** Manifest of the model in use, or null when none is selected. */
  activeModel(): ModelManifest | null;
  /**
   * What new SEGs hold, in the user's language ("MedSAM lesions"): the start
   * of their SeriesDescription, which goes on to name the source series.
   */
  seriesDescription(): string;
  /** SeriesNumbers of the series the viewer lists for a study (none when unknown). */
  seriesNumbersInStudy?(StudyInstanceUID: string): Iterable<number>;
  openOutbox(): Promise<Outbox>;
  /** Sends one entry; throws a PacsStoreError unless the PACS confirmed. */
  store: StoreFunction;
  /** DICOMweb root recorded on each new entry; read when the outbox opens. */
  dicomWebRoot(): string;
  /** Hands a file to the user (an `<a download>` in the browser). */
  download(blob: Blob, fileName: string): void;
  equipment: SegEquipment;
  retry?: Partial<RetryPolicy>;
  clock?: UploaderClock;
}

interface SegFile {
  bytes: ArrayBuffer;
  meta: OutboxMeta;
  createdAt: number;
}

function toMessage(error: unknown): Message {
  const detail = error instanceof Error ? error.message : String(error);
  if (error instanceof SegSaveError || error instanceof SegWriteError) {
    return { key: `save.errors.${error.code}`, values: { detail } };
  }
  return { key: 'save.errors.unexpected', values: { detail } };
}

/** Lets the panel paint "Preparing…" before the main thread is busy encoding. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export class SegSaver {
  private opening: Promise<void> | null = null;
  private outbox: Outbox | null = null;
  private uploader: SegUploader | null = null;
  /** Why the outbox could not be opened, for the message shown on Save. */
  private outboxFailure: string | null = null;
  private readonly files = new Map<string, SegFile>();
  /**
   * SeriesNumbers given to this session's SEGs, by study: the viewer lists a
   * stored SEG only after a reload, so two saves would otherwise share one.
   */
  private readonly givenSeriesNumbers = new Map<string, Set<number>>();
  private readonly clock: UploaderClock;

  constructor(private readonly options: SegSaverOptions) {
    this.clock = options.clock ?? SYSTEM_CLOCK;
  }

  /** Opens the outbox, lists what is waiting and resumes sending it. Idempotent. */
  start(): Promise<void> {
    return (this.opening ??= this.open());
  }

  private async open(): Promise<void> {
    try {
      this.outbox = await this.options.openOutbox();
    } catch (error) {
      this.outboxFailure = error instanceof Error ? error.message : String(error);
      return;
    }
    const uploader = new SegUploader({
      outbox: this.outbox,
      store: this.options.store,
      dicomWebRoot: this.options.dicomWebRoot(),
      retry: this.options.retry,
      clock: this.clock,
    });
    uploader.subscribe((id, status) => this.showStatus(id, status));
    this.uploader = uploader;
    const waiting = await this.outbox.list();
    for (const entry of waiting) this.remember(entry);
    this.patch((save) => ({
      rows: [...save.rows, ...waiting.map((e) => this.toRow(e.id, e.status))],
    }));
    await uploader.resume();
  }

  /** Builds the SEG of the current segmentation and queues it for the PACS. */
  async save(): Promise<void> {
    if (this.options.state.get().save.saving) return;
    this.patch(() => ({ saving: true, error: null }));
    try {
      await nextTask();
      const file = this.build();
      this.files.set(file.meta.SOPInstanceUID, file);
      await this.start();
      const notKept = await this.enqueue(file);
      // Queued (kept across a reload) or, failing that, downloaded below: safe either way.
      this.patch(() => ({ unsavedChanges: false }));
      if (notKept !== null) {
        // Nothing may be lost: without a place to keep it, the file goes to the user.
        this.download(file.meta.SOPInstanceUID);
        this.patch(() => ({
          error: { key: 'save.errors.outboxUnavailable', values: { detail: notKept } },
        }));
      }
    } catch (error) {
      this.patch(() => ({ error: toMessage(error) }));
    } finally {
      this.patch(() => ({ saving: false }));
    }
  }

  /** Puts the file in the outbox to be sent; returns why it could not, or null. */
  private async enqueue(file: SegFile): Promise<string | null> {
    if (!this.uploader) return this.outboxFailure ?? '';
    try {
      await this.uploader.enqueue(file);
      return null;
    } catch (error) {
      // IndexedDB refused the write (quota, a browser policy): not kept.
      return error instanceof Error ? error.message : String(error);
    }
  }

  private build(): SegFile {
    const { state, activeModel } = this.options;
    const { segmentationId, segments } = state.get();
    if (!segmentationId) {
      throw new SegSaveError('save-no-segmentation', 'No MedSAM segmentation in this viewer');
    }
    const manifest = activeModel();
    if (!manifest) throw new SegSaveError('save-no-model', 'No model is selected');
    const written = createSegFromLabelmaps({
      slices: this.options.readSlices(segmentationId),
      segments: segments.map((s) => ({
        segmentIndex: s.segmentIndex,
        label: s.label,
        rgb: s.colour,
      })),
      algorithm: createSegAlgorithm(manifest),
      equipment: this.options.equipment,
      seriesDescriptionPrefix: this.options.seriesDescription(),
      takenSeriesNumbers: (study) => [
        ...(this.options.seriesNumbersInStudy?.(study) ?? []),
        ...(this.givenSeriesNumbers.get(study) ?? []),
      ],
      now: new Date(this.clock.now()),
    });
    const given = this.givenSeriesNumbers.get(written.StudyInstanceUID) ?? new Set<number>();
    this.givenSeriesNumbers.set(written.StudyInstanceUID, given.add(written.SeriesNumber));
    const meta: OutboxMeta = {
      StudyInstanceUID: written.StudyInstanceUID,
      SeriesInstanceUID: written.SeriesInstanceUID,
      SOPInstanceUID: written.SOPInstanceUID,
      SeriesDescription: written.SeriesDescription,
      numberOfFrames: written.numberOfFrames,
    };
    return { bytes: written.bytes, meta, createdAt: this.clock.now() };
  }

  /** Skips a pending backoff wait, or sends a failed entry again. */
  async retry(id: string): Promise<void> {
    await this.uploader?.retry(id);
  }

  /** Hands the SEG file of a row to the user. */
  download(id: string): void {
    const file = this.files.get(id);
    if (!file) return;
    const { blob, fileName } = createSegDownload(file.bytes, file.meta);
    this.options.download(blob, fileName);
  }

  /** Stops the send loops (entries stay in the outbox for the next page). */
  dispose(): void {
    this.uploader?.dispose();
    this.outbox?.close();
  }

  private remember(entry: OutboxEntry): void {
    this.files.set(entry.id, { bytes: entry.bytes, meta: entry.meta, createdAt: entry.createdAt });
  }

  private toRow(id: string, status: OutboxStatus): OutboxRow {
    const file = this.files.get(id);
    return {
      id,
      SeriesDescription: file?.meta.SeriesDescription ?? '',
      StudyInstanceUID: file?.meta.StudyInstanceUID ?? '',
      numberOfFrames: file?.meta.numberOfFrames ?? 0,
      createdAt: file?.createdAt ?? this.clock.now(),
      status,
    };
  }

  private showStatus(id: string, status: OutboxStatus): void {
    this.patch((save) => {
      const known = save.rows.some((row) => row.id === id);
      const rows = known
        ? save.rows.map((row) => (row.id === id ? { ...row, status } : row))
        : [...save.rows, this.toRow(id, status)];
      return { rows };
    });
  }

  private patch(change: (save: SaveState) => Partial<SaveState>): void {
    this.options.state.set((s) => ({ ...s, save: { ...s.save, ...change(s.save) } }));
  }
}
