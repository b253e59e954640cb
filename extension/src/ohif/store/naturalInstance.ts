/**
 * Reads the DICOM attributes a SEG needs from a source instance as the viewer
 * holds it: OHIF's naturalized metadata (DICOM keywords as keys, the shape
 * dcmjs's `naturalizeDataset` gives: person names as `[{ Alphabetic }]`,
 * multi-valued numbers as arrays, absent values as null). Pure: no viewer
 * import, so it runs under jest on datasets read from files.
 */
import type { SourceImage, Vec3 } from '../../core/dicom/seriesGeometry';
import type { SegSourceHeader } from '../../core/seg/segTypes';
import { SegSaveError } from './segSaveError';

/** A naturalized DICOM instance: keyword to value. */
export type NaturalInstance = Readonly<Record<string, unknown>>;

/** Header attributes of VR PN. */
const PERSON_NAME_KEYS = ['PatientName', 'ReferringPhysicianName'] as const;

/** Header attributes copied as text, when present. */
const TEXT_KEYS = [
  'PatientID',
  'IssuerOfPatientID',
  'PatientBirthDate',
  'PatientSex',
  'PatientAge',
  'StudyDate',
  'StudyTime',
  'StudyID',
  'AccessionNumber',
  'StudyDescription',
  'ClinicalTrialSponsorName',
  'ClinicalTrialProtocolID',
  'ClinicalTrialProtocolName',
  'ClinicalTrialSiteID',
  'ClinicalTrialSiteName',
  'ClinicalTrialSubjectID',
  'ClinicalTrialSubjectReadingID',
  'ClinicalTrialTimePointID',
] as const;

/** Header attributes copied as numbers, when present. */
const NUMBER_KEYS = [
  'PatientWeight',
  'PatientSize',
  'SliceThickness',
  'SpacingBetweenSlices',
] as const;

function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

/** A finite number from a number or a decimal string (DS/IS), else undefined. */
export function readNumber(instance: NaturalInstance, keyword: string): number | undefined {
  const value = first(instance[keyword]);
  const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof parsed === 'number' && Number.isFinite(parsed) ? parsed : undefined;
}

/** Text, or undefined for absent, null or non-text values. */
export function readText(instance: NaturalInstance, keyword: string): string | undefined {
  const value = first(instance[keyword]);
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' ? value : undefined;
}

/**
 * A person name in DICOM PN form (`Family^Given`), from a string or the
 * `{ Alphabetic }` object of DICOM JSON; the alphabetic group only, which is
 * what every PACS indexes.
 */
export function readPersonName(instance: NaturalInstance, keyword: string): string | undefined {
  const value = first(instance[keyword]);
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'Alphabetic' in value) {
    const alphabetic = (value as { Alphabetic?: unknown }).Alphabetic;
    return typeof alphabetic === 'string' ? alphabetic : undefined;
  }
  return undefined;
}

function requireNumbers(instance: NaturalInstance, keyword: string, count: number): number[] {
  const raw = instance[keyword];
  const values = (Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split('\\') : [raw]).map(
    (v) => (typeof v === 'string' ? Number(v) : v),
  );
  if (values.length !== count || values.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
    throw new SegSaveError(
      'save-missing-metadata',
      `${keyword} of image ${readText(instance, 'SOPInstanceUID') ?? '?'} is not ${count} numbers`,
    );
  }
  return values as number[];
}

/** A UID or other text the SEG cannot do without. */
export function requireText(instance: NaturalInstance, keyword: string): string {
  const value = readText(instance, keyword);
  if (!value) {
    const uid = readText(instance, 'SOPInstanceUID') ?? '?';
    throw new SegSaveError('save-missing-metadata', `Image ${uid} has no ${keyword}`);
  }
  return value;
}

/**
 * The plane and identifiers of one source image.
 *
 * @throws SegSaveError `save-missing-metadata` when one is absent or malformed.
 */
export function readSourceImage(instance: NaturalInstance): SourceImage {
  const [rows] = requireNumbers(instance, 'Rows', 1);
  const [columns] = requireNumbers(instance, 'Columns', 1);
  const position = requireNumbers(instance, 'ImagePositionPatient', 3);
  const orientation = requireNumbers(instance, 'ImageOrientationPatient', 6);
  const spacing = requireNumbers(instance, 'PixelSpacing', 2);
  return {
    Rows: rows!,
    Columns: columns!,
    ImagePositionPatient: position as Vec3,
    ImageOrientationPatient: orientation as SourceImage['ImageOrientationPatient'],
    PixelSpacing: spacing as [number, number],
    SOPClassUID: requireText(instance, 'SOPClassUID'),
    SOPInstanceUID: requireText(instance, 'SOPInstanceUID'),
  };
}

/** Patient, study and trial attributes of the source, for the SEG's header. */
export function readSegSourceHeader(instance: NaturalInstance): SegSourceHeader {
  const header: Record<string, string | number> = {};
  for (const key of PERSON_NAME_KEYS) {
    const value = readPersonName(instance, key);
    if (value !== undefined) header[key] = value;
  }
  for (const key of TEXT_KEYS) {
    const value = readText(instance, key);
    if (value !== undefined) header[key] = value;
  }
  for (const key of NUMBER_KEYS) {
    const value = readNumber(instance, key);
    if (value !== undefined) header[key] = value;
  }
  return header as SegSourceHeader;
}
