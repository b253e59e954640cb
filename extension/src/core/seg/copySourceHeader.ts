/**
 * Copies the patient, study and clinical-trial attributes of the source into the
 * SEG, so that the PACS files it under the same patient and study.
 */
import type { NaturalDataset } from './dicomCodec';
import type { SegSourceHeader } from './segTypes';

/** Type 2 attributes (present, possibly empty) of the Patient and Study modules. */
const TYPE2_KEYS = [
  'PatientName',
  'PatientID',
  'PatientBirthDate',
  'PatientSex',
  'StudyDate',
  'StudyTime',
  'ReferringPhysicianName',
  'StudyID',
  'AccessionNumber',
] as const;

/** Optional attributes, copied only when the source has them. */
const OPTIONAL_KEYS = [
  'IssuerOfPatientID',
  'PatientAge',
  'PatientWeight',
  'PatientSize',
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

type HeaderKey = (typeof TYPE2_KEYS)[number] | (typeof OPTIONAL_KEYS)[number];

/** Longest value per key, from the VR of each (PS3.5 Table 6.2-1). */
const MAX_LENGTH: Partial<Record<HeaderKey, number>> = {
  StudyID: 16, // SH
  AccessionNumber: 16, // SH
  PatientSex: 16, // CS
  PatientAge: 4, // AS
  PatientID: 64, // LO
  IssuerOfPatientID: 64, // LO
  StudyDescription: 64, // LO
  ClinicalTrialSponsorName: 64, // LO
  ClinicalTrialProtocolID: 64, // LO
  ClinicalTrialProtocolName: 64, // LO
  ClinicalTrialSiteID: 64, // LO
  ClinicalTrialSiteName: 64, // LO
  ClinicalTrialSubjectID: 64, // LO
  ClinicalTrialSubjectReadingID: 64, // LO
  ClinicalTrialTimePointID: 64, // LO
};

function fit(key: HeaderKey, value: string | number): string | number {
  const max = MAX_LENGTH[key];
  // Some sources break their VR (ct-sarcoma's StudyID has 17+ characters). The
  // study is identified by StudyInstanceUID, so a clipped copy of such a value
  // loses nothing, while a verbatim copy would make our SEG invalid.
  return typeof value === 'string' && max !== undefined && value.length > max
    ? value.slice(0, max).trimEnd()
    : value;
}

/** The header attributes as naturalised data set entries. */
export function copySourceHeader(header: SegSourceHeader): NaturalDataset {
  const copied: NaturalDataset = {};
  for (const key of TYPE2_KEYS) copied[key] = fit(key, header[key] ?? '');
  for (const key of OPTIONAL_KEYS) {
    const value = header[key];
    if (value !== undefined) copied[key] = fit(key, value);
  }
  return copied;
}
