/**
 * Outbox and uploader without a network: an injected store function plays the
 * PACS, an injected clock records the backoff, fake-indexeddb plays the
 * browser's database (a new Outbox on the same factory is a page reload).
 */
// idb recognises requests with `instanceof IDBRequest` etc., so the IDB classes
// must be globals as in a browser; each test still injects its own factory.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { createSegDownload } from '../../../extension/src/core/seg/createSegDownload';
import {
  computeSecondsUntilRetry,
  Outbox,
  type OutboxMeta,
  type OutboxStatus,
} from '../../../extension/src/core/seg/outbox';
import {
  PacsStoreError,
  type PacsStoreErrorCode,
} from '../../../extension/src/core/seg/pacsStoreError';
import { SegUploader, type UploaderClock } from '../../../extension/src/core/seg/segUploader';

const META: OutboxMeta = {
  StudyInstanceUID: '2.25.1',
  SeriesInstanceUID: '2.25.2',
  SOPInstanceUID: '2.25.3',
  SeriesDescription: 'MedSAM lesions',
  numberOfFrames: 4,
};
const BYTES = Uint8Array.from({ length: 1000 }, (_, i) => i % 251).buffer;

/** A clock whose sleeps return at once and are recorded. */
function createTestClock(
  onSleep?: (ms: number) => void | Promise<void>,
): UploaderClock & { sleeps: number[] } {
  let now = 1_000_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
      await onSleep?.(ms);
    },
  };
}

function failing(codes: PacsStoreErrorCode[]): { store: () => Promise<void>; calls: () => number } {
  let calls = 0;
  return {
    calls: () => calls,
    store: async () => {
      const code = codes[calls++];
      if (code) throw new PacsStoreError(code, `simulated ${code}`);
    },
  };
}

async function openOutbox(factory: IDBFactory): Promise<Outbox> {
  return Outbox.open({ indexedDB: factory, name: 'test-outbox' });
}

describe('SegUploader', () => {
  it('retries transient failures with backoff until stored, then empties the outbox', async () => {
    const outbox = await openOutbox(new IDBFactory());
    const clock = createTestClock();
    const pacs = failing([
      'pacs-unreachable',
      'pacs-too-large',
      'pacs-server-error',
      'network-interrupted',
    ]);
    const uploader = new SegUploader({
      outbox,
      store: pacs.store,
      dicomWebRoot: '/dicom-web',
      clock,
    });
    const seen: OutboxStatus[] = [];
    uploader.subscribe((_, status) => seen.push(status));

    const id = await uploader.enqueue({ bytes: BYTES, meta: META });
    const final = await uploader.whenSettled(id);

    expect(final?.state).toBe('stored');
    expect(pacs.calls()).toBe(5);
    expect(clock.sleeps).toEqual([2000, 4000, 8000, 16000]);
    const retryCodes = seen.flatMap((s) => (s.state === 'retrying' ? [s.error.code] : []));
    expect(retryCodes).toEqual([
      'pacs-unreachable',
      'pacs-too-large',
      'pacs-server-error',
      'network-interrupted',
    ]);
    expect(seen.map((s) => s.state)).toEqual([
      'queued',
      'sending',
      'retrying',
      'sending',
      'retrying',
      'sending',
      'retrying',
      'sending',
      'retrying',
      'sending',
      'stored',
    ]);
    expect(await outbox.list()).toEqual([]);
  });

  it('has the bytes in the outbox before the first send', async () => {
    const outbox = await openOutbox(new IDBFactory());
    let persisted: ArrayBuffer | undefined;
    const uploader = new SegUploader({
      outbox,
      dicomWebRoot: '/dicom-web',
      clock: createTestClock(),
      store: async (entry) => {
        persisted = (await outbox.get(entry.id))?.bytes;
      },
    });
    await uploader.whenSettled(await uploader.enqueue({ bytes: BYTES, meta: META }));
    expect(Buffer.from(persisted!).equals(Buffer.from(BYTES))).toBe(true);
  });

  it('stops at a refusal, keeps the entry across a reload, and stores it on retry', async () => {
    const factory = new IDBFactory();
    const outbox = await openOutbox(factory);
    const pacs = failing(['pacs-refused']);
    const first = new SegUploader({
      outbox,
      store: pacs.store,
      dicomWebRoot: '/dicom-web',
      clock: createTestClock(),
    });
    const final = await first.whenSettled(await first.enqueue({ bytes: BYTES, meta: META }));
    expect(final).toEqual({
      state: 'failed',
      error: { code: 'pacs-refused', message: 'simulated pacs-refused' },
    });
    first.dispose();
    outbox.close();

    const reloaded = await openOutbox(factory);
    const [entry] = await reloaded.list();
    expect(entry?.status.state).toBe('failed');
    expect(Buffer.from(entry!.bytes).equals(Buffer.from(BYTES))).toBe(true);
    const download = createSegDownload(entry!.bytes, entry!.meta);
    expect(download.fileName).toBe('SEG_MedSAM_lesions_2.25.3.dcm');
    expect(download.blob.size).toBe(BYTES.byteLength);
    expect(download.blob.type).toBe('application/dicom');

    const second = new SegUploader({
      outbox: reloaded,
      store: pacs.store,
      dicomWebRoot: '/dicom-web',
      clock: createTestClock(),
    });
    await second.resume();
    // Failed entries wait for the user; resume does not resend them.
    expect(await second.whenSettled(META.SOPInstanceUID)).toEqual(entry!.status);
    await second.retry(META.SOPInstanceUID);
    expect((await second.whenSettled(META.SOPInstanceUID))?.state).toBe('stored');
    expect(await reloaded.list()).toEqual([]);
  });

  it('gives up as failed after maxAttempts of retryable errors', async () => {
    const outbox = await openOutbox(new IDBFactory());
    const clock = createTestClock();
    const pacs = failing(Array<PacsStoreErrorCode>(10).fill('pacs-server-error'));
    const uploader = new SegUploader({
      outbox,
      store: pacs.store,
      dicomWebRoot: '/',
      clock,
      retry: { maxAttempts: 3 },
    });
    const final = await uploader.whenSettled(await uploader.enqueue({ bytes: BYTES, meta: META }));
    expect(final?.state).toBe('failed');
    expect(pacs.calls()).toBe(3);
    expect((await outbox.list())[0]?.attempts).toBe(3);
  });

  it('resumes an entry that was waiting to retry when the page closed', async () => {
    const factory = new IDBFactory();
    const outbox = await openOutbox(factory);
    let closePage: () => void = () => undefined;
    const clock = createTestClock(() => closePage());
    const first = new SegUploader({
      outbox,
      store: failing(['pacs-unreachable']).store,
      dicomWebRoot: '/',
      clock,
    });
    closePage = () => first.dispose();
    await first.whenSettled(await first.enqueue({ bytes: BYTES, meta: META }));
    const [waiting] = await outbox.list();
    expect(waiting?.status.state).toBe('retrying');
    expect(computeSecondsUntilRetry(waiting!.status, 1_000_000)).toBe(2);

    const reloaded = await openOutbox(factory);
    const second = new SegUploader({
      outbox: reloaded,
      store: async () => undefined,
      dicomWebRoot: '/',
      clock: createTestClock(),
    });
    await second.resume();
    expect((await second.whenSettled(META.SOPInstanceUID))?.state).toBe('stored');
    expect(await reloaded.list()).toEqual([]);
  });

  it('computes the wait a panel shows', () => {
    const error = { code: 'pacs-unreachable' as const, message: '' };
    expect(
      computeSecondsUntilRetry({ state: 'retrying', attempt: 1, retryAt: 10_500, error }, 8_000),
    ).toBe(3);
    expect(
      computeSecondsUntilRetry({ state: 'retrying', attempt: 1, retryAt: 1, error }, 8_000),
    ).toBe(0);
    expect(computeSecondsUntilRetry({ state: 'queued' }, 8_000)).toBe(0);
  });
});
