/**
 * The coded concepts our SEGs carry, in one place. SNOMED CT (scheme SCT) for
 * what a segment is, DICOM (scheme DCM) for how frames were derived. The
 * retired SRT designator is never written (OHIF's T-D0050 is the counter-example).
 * Sources: PS3.16 CID 7150 (property categories), CID 7159 (lesion segmentation
 * types), CID 7202/7203 (purpose of reference, derivation), CID 7162 (algorithm
 * families).
 */

/** One code, with the three attributes of the Basic Code Sequence Macro. */
export interface CodedConcept {
  CodeValue: string;
  CodingSchemeDesignator: string;
  CodeMeaning: string;
}

function sct(CodeValue: string, CodeMeaning: string): CodedConcept {
  return { CodeValue, CodingSchemeDesignator: 'SCT', CodeMeaning };
}

function dcm(CodeValue: string, CodeMeaning: string): CodedConcept {
  return { CodeValue, CodingSchemeDesignator: 'DCM', CodeMeaning };
}

/** Segmented Property Category values (CID 7150). */
export const SegmentCategory = {
  MorphologicallyAbnormalStructure: sct('49755003', 'Morphologically abnormal structure'),
  AnatomicalStructure: sct('91723000', 'Anatomical structure'),
  Tissue: sct('85756007', 'Tissue'),
} as const;

/** Segmented Property Type values for lesions (CID 7159). */
export const SegmentType = {
  Neoplasm: sct('108369006', 'Neoplasm'),
  Mass: sct('4147007', 'Mass'),
  Lesion: sct('52988006', 'Lesion'),
} as const;

/** Derivation Code of every SEG frame (CID 7203). */
export const DERIVATION_SEGMENTATION = dcm('113076', 'Segmentation');

/** Purpose of Reference of each source image (CID 7202). */
export const PURPOSE_SOURCE_IMAGE = dcm('121322', 'Source image for image processing operation');

/** Algorithm Family of a learned model (CID 7162). */
export const ALGORITHM_FAMILY_AI = dcm('123110', 'Artificial Intelligence');

/** True when two codes denote the same concept (meanings may be worded differently). */
export function isSameCode(a: CodedConcept, b: CodedConcept): boolean {
  return a.CodeValue === b.CodeValue && a.CodingSchemeDesignator === b.CodingSchemeDesignator;
}
