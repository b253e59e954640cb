/**
 * Why "Save to PACS" could not build a SEG from what the viewer holds. The
 * codes are i18n keys (`save.errors.<code>`); `message` is for developers.
 * Failures of the SEG writer itself keep their own SegWriteError codes.
 */

/**
 * - `save-no-segmentation`: no MedSAM segmentation in this viewer yet.
 * - `save-unsupported-segmentation`: the segmentation is not held as one
 *   labelmap image per source image (a volume labelmap, say).
 * - `save-missing-metadata`: a source image lacks an attribute the SEG must
 *   reference (position, orientation, UIDs…).
 * - `save-multiframe-source`: the source is a multi-frame instance.
 * - `save-no-model`: no model is selected, so the SEG could not name it.
 */
export type SegSaveErrorCode =
  | 'save-no-segmentation'
  | 'save-unsupported-segmentation'
  | 'save-missing-metadata'
  | 'save-multiframe-source'
  | 'save-no-model';

/** Thrown while a SEG is assembled from the viewer's segmentation. */
export class SegSaveError extends Error {
  override readonly name = 'SegSaveError';

  constructor(
    readonly code: SegSaveErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
