/**
 * The DICOM JSON keys (tags in hex) of the few attributes the study loader reads
 * from QIDO-RS and STOW-RS answers. The one keyword-to-tag table of the server;
 * a test checks it against dcmjs's dictionary.
 */
export const DICOM_JSON_TAGS = {
  SOPInstanceUID: '00080018',
  RetrieveURL: '00081190',
  WarningReason: '00081196',
  FailureReason: '00081197',
  FailedSOPSequence: '00081198',
  ReferencedSOPSequence: '00081199',
  ReferencedSOPInstanceUID: '00081155',
} as const;

export type DicomJsonKeyword = keyof typeof DICOM_JSON_TAGS;

/** One attribute of a DICOM JSON object (PS3.18 F.2). */
export interface DicomJsonAttribute {
  vr: string;
  Value?: unknown[];
}

export type DicomJsonObject = Record<string, DicomJsonAttribute | undefined>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The Value array of an attribute, or [] when it is absent or malformed. */
export function valuesOf(dataset: unknown, keyword: DicomJsonKeyword): unknown[] {
  if (!isRecord(dataset)) return [];
  const attribute = dataset[DICOM_JSON_TAGS[keyword]];
  if (!isRecord(attribute) || !Array.isArray(attribute.Value)) return [];
  return attribute.Value;
}

/** The first value of an attribute as a string, or null. */
export function firstString(dataset: unknown, keyword: DicomJsonKeyword): string | null {
  const first = valuesOf(dataset, keyword)[0];
  if (typeof first === 'string') return first;
  if (typeof first === 'number') return String(first);
  return null;
}
