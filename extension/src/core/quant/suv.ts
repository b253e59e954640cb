/**
 * Body-weight SUV scaling from PET headers, with @cornerstonejs/calculate-suv
 * (a small stateless package following the QIBA SUV pseudo-code) doing the
 * decay arithmetic.
 *
 * SUVbw = activity concentration (Bq/mL) × body weight (g) / dose (Bq), with
 * the dose decayed from RadiopharmaceuticalStartTime to the scan start.
 */

import { calculateSUVScalingFactors, type InstanceMetadata } from '@cornerstonejs/calculate-suv';
import type { PetSuvHeaders } from './petHeaders';

/** PatientWeight is in kg; SUVbw wants g. */
const GRAMS_PER_KG = 1000;

/** A header value that is present but cannot be used. */
export interface SuvHeaderProblem {
  /** DICOM keyword at fault, when one can be named. */
  keyword?: string;
  reason: string;
}

/** SUV factors for each image, or why there are none. */
export type SuvScaling =
  | {
      status: 'available';
      /** 'stored': the pixels already are SUVbw (Units GML), factors are 1. */
      source: 'stored' | 'computed';
      /** Multiply a slice's pixel values by its factor to get SUVbw (g/mL). */
      factors: number[];
    }
  | {
      status: 'unavailable';
      /** Unit of the raw pixel values, for reporting them instead. */
      rawUnit: string;
      /** Keywords absent from at least one image. */
      missing: string[];
      invalid: SuvHeaderProblem[];
    };

/** Display unit of SUVbw (DICOM Units GML). */
export const SUV_UNIT = 'g/mL';

const RAW_UNIT_BY_PET_UNITS: Readonly<Record<string, string>> = {
  BQML: 'Bq/mL',
  CNTS: 'counts',
  GML: SUV_UNIT,
};

/** Unit label of PET pixel values with the given (0054,1001) Units. */
export function computePetRawUnit(units: string | undefined): string {
  return (units && RAW_UNIT_BY_PET_UNITS[units]) ?? units ?? 'unknown';
}

const REQUIRED_FOR_BQML: readonly (keyof PetSuvHeaders)[] = [
  'CorrectedImage',
  'DecayCorrection',
  'PatientWeight',
  'RadionuclideTotalDose',
  'RadionuclideHalfLife',
  'SeriesDate',
  'SeriesTime',
  'AcquisitionDate',
  'AcquisitionTime',
];

function isPresent(value: unknown): boolean {
  // DICOM encodes an unknown weight or dose as 0 as often as it leaves it out.
  return value !== undefined && value !== null && value !== '' && value !== 0;
}

function findMissing(headers: ReadonlyArray<PetSuvHeaders>, units: string): string[] {
  const required: string[] = [...REQUIRED_FOR_BQML];
  if (units === 'CNTS') required.push('PhilipsPETPrivateGroup');
  const missing = required.filter((keyword) =>
    headers.some((h) => !isPresent(h[keyword as keyof PetSuvHeaders])),
  );
  const hasStart = headers.every(
    (h) =>
      isPresent(h.RadiopharmaceuticalStartTime) || isPresent(h.RadiopharmaceuticalStartDateTime),
  );
  if (!hasStart) missing.push('RadiopharmaceuticalStartTime');
  return missing;
}

function findInvalid(first: PetSuvHeaders): SuvHeaderProblem[] {
  const problems: SuvHeaderProblem[] = [];
  const corrected = first.CorrectedImage ?? [];
  if (!corrected.includes('ATTN') || !corrected.includes('DECY')) {
    problems.push({
      keyword: 'CorrectedImage',
      reason: 'SUV needs attenuation (ATTN) and decay (DECY) corrected images',
    });
  }
  const decay = first.DecayCorrection;
  if (decay !== 'START' && decay !== 'ADMIN') {
    problems.push({
      keyword: 'DecayCorrection',
      reason: `Decay correction ${decay ?? ''} is not supported (START or ADMIN)`,
    });
  }
  return problems;
}

function toInstanceMetadata(h: PetSuvHeaders): InstanceMetadata {
  // findMissing has checked every required field; the defaults only satisfy
  // the library's non-optional types.
  return {
    CorrectedImage: h.CorrectedImage ?? [],
    Units: h.Units ?? '',
    RadionuclideHalfLife: h.RadionuclideHalfLife ?? NaN,
    RadionuclideTotalDose: h.RadionuclideTotalDose ?? NaN,
    DecayCorrection: h.DecayCorrection ?? '',
    PatientWeight: h.PatientWeight ?? NaN,
    SeriesDate: h.SeriesDate ?? '',
    SeriesTime: h.SeriesTime ?? '',
    AcquisitionDate: h.AcquisitionDate ?? '',
    AcquisitionTime: h.AcquisitionTime ?? '',
    RadiopharmaceuticalStartTime: h.RadiopharmaceuticalStartTime,
    RadiopharmaceuticalStartDateTime: h.RadiopharmaceuticalStartDateTime,
    GEPrivatePostInjectionDateTime: h.GEPrivatePostInjectionDateTime,
    PhilipsPETPrivateGroup: h.PhilipsPETPrivateGroup,
    PatientSize: h.PatientSize,
    PatientSex: h.PatientSex,
  };
}

function computeFactors(headers: ReadonlyArray<PetSuvHeaders>): number[] {
  // calculate-suv 1.1.0 decays the dose to the scan start whatever
  // DecayCorrection says. ADMIN pixels are already decay corrected to the
  // injection, so their dose must not be decayed: SUV = C × W / D.
  if (headers[0]?.DecayCorrection === 'ADMIN' && headers[0]?.Units === 'BQML') {
    return headers.map(
      (h) => ((h.PatientWeight ?? NaN) * GRAMS_PER_KG) / (h.RadionuclideTotalDose ?? NaN),
    );
  }
  return calculateSUVScalingFactors(headers.map(toInstanceMetadata)).map((f) => f.suvbw);
}

/**
 * SUVbw factor per image from the PET headers (one entry per image, series
 * order). Units GML means the pixels already are SUVbw: factors of 1, so SUV is
 * never applied twice. BQML (and Philips CNTS with its private scale factors)
 * is converted. Anything missing or unusable gives `unavailable` with the
 * keywords at fault, so the caller can report raw values instead.
 */
export function computeSuvScaling(headers: ReadonlyArray<PetSuvHeaders>): SuvScaling {
  const first = headers[0];
  const units = first?.Units;
  const rawUnit = computePetRawUnit(units);
  if (!first || units === undefined) {
    return { status: 'unavailable', rawUnit, missing: ['Units'], invalid: [] };
  }
  if (headers.some((h) => h.Units !== units)) {
    const invalid = [{ keyword: 'Units', reason: 'The images disagree on Units' }];
    return { status: 'unavailable', rawUnit, missing: [], invalid };
  }
  if (units === 'GML') {
    return { status: 'available', source: 'stored', factors: headers.map(() => 1) };
  }
  if (units !== 'BQML' && units !== 'CNTS') {
    const invalid = [{ keyword: 'Units', reason: `Units ${units} cannot be converted to SUV` }];
    return { status: 'unavailable', rawUnit, missing: [], invalid };
  }
  const missing = findMissing(headers, units);
  const invalid = missing.length === 0 ? findInvalid(first) : [];
  if (missing.length > 0 || invalid.length > 0) {
    return { status: 'unavailable', rawUnit, missing, invalid };
  }
  try {
    const factors = computeFactors(headers);
    if (factors.some((f) => !Number.isFinite(f) || f <= 0)) {
      throw new RangeError(`SUV factors are not positive: ${factors.join(', ')}`);
    }
    return { status: 'available', source: 'computed', factors };
  } catch (error) {
    // The library throws plain Errors for inconsistent dates and series-level
    // fields; the panel shows the reason next to the raw values.
    const reason = error instanceof Error ? error.message : String(error);
    return { status: 'unavailable', rawUnit, missing: [], invalid: [{ reason }] };
  }
}
