/**
 * What the PACS holds, asked the way any DICOMweb client asks (QIDO-RS and
 * WADO-RS with dicomweb-client), straight to Orthanc, not through the viewer.
 * Also the viewer's outbox as the page's IndexedDB holds it.
 */
import { api } from 'dicomweb-client';
import type { Page } from 'playwright-core';
import { DEFAULT_OUTBOX_DB } from '../../../extension/src/core/seg/outbox';
import { createNodeXMLHttpRequest } from '../../support/nodeXMLHttpRequest';

/** DICOM JSON tags of SOPInstanceUID and SeriesInstanceUID. */
const SOP_INSTANCE_UID_TAG = '00080018';
const SERIES_INSTANCE_UID_TAG = '0020000E';

export interface FoundInstance {
  SOPInstanceUID: string;
  SeriesInstanceUID: string;
}

function client(dicomWebUrl: string): api.DICOMwebClient {
  return new api.DICOMwebClient({ url: dicomWebUrl, verbose: false, singlepart: false });
}

/** The SEG instances of a study (QIDO-RS). */
export async function searchSegInstances(
  dicomWebUrl: string,
  StudyInstanceUID: string,
): Promise<FoundInstance[]> {
  const options = {
    studyInstanceUID: StudyInstanceUID,
    queryParams: { Modality: 'SEG' },
    request: { instance: createNodeXMLHttpRequest() },
  };
  const found = (await client(dicomWebUrl).searchForInstances(options)) as Array<
    Record<string, { Value?: unknown[] } | undefined>
  >;
  return found.map((item) => ({
    SOPInstanceUID: String(item[SOP_INSTANCE_UID_TAG]?.Value?.[0] ?? ''),
    SeriesInstanceUID: String(item[SERIES_INSTANCE_UID_TAG]?.Value?.[0] ?? ''),
  }));
}

/** One instance as a Part 10 file (WADO-RS). */
export async function retrieveInstance(
  dicomWebUrl: string,
  uids: { StudyInstanceUID: string; SeriesInstanceUID: string; SOPInstanceUID: string },
): Promise<ArrayBuffer> {
  const options = {
    studyInstanceUID: uids.StudyInstanceUID,
    seriesInstanceUID: uids.SeriesInstanceUID,
    sopInstanceUID: uids.SOPInstanceUID,
    request: { instance: createNodeXMLHttpRequest() },
  };
  return (await client(dicomWebUrl).retrieveInstance(options as never)) as ArrayBuffer;
}

/** The outbox entries the page's IndexedDB holds: id, state and attempts. */
export async function readOutbox(
  page: Page,
): Promise<Array<{ id: string; state: string; attempts: number; SeriesInstanceUID: string }>> {
  return page.evaluate(async (name) => {
    // Opening a database that does not exist would create it empty, version 1,
    // and the outbox would then never get its object store.
    if (!(await indexedDB.databases()).some((db) => db.name === name)) return [];
    return new Promise((resolve, reject) => {
      const open = indexedDB.open(name);
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains('entries')) return resolve([]);
        const all = db.transaction('entries').objectStore('entries').getAll();
        all.onsuccess = () =>
          resolve(
            (
              all.result as Array<{
                id: string;
                attempts: number;
                status: { state: string };
                meta: { SeriesInstanceUID: string };
              }>
            ).map((e) => ({
              id: e.id,
              state: e.status.state,
              attempts: e.attempts,
              SeriesInstanceUID: e.meta.SeriesInstanceUID,
            })),
          );
        all.onerror = () => reject(all.error);
      };
    });
  }, DEFAULT_OUTBOX_DB);
}
