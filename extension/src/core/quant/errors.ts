/**
 * Errors of the quantification core. Each carries a stable `code` that doubles
 * as the i18n key of the message the panel shows, so the host adapter never
 * parses English text.
 */

export type QuantErrorCode =
  /** The images of a series disagree on size, spacing or orientation. */
  | 'quant.geometryInconsistent'
  /** Two images share a position, or the images are not sorted along the normal. */
  | 'quant.slicesNotSorted'
  /** One slice and neither SliceThickness nor SpacingBetweenSlices is known. */
  | 'quant.sliceSpacingUnknown'
  /** A mask or pixel array does not match the series it claims to belong to. */
  | 'quant.shapeMismatch';

/** Thrown by the quantification core when its input cannot be measured. */
export class QuantError extends Error {
  override readonly name = 'QuantError';

  constructor(
    readonly code: QuantErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
