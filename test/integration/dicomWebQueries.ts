/**
 * QIDO-RS look-ups the integration tests use to check what the PACS holds,
 * through DICOMweb only (as the project reaches any PACS).
 */
import { DICOM_JSON_TAGS } from '../../server/src/studies/dicomJsonTags';

/** DICOM JSON keys read here that the server's table does not need. */
const MODALITY = '00080060';
const SERIES_INSTANCE_UID = '0020000E';
const STUDY_INSTANCE_UID = '0020000D';
/** More than any test folder holds, so one page is everything. */
const ALL = 100000;

type DicomJson = Record<string, { Value?: unknown[] } | undefined>;

export async function qido(url: string, headers: Record<string, string> = {}): Promise<DicomJson[]> {
  const response = await fetch(url, { headers: { Accept: 'application/dicom+json', ...headers } });
  if (response.status === 204) return [];
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return (await response.json()) as DicomJson[];
}

function first(item: DicomJson, tag: string): string {
  return String(item[tag]?.Value?.[0] ?? '');
}

/** Instance count per series of a study, as "Modality:count" sorted. */
export async function seriesCounts(dicomWebUrl: string, StudyInstanceUID: string): Promise<string[]> {
  const series = await qido(`${dicomWebUrl}/studies/${StudyInstanceUID}/series`);
  const counts = await Promise.all(
    series.map(async (item) => {
      const uid = first(item, SERIES_INSTANCE_UID);
      const instances = await qido(
        `${dicomWebUrl}/studies/${StudyInstanceUID}/series/${uid}/instances?limit=${ALL}`,
      );
      return `${first(item, MODALITY)}:${instances.length}`;
    }),
  );
  return counts.sort();
}

/** Every SOPInstanceUID the PACS holds. */
export async function allInstanceUIDs(dicomWebUrl: string): Promise<string[]> {
  const items = await qido(`${dicomWebUrl}/instances?limit=${ALL}`);
  return items.map((item) => first(item, DICOM_JSON_TAGS.SOPInstanceUID)).sort();
}

/** StudyInstanceUIDs matching a QIDO query string. */
export async function findStudies(dicomWebUrl: string, query: string): Promise<string[]> {
  const items = await qido(`${dicomWebUrl}/studies?${query}`);
  return items.map((item) => first(item, STUDY_INSTANCE_UID));
}
