/**
 * The PET header fields SUV needs, read from a naturalized DICOM dataset
 * (dcmjs `naturalizeDataset`, or any object keyed by DICOM keywords).
 */

/** (0054,1001) Units of the stored PET values after rescale. */
export type PetUnits = 'BQML' | 'GML' | 'CNTS' | (string & Record<never, never>);

/** (0054,1102) DecayCorrection: the time the pixels are decay corrected to. */
export type DecayCorrection = 'START' | 'ADMIN' | 'NONE' | (string & Record<never, never>);

/**
 * SUV-relevant attributes of one PET image, all optional because real headers
 * lack some of them; computeSuvScaling reports which are missing.
 * Names follow @cornerstonejs/calculate-suv's InstanceMetadata (DICOM keywords).
 */
export interface PetSuvHeaders {
  Units?: PetUnits;
  /** (0028,0051) e.g. ['DECY', 'ATTN', ...]. */
  CorrectedImage?: string | string[];
  DecayCorrection?: DecayCorrection;
  /** (0010,1030) kg. */
  PatientWeight?: number;
  /** (0010,1020) m. */
  PatientSize?: number;
  PatientSex?: string;
  /** (0018,1074) Bq at RadiopharmaceuticalStartTime. */
  RadionuclideTotalDose?: number;
  /** (0018,1075) s. */
  RadionuclideHalfLife?: number;
  /** (0018,1072) TM. */
  RadiopharmaceuticalStartTime?: string;
  /** (0018,1078) DT. */
  RadiopharmaceuticalStartDateTime?: string;
  SeriesDate?: string;
  SeriesTime?: string;
  AcquisitionDate?: string;
  AcquisitionTime?: string;
  /** GE private (0009,100D) post-injection date time, when the host provides it. */
  GEPrivatePostInjectionDateTime?: string;
  /** Philips private (7053,1000) SUV and (7053,1009) activity concentration scale factors. */
  PhilipsPETPrivateGroup?: {
    SUVScaleFactor: number | undefined;
    ActivityConcentrationScaleFactor: number | undefined;
  };
}

function readString(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (Array.isArray(value) && typeof value[0] === 'string') return readString(value[0]);
  return undefined;
}

function readNumber(value: unknown): number | undefined {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  if (typeof first === 'number') return Number.isFinite(first) ? first : undefined;
  if (typeof first === 'string' && first.trim() !== '') {
    const parsed = Number(first);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

function readStrings(value: unknown): string | string[] | undefined {
  if (Array.isArray(value)) {
    const strings = value.filter((v): v is string => typeof v === 'string');
    return strings.length > 0 ? strings : undefined;
  }
  // dcmjs may keep a multi-valued CS as one backslash-joined string.
  const text = readString(value);
  return text === undefined ? undefined : text.split('\\');
}

function readFirstItem(value: unknown): Record<string, unknown> {
  const item: unknown = Array.isArray(value) ? value[0] : value;
  return typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {};
}

/**
 * Picks the SUV fields out of a naturalized dataset; the radiopharmaceutical
 * ones come from the first item of RadiopharmaceuticalInformationSequence.
 * Absent or unparsable values are left undefined.
 */
export function readPetSuvHeaders(dataset: Readonly<Record<string, unknown>>): PetSuvHeaders {
  const drug = readFirstItem(dataset['RadiopharmaceuticalInformationSequence']);
  const headers: PetSuvHeaders = {
    Units: readString(dataset['Units']),
    CorrectedImage: readStrings(dataset['CorrectedImage']),
    DecayCorrection: readString(dataset['DecayCorrection']),
    PatientWeight: readNumber(dataset['PatientWeight']),
    PatientSize: readNumber(dataset['PatientSize']),
    PatientSex: readString(dataset['PatientSex']),
    RadionuclideTotalDose: readNumber(drug['RadionuclideTotalDose']),
    RadionuclideHalfLife: readNumber(drug['RadionuclideHalfLife']),
    RadiopharmaceuticalStartTime: readString(drug['RadiopharmaceuticalStartTime']),
    RadiopharmaceuticalStartDateTime: readString(drug['RadiopharmaceuticalStartDateTime']),
    SeriesDate: readString(dataset['SeriesDate']),
    SeriesTime: readString(dataset['SeriesTime']),
    AcquisitionDate: readString(dataset['AcquisitionDate']),
    AcquisitionTime: readString(dataset['AcquisitionTime']),
  };
  // Keep only the fields that are present, so callers can spread or compare.
  return Object.fromEntries(
    Object.entries(headers).filter(([, value]) => value !== undefined),
  ) as PetSuvHeaders;
}
