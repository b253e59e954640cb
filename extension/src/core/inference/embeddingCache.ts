/**
 * Image embeddings kept per image, so that a second box on the same slice costs one
 * decoder run (about 0.2 s) instead of an encoder run (seconds on WASM). Bounded by
 * bytes, least recently used out: a MedSAM embedding is 4 MiB ([1,256,64,64] float32).
 */
import type { EmbeddingTensor } from './decoderFeeds';
import type { IntensityMapping } from './intensity';
import type { InputGeometry } from './preprocess';

/** Default limit: 64 MedSAM embeddings, a scroll through a typical lesion and more. */
export const DEFAULT_EMBEDDING_CACHE_BYTES = 256 * 1024 * 1024;

export interface CachedEmbedding {
  tensors: EmbeddingTensor[];
  geometry: InputGeometry;
}

/**
 * The cache key of one image's embedding: the model, the image and the intensity
 * mapping all change the encoder's input.
 */
export function computeEmbeddingKey(
  modelId: string,
  imageKey: string,
  mapping: IntensityMapping,
): string {
  return `${modelId}|${imageKey}|${mapping.low}:${mapping.high}:${mapping.zeroStaysZero ? 1 : 0}`;
}

/** Bytes held by an embedding's tensors. */
export function computeEmbeddingBytes(entry: CachedEmbedding): number {
  return entry.tensors.reduce((sum, t) => sum + t.data.byteLength, 0);
}

export class EmbeddingCache {
  // a Map iterates in insertion order: re-inserting on use keeps the oldest first
  private readonly entries = new Map<string, { entry: CachedEmbedding; bytes: number }>();
  private totalBytes = 0;

  /** @throws {RangeError} when the limit is not a positive number */
  constructor(readonly maxBytes: number = DEFAULT_EMBEDDING_CACHE_BYTES) {
    if (!(maxBytes > 0)) throw new RangeError(`embedding cache limit ${maxBytes} must be positive`);
  }

  /** The entry, now the most recently used. */
  get(key: string): CachedEmbedding | undefined {
    const found = this.entries.get(key);
    if (!found) return undefined;
    this.entries.delete(key);
    this.entries.set(key, found);
    return found.entry;
  }

  /** Whether the key is cached, without touching its recency (for prefetching). */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /**
   * Stores an entry as the most recently used and evicts the least recently used
   * until the total fits. An entry larger than the whole limit is not kept.
   */
  set(key: string, entry: CachedEmbedding): void {
    this.delete(key);
    const bytes = computeEmbeddingBytes(entry);
    if (bytes > this.maxBytes) return;
    this.entries.set(key, { entry, bytes });
    this.totalBytes += bytes;
    for (const [oldKey, old] of this.entries) {
      if (this.totalBytes <= this.maxBytes) break;
      this.entries.delete(oldKey);
      this.totalBytes -= old.bytes;
    }
  }

  delete(key: string): void {
    const found = this.entries.get(key);
    if (!found) return;
    this.entries.delete(key);
    this.totalBytes -= found.bytes;
  }

  clear(): void {
    this.entries.clear();
    this.totalBytes = 0;
  }

  /** Keys from least to most recently used. */
  keys(): string[] {
    return [...this.entries.keys()];
  }

  get bytes(): number {
    return this.totalBytes;
  }
}
