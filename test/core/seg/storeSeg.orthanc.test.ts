/**
 * STOW-RS, QIDO-RS and WADO-RS against a real Orthanc started by the test, and
 * the outbox through the failures a deployment meets: PACS down, HTTP 413 and
 * 500 from a proxy, a connection cut during the upload, and one cut after the
 * PACS stored it. Nothing is lost and exactly one instance arrives.
 */
import '../../support/quietDcmjs';
import 'fake-indexeddb/auto'; // idb needs the IDB classes as globals, as in a browser
import path from 'node:path';
import { api } from 'dicomweb-client';
import { IDBFactory } from 'fake-indexeddb';
import { alignSegToSeries } from '../../../extension/src/core/seg/alignSegToSeries';
import { Outbox, type OutboxMeta, type OutboxStatus } from '../../../extension/src/core/seg/outbox';
import { readSeg } from '../../../extension/src/core/seg/readSeg';
import { SegUploader, type UploaderClock } from '../../../extension/src/core/seg/segUploader';
import { storeSeg, type DicomWebTarget } from '../../../extension/src/core/seg/storeSeg';
import { writeSeg, type WrittenSeg } from '../../../extension/src/core/seg/writeSeg';
import { startFaultProxy, type FaultMode, type FaultProxy } from '../../support/faultProxy';
import { loadSourceSeries, SHARED_DATA } from '../../support/loadSourceSeries';
import { createNodeXMLHttpRequest } from '../../support/nodeXMLHttpRequest';
import { createThreeLesions, TEST_EQUIPMENT } from '../../support/segFixtures';
import { startOrthanc, type OrthancHandle } from '../../support/startOrthanc';

const series = loadSourceSeries(path.join(SHARED_DATA, 'ct-sarcoma', 'ct'));
const lesions = createThreeLesions(series.geometry);

function createSeg(): WrittenSeg {
  return writeSeg({
    source: series.geometry,
    header: series.header,
    segments: lesions,
    equipment: TEST_EQUIPMENT,
    SeriesDescription: 'MedSAM lesions',
  });
}

function metaOf(seg: WrittenSeg): OutboxMeta {
  return {
    StudyInstanceUID: seg.StudyInstanceUID,
    SeriesInstanceUID: seg.SeriesInstanceUID,
    SOPInstanceUID: seg.SOPInstanceUID,
    SeriesDescription: 'MedSAM lesions',
    numberOfFrames: seg.numberOfFrames,
  };
}

function target(root: string): DicomWebTarget {
  return { root, createXMLHttpRequest: createNodeXMLHttpRequest, timeoutMs: 30_000 };
}

function client(root: string): api.DICOMwebClient {
  return new api.DICOMwebClient({ url: root, verbose: false, singlepart: false });
}

/** QIDO: instances with this SOP Instance UID in the PACS. */
async function countInstances(root: string, SOPInstanceUID: string): Promise<number> {
  const options = {
    queryParams: { SOPInstanceUID },
    request: { instance: createNodeXMLHttpRequest() },
  };
  const found: unknown = await client(root).searchForInstances(options);
  return Array.isArray(found) ? found.length : 0;
}

/** A clock that sleeps no time and runs `actions[n]` during the n-th wait. */
function scriptedClock(
  actions: (() => Promise<void> | void)[],
): UploaderClock & { sleeps: number[] } {
  const sleeps: number[] = [];
  let now = Date.now();
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      now += ms;
      await actions[sleeps.length]?.();
      sleeps.push(ms);
    },
  };
}

describe('storeSeg and the outbox against Orthanc', () => {
  let orthanc: OrthancHandle;
  let proxy: FaultProxy | undefined;

  beforeAll(async () => {
    orthanc = await startOrthanc();
  });
  afterAll(async () => {
    await proxy?.close();
    await orthanc?.dispose();
  });

  it('stores a SEG, finds it (QIDO), retrieves it (WADO) and decodes the same masks', async () => {
    const seg = createSeg();
    const receipt = await storeSeg(seg.bytes, seg, target(orthanc.dicomWebRoot));
    expect(receipt.status).toBe(200);

    const options = {
      studyInstanceUID: seg.StudyInstanceUID,
      queryParams: { Modality: 'SEG' },
      request: { instance: createNodeXMLHttpRequest() },
    };
    const found = (await client(orthanc.dicomWebRoot).searchForSeries(options)) as Record<
      string,
      { Value?: unknown[] }
    >[];
    expect(found.map((item) => item['0020000E']?.Value?.[0])).toContain(seg.SeriesInstanceUID);

    const retrieve = {
      studyInstanceUID: seg.StudyInstanceUID,
      seriesInstanceUID: seg.SeriesInstanceUID,
      sopInstanceUID: seg.SOPInstanceUID,
      request: { instance: createNodeXMLHttpRequest() },
    };
    const bytes = (await client(orthanc.dicomWebRoot).retrieveInstance(
      retrieve as never,
    )) as ArrayBuffer;
    const aligned = alignSegToSeries(await readSeg(bytes), series.geometry);
    expect(aligned).toHaveLength(lesions.length);
    aligned.forEach((segment, s) =>
      segment.masks.forEach((mask, k) => {
        const expected = lesions[s]!.masks[k];
        expect(mask === undefined).toBe(expected === undefined);
        if (mask && expected) expect(Buffer.from(mask).equals(Buffer.from(expected))).toBe(true);
      }),
    );
  });

  it('keeps the SEG while Orthanc is down and stores it once Orthanc is back', async () => {
    const seg = createSeg();
    await orthanc.stop();
    const factory = new IDBFactory();
    const outbox = await Outbox.open({ indexedDB: factory, name: 'down' });
    const clock = scriptedClock([
      async () => {
        // While down, a "reload" sees the entry with all its bytes.
        const reloaded = await Outbox.open({ indexedDB: factory, name: 'down' });
        const [entry] = await reloaded.list();
        expect(Buffer.from(entry!.bytes).equals(Buffer.from(seg.bytes))).toBe(true);
        reloaded.close();
      },
      () => orthanc.start(),
    ]);
    const uploader = new SegUploader({
      outbox,
      dicomWebRoot: orthanc.dicomWebRoot,
      clock,
      store: (entry) =>
        storeSeg(entry.bytes, entry.meta, target(orthanc.dicomWebRoot)).then(() => undefined),
    });
    const seen: OutboxStatus[] = [];
    uploader.subscribe((_, status) => seen.push(status));

    const final = await uploader.whenSettled(
      await uploader.enqueue({ bytes: seg.bytes, meta: metaOf(seg) }),
    );

    expect(final?.state).toBe('stored');
    expect(seen.flatMap((s) => (s.state === 'retrying' ? [s.error.code] : []))).toEqual([
      'pacs-unreachable',
      'pacs-unreachable',
    ]);
    expect(clock.sleeps).toEqual([2000, 4000]);
    expect(await outbox.list()).toEqual([]);
    expect(await countInstances(orthanc.dicomWebRoot, seg.SOPInstanceUID)).toBe(1);
  });

  it('survives 413, 500 and cut connections through a proxy; one instance arrives', async () => {
    proxy = await startFaultProxy(orthanc.url);
    const faultyRoot = `${proxy.url}/dicom-web`;
    const seg = createSeg();
    const outbox = await Outbox.open({ indexedDB: new IDBFactory(), name: 'faults' });
    const modes: FaultMode[] = ['status-500', 'cut-request', 'cut-response', 'pass'];
    proxy.setMode('status-413');
    const clock = scriptedClock(modes.map((mode) => () => proxy!.setMode(mode)));
    const uploader = new SegUploader({
      outbox,
      dicomWebRoot: faultyRoot,
      clock,
      store: (entry) => storeSeg(entry.bytes, entry.meta, target(faultyRoot)).then(() => undefined),
    });
    const seen: OutboxStatus[] = [];
    uploader.subscribe((_, status) => seen.push(status));

    const final = await uploader.whenSettled(
      await uploader.enqueue({ bytes: seg.bytes, meta: metaOf(seg) }),
    );

    expect(final?.state).toBe('stored');
    expect(proxy.posts).toEqual([
      'status-413',
      'status-500',
      'cut-request',
      'cut-response',
      'pass',
    ]);
    expect(seen.flatMap((s) => (s.state === 'retrying' ? [s.error.code] : []))).toEqual([
      'pacs-too-large',
      'pacs-server-error',
      'network-interrupted',
      'network-interrupted',
    ]);
    expect(clock.sleeps).toEqual([2000, 4000, 8000, 16000]);
    expect(await outbox.list()).toEqual([]);
    // The cut-response attempt had already reached Orthanc: the resend of the
    // same SOP Instance UID must not make a second instance.
    expect(await countInstances(orthanc.dicomWebRoot, seg.SOPInstanceUID)).toBe(1);
  });
});
