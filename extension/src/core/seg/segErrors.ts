/**
 * Errors of the SEG core. Each carries a stable `code` that doubles as the i18n
 * key of the message a panel shows; `message` is for logs and developers.
 */

/** Why a SEG could not be read. */
export type SegReadErrorCode =
  | 'seg-invalid-dicom'
  | 'seg-not-segmentation'
  | 'seg-unsupported-transfer-syntax'
  | 'seg-unsupported-segmentation-type'
  | 'seg-missing-attribute'
  | 'seg-missing-per-frame-groups'
  | 'seg-pixel-data-missing'
  | 'seg-pixel-data-short'
  | 'seg-invalid-rle'
  | 'seg-invalid-deflate'
  | 'seg-fragment-count'
  | 'seg-geometry-mismatch';

/** Thrown by the reader when a file is not a SEG it can decode. */
export class SegReadError extends Error {
  override readonly name = 'SegReadError';

  constructor(
    readonly code: SegReadErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Why a SEG could not be written. */
export type SegWriteErrorCode =
  | 'seg-empty'
  | 'seg-no-segments'
  | 'seg-mask-size'
  | 'seg-inconsistent-source'
  | 'seg-overlap-in-labelmap'
  | 'seg-too-many-segments';

/** Thrown by the writer when its input cannot make a valid SEG. */
export class SegWriteError extends Error {
  override readonly name = 'SegWriteError';

  constructor(
    readonly code: SegWriteErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
