/**
 * The SEG as a file the user can save, whatever the PACS does: the bytes are
 * kept in the outbox until stored, so this works offline too.
 */

/** MIME type of a DICOM Part 10 file (PS3.18 Table 8.7.3-1). */
export const DICOM_MEDIA_TYPE = 'application/dicom';

/** Longest description part of the file name, characters (the UID is kept whole). */
const MAX_DESCRIPTION_LENGTH = 40;

/**
 * A download for SEG bytes: `{ blob, fileName: "SEG_MedSAM_lesions_2.25.1234.dcm" }`.
 * Use with an object URL and an `<a download>` in the panel.
 */
export function createSegDownload(
  bytes: ArrayBuffer,
  meta: { SOPInstanceUID: string; SeriesDescription?: string },
): { blob: Blob; fileName: string } {
  const description = (meta.SeriesDescription ?? 'segmentation')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^_+|_+$/g, '');
  const stem = (description || 'segmentation').slice(0, MAX_DESCRIPTION_LENGTH);
  return {
    blob: new Blob([bytes], { type: DICOM_MEDIA_TYPE }),
    fileName: `SEG_${stem}_${meta.SOPInstanceUID}.dcm`,
  };
}
