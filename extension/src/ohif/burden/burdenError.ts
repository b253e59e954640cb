/**
 * Why the panel could not measure a segmentation. The code is the i18n key of
 * the message (under `burden.errors`), like the core's QuantError codes.
 */
import { QuantError } from '../../core/quant';
import type { Message } from '../medsamState';

export type BurdenErrorCode =
  /** The viewer has no image plane (position, orientation, spacing) for a source image. */
  | 'source.noImagePlane'
  /** A source image could not be loaded. */
  | 'source.imageLoadFailed';

export class BurdenError extends Error {
  override readonly name = 'BurdenError';

  constructor(
    readonly code: BurdenErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The translated message for a failure while measuring one segmentation. */
export function describeBurdenFailure(error: unknown): Message {
  const detail = error instanceof Error ? error.message : String(error);
  if (error instanceof BurdenError || error instanceof QuantError) {
    return { key: `burden.errors.${error.code}`, values: { detail } };
  }
  return { key: 'burden.errors.unexpected', values: { detail } };
}
