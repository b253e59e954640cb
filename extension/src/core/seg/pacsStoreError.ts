/**
 * Why a STOW-RS store did not confirm. The codes are i18n keys for the panel.
 */

/**
 * - `pacs-unreachable`: no connection (PACS down, refused, DNS, CORS, timeout
 *   before any answer).
 * - `network-interrupted`: the PACS answers, but this request broke off midway.
 * - `pacs-too-large`: HTTP 413, usually a proxy's body limit.
 * - `pacs-server-error`: HTTP 5xx, 408 or 429: the server may recover.
 * - `pacs-refused`: the PACS rejected the instance (4xx, or a FailedSOPSequence
 *   in its response); sending it again unchanged will not help.
 */
export type PacsStoreErrorCode =
  | 'pacs-unreachable'
  | 'network-interrupted'
  | 'pacs-too-large'
  | 'pacs-server-error'
  | 'pacs-refused';

const RETRYABLE = new Set<PacsStoreErrorCode>([
  'pacs-unreachable',
  'network-interrupted',
  'pacs-too-large',
  'pacs-server-error',
]);

/** A failed store, with the HTTP status when there was one. */
export class PacsStoreError extends Error {
  override readonly name = 'PacsStoreError';

  constructor(
    readonly code: PacsStoreErrorCode,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** Whether sending the same bytes later may succeed. */
  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }
}

/** HTTP status of a request that got no answer (XMLHttpRequest convention). */
export const NO_RESPONSE_STATUS = 0;

/** The code for an HTTP status other than success. */
export function classifyHttpStatus(status: number): PacsStoreErrorCode {
  if (status === 413) return 'pacs-too-large';
  // 408 Request Timeout and 429 Too Many Requests are transient like 5xx.
  if (status >= 500 || status === 408 || status === 429) return 'pacs-server-error';
  return 'pacs-refused';
}
