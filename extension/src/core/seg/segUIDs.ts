/**
 * DICOM UIDs the SEG core writes and recognises, named once so that no bare UID
 * literal appears in logic (PS3.6 Annex A lists them).
 */

/** Segmentation Storage: the classic BINARY / FRACTIONAL SEG. */
export const SEGMENTATION_STORAGE = '1.2.840.10008.5.1.4.1.1.66.4';

/** Label Map Segmentation Storage (Supplement 243): one label value per pixel. */
export const LABEL_MAP_SEGMENTATION_STORAGE = '1.2.840.10008.5.1.4.1.1.66.7';

/** Transfer syntaxes the reader meets; the writer always uses Explicit VR LE. */
export const TransferSyntax = {
  ImplicitVRLittleEndian: '1.2.840.10008.1.2',
  ExplicitVRLittleEndian: '1.2.840.10008.1.2.1',
  /** The whole data set after the file meta is deflated; dcmjs inflates it. */
  DeflatedExplicitVRLittleEndian: '1.2.840.10008.1.2.1.99',
  /** Retired, but still found in test data (pydicom-data liver_expb.dcm). */
  ExplicitVRBigEndian: '1.2.840.10008.1.2.2',
  RLELossless: '1.2.840.10008.1.2.5',
  /** Supplement 244: each frame is a raw deflate stream in its own fragment. */
  DeflatedImageFrameCompression: '1.2.840.10008.1.2.8.1',
} as const;

export type TransferSyntaxUID = (typeof TransferSyntax)[keyof typeof TransferSyntax];

/**
 * Implementation Class UID of this writer, in the 2.25 (UUID) arc so that no
 * registered root is needed; fixed so that files can be traced to this code.
 */
export const IMPLEMENTATION_CLASS_UID = '2.25.210202970254589592883460105341592183330';

/** Implementation Version Name (SH, at most 16 characters). */
export const IMPLEMENTATION_VERSION_NAME = 'MEDSAM_OHIF_0_1';
