/**
 * Model files: from the store when a verified copy is there (no network at all),
 * otherwise fetched with progress, checked against the manifest's SHA-256 and only
 * then stored. A file whose hash differs is refused: a truncated download or a
 * swapped file must never reach the runtime, and its bytes are never cached.
 */
import { InferenceError } from './inferenceError';
import type { ModelFile } from './modelManifest';
import { computeModelStoreKey, type ModelStore } from './modelStore';

/** One progress report; `loadedBytes === totalBytes` at the end of each file. */
export interface ModelFileProgress {
  /** The file's path as the manifest gives it. */
  file: string;
  loadedBytes: number;
  totalBytes: number;
  fromCache: boolean;
}

export type FetchLike = (url: string, init?: { signal?: AbortSignal }) => Promise<Response>;

export interface LoadModelFileOptions {
  /** URL the manifest was read from: relative file paths resolve against it. */
  manifestUrl: string;
  store: ModelStore;
  /** The scope's `fetch` by default; tests pass a counting one. */
  fetch?: FetchLike;
  onProgress?: (progress: ModelFileProgress) => void;
  signal?: AbortSignal;
  /** Told when a verified file could not be stored (quota); it is used anyway. */
  onStoreError?: (message: string, cause: unknown) => void;
}

const HEX_DIGITS = 16;
const HEX_WIDTH = 2;

/** Lower-case hex SHA-256 with the platform's Web Crypto (browser, worker, Node 20). */
export async function computeSha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes);
  return Array.from(new Uint8Array(digest), (b) =>
    b.toString(HEX_DIGITS).padStart(HEX_WIDTH, '0'),
  ).join('');
}

/** Absolute URL of a manifest file entry. */
export function resolveModelFileUrl(file: ModelFile, manifestUrl: string): string {
  return new URL(file.path, manifestUrl).href;
}

async function readWithProgress(
  response: Response,
  file: ModelFile,
  report: (loaded: number) => void,
): Promise<Uint8Array<ArrayBuffer>> {
  if (!response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    report(bytes.length);
    return bytes;
  }
  const reader = response.body.getReader();
  let buffer = new Uint8Array(file.size);
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (loaded + value.length > buffer.length) {
      // longer than the manifest says: keep it all, the hash check will refuse it
      const grown = new Uint8Array(Math.max(buffer.length * 2, loaded + value.length));
      grown.set(buffer.subarray(0, loaded));
      buffer = grown;
    }
    buffer.set(value, loaded);
    loaded += value.length;
    report(loaded);
  }
  return buffer.subarray(0, loaded);
}

async function download(
  file: ModelFile,
  options: LoadModelFileOptions,
): Promise<Uint8Array<ArrayBuffer>> {
  const url = resolveModelFileUrl(file, options.manifestUrl);
  const fetchFile = options.fetch ?? ((u, init) => globalThis.fetch(u, init));
  let response: Response;
  try {
    response = await fetchFile(url, { signal: options.signal });
  } catch (error) {
    if (options.signal?.aborted) {
      throw new InferenceError('cancelled', `download of ${file.path} was cancelled`, {
        cause: error,
      });
    }
    throw new InferenceError(
      'fetch-failed',
      `Model file ${file.path} could not be fetched from ${url}`,
      {
        cause: error,
      },
    );
  }
  if (!response.ok) {
    throw new InferenceError(
      'fetch-failed',
      `Model file ${file.path} could not be fetched from ${url}: HTTP ${response.status}`,
    );
  }
  return readWithProgress(response, file, (loaded) =>
    options.onProgress?.({
      file: file.path,
      loadedBytes: loaded,
      totalBytes: file.size,
      fromCache: false,
    }),
  );
}

/**
 * The verified bytes of one model file.
 * @throws {InferenceError} code `checksum-mismatch` naming the file and both hashes;
 *   `fetch-failed` on a network or HTTP error; `cancelled` when the signal fires
 */
export async function loadModelFile(
  file: ModelFile,
  options: LoadModelFileOptions,
): Promise<Uint8Array> {
  const expected = file.sha256.toLowerCase();
  const key = computeModelStoreKey(expected);
  const cached = await options.store.get(key);
  if (cached && cached.length === file.size) {
    options.onProgress?.({
      file: file.path,
      loadedBytes: cached.length,
      totalBytes: file.size,
      fromCache: true,
    });
    return cached;
  }
  const bytes = await download(file, options);
  const actual = await computeSha256Hex(bytes);
  if (actual !== expected) {
    throw new InferenceError(
      'checksum-mismatch',
      `Model file ${file.path} is refused: its SHA-256 is ${actual} (${bytes.length} bytes) ` +
        `but the manifest expects ${expected} (${file.size} bytes)`,
    );
  }
  try {
    await options.store.put(key, bytes);
  } catch (error) {
    if (!options.onStoreError) throw error;
    options.onStoreError(
      `Model file ${file.path} could not be cached; it will be downloaded again`,
      error,
    );
  }
  return bytes;
}
