/**
 * Types shared by the SEG writer and reader. Masks are plain typed arrays, one
 * per source image, row-major, `Rows * Columns` long, non-zero = inside.
 */
import type { RGB } from './cielab';
import type { CodedConcept } from './segCodes';

/** Segment Algorithm Type (0062,0008). */
export type SegmentAlgorithmType = 'AUTOMATIC' | 'SEMIAUTOMATIC' | 'MANUAL';

/** Segmentation Type (0062,0001). */
export type SegmentationType = 'BINARY' | 'FRACTIONAL' | 'LABELMAP';

/** Segmentation Fractional Type (0062,0010). */
export type SegmentationFractionalType = 'PROBABILITY' | 'OCCUPANCY';

/**
 * Which SOP class and Segmentation Type the writer produces: 'binary' and
 * 'fractional' are Segmentation Storage with SegmentationType BINARY (1 bit per
 * pixel) or FRACTIONAL (8 bits, pseudo-binary: 0 or MaximumFractionalValue 255,
 * for OHIF 3.13, see computeViewerSegStorage.ts); 'labelmap' is Label Map
 * Segmentation Storage.
 */
export type SegStorage = 'binary' | 'fractional' | 'labelmap';

/** The model that produced a segment. */
export interface SegmentAlgorithm {
  /** Written to SegmentAlgorithmName and AlgorithmName (LO, 64 characters). */
  name: string;
  /** AlgorithmVersion (LO), e.g. the model manifest's version. */
  version: string;
  /**
   * Lower-case hex SHA-256 of the model file(s). Written to AlgorithmParameters
   * (LT) of the SegmentationAlgorithmIdentificationSequence as `sha256=<hex>`.
   */
  modelSha256?: string;
}

/** What a segment is and how it was made. */
export interface SegmentDescription {
  /** SegmentLabel (LO, 64 characters). */
  label: string;
  /** SegmentedPropertyCategoryCodeSequence, from `SegmentCategory`. */
  category: CodedConcept;
  /** SegmentedPropertyTypeCodeSequence, e.g. SegmentType.Neoplasm. */
  type: CodedConcept;
  /** Display colour, sRGB 0..255; stored as RecommendedDisplayCIELabValue. */
  rgb?: RGB;
  algorithmType: SegmentAlgorithmType;
  /** Required unless `algorithmType` is MANUAL. */
  algorithm?: SegmentAlgorithm;
  /** Free text, SegmentDescription (ST). */
  description?: string;
  /** TrackingID (UT) and TrackingUID, to follow a lesion across time points. */
  trackingID?: string;
  trackingUID?: string;
}

/** One segment to write: its description plus one mask per source image. */
export interface SegmentInput extends SegmentDescription {
  /** Index = index of the source image in `SeriesGeometry.images`; absent = empty. */
  masks: ReadonlyArray<Uint8Array | null | undefined>;
}

/**
 * Patient, study and acquisition attributes copied from the source series (its
 * first instance). Only the keys listed here are copied.
 */
export interface SegSourceHeader {
  PatientName?: string;
  PatientID?: string;
  IssuerOfPatientID?: string;
  PatientBirthDate?: string;
  PatientSex?: string;
  PatientAge?: string;
  PatientWeight?: number;
  PatientSize?: number;
  StudyDate?: string;
  StudyTime?: string;
  StudyID?: string;
  AccessionNumber?: string;
  ReferringPhysicianName?: string;
  StudyDescription?: string;
  ClinicalTrialSponsorName?: string;
  ClinicalTrialProtocolID?: string;
  ClinicalTrialProtocolName?: string;
  ClinicalTrialSiteID?: string;
  ClinicalTrialSiteName?: string;
  ClinicalTrialSubjectID?: string;
  ClinicalTrialSubjectReadingID?: string;
  ClinicalTrialTimePointID?: string;
  /** SliceThickness of the source images, mm; copied into Pixel Measures. */
  SliceThickness?: number;
  /** SpacingBetweenSlices of the source images, mm, only when they state it. */
  SpacingBetweenSlices?: number;
}

/** Our software, for the (Enhanced) General Equipment modules. */
export interface SegEquipment {
  Manufacturer: string;
  ManufacturerModelName: string;
  SoftwareVersions: string;
  DeviceSerialNumber: string;
}
