/**
 * The one error type the inference engine throws on purpose. Its `code` is stable:
 * callers branch on it, and the host uses it as the i18n key of the user's message
 * (prefixed `inference.`), so never change a code's meaning.
 */

/**
 * - `no-backend`: neither WebGPU nor WASM could run a session.
 * - `bad-config`: a configuration value is unusable (for example a relative WASM URL).
 * - `fetch-failed`: a model file could not be downloaded.
 * - `checksum-mismatch`: a model file's SHA-256 differs from the manifest's.
 * - `model-io`: a model lacks an input or output the manifest names, or gives the
 *   wrong shape.
 * - `cancelled`: a newer request or the caller's AbortSignal made this one stale.
 * - `not-loaded`: a segmentation was asked for before a model was loaded.
 */
export type InferenceErrorCode =
  | 'no-backend'
  | 'bad-config'
  | 'fetch-failed'
  | 'checksum-mismatch'
  | 'model-io'
  | 'cancelled'
  | 'not-loaded';

export class InferenceError extends Error {
  override readonly name = 'InferenceError';

  constructor(
    readonly code: InferenceErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True when `error` says the work was dropped as stale, which callers ignore. */
export function isCancelled(error: unknown): boolean {
  return error instanceof InferenceError && error.code === 'cancelled';
}

/**
 * Throws `cancelled` when the signal has fired. Called between the expensive steps
 * (encoder, decoder, slices), because a model run itself cannot be interrupted.
 * @throws {InferenceError} code `cancelled`
 */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) {
    throw new InferenceError('cancelled', `${what} was cancelled by a newer request`, {
      cause: signal.reason,
    });
  }
}
