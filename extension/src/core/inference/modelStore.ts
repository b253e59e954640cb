/**
 * Where verified model files are kept between page loads. The key is the file's
 * SHA-256 (see `loadModelFile`), so a changed file is a new entry and a cached one
 * never needs re-checking against the network. Injectable: the browser uses
 * IndexedDB (`IdbModelStore`), tests and Node use `MemoryModelStore`.
 */

export interface ModelStore {
  /** The bytes stored under `key`, or undefined. */
  get(key: string): Promise<Uint8Array | undefined>;
  put(key: string, bytes: Uint8Array): Promise<void>;
  delete(key: string): Promise<void>;
  keys(): Promise<string[]>;
}

/** The cache key of a file with this SHA-256. */
export function computeModelStoreKey(sha256: string): string {
  return `sha256-${sha256.toLowerCase()}`;
}

/** A store that lives as long as the object: for tests, Node and private browsing. */
export class MemoryModelStore implements ModelStore {
  private readonly entries = new Map<string, Uint8Array>();

  async get(key: string): Promise<Uint8Array | undefined> {
    return this.entries.get(key);
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    this.entries.set(key, bytes);
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async keys(): Promise<string[]> {
    return [...this.entries.keys()];
  }
}
