import {
  computeEmbeddingKey,
  EmbeddingCache,
  type CachedEmbedding,
} from '../../../extension/src/core/inference/embeddingCache';

const geometry = {
  imageWidth: 4,
  imageHeight: 4,
  inputSize: 8,
  resize: 'stretch' as const,
  resized: { width: 8, height: 8 },
};

/** An embedding of `floats` float32 values (4 bytes each). */
function embedding(floats: number): CachedEmbedding {
  return { tensors: [{ name: 'e', dims: [floats], data: new Float32Array(floats) }], geometry };
}

describe('EmbeddingCache', () => {
  it('evicts the least recently used entries past the byte limit', () => {
    const cache = new EmbeddingCache(100); // bytes
    cache.set('a', embedding(10)); // 40 bytes
    cache.set('b', embedding(10));
    expect(cache.bytes).toBe(80);
    cache.get('a'); // a is now the most recent: b goes first
    cache.set('c', embedding(10));
    expect(cache.keys()).toEqual(['a', 'c']);
    expect(cache.bytes).toBe(80);
    expect(cache.get('b')).toBeUndefined();
  });

  it('does not refresh recency on has()', () => {
    const cache = new EmbeddingCache(100);
    cache.set('a', embedding(10));
    cache.set('b', embedding(10));
    expect(cache.has('a')).toBe(true);
    cache.set('c', embedding(10));
    expect(cache.keys()).toEqual(['b', 'c']);
  });

  it('replaces an entry under the same key without counting it twice', () => {
    const cache = new EmbeddingCache(100);
    cache.set('a', embedding(10));
    cache.set('a', embedding(20));
    expect(cache.bytes).toBe(80);
    expect(cache.keys()).toEqual(['a']);
  });

  it('keeps nothing larger than the whole limit', () => {
    const cache = new EmbeddingCache(100);
    cache.set('a', embedding(10));
    cache.set('huge', embedding(30)); // 120 bytes
    expect(cache.keys()).toEqual(['a']);
  });

  it('keys by model, image and intensity mapping', () => {
    const ct = { low: -160, high: 240, zeroStaysZero: false };
    const key = computeEmbeddingKey('lite-medsam', '1.2.3', ct);
    expect(computeEmbeddingKey('medsam-vit-b', '1.2.3', ct)).not.toBe(key);
    expect(computeEmbeddingKey('lite-medsam', '1.2.4', ct)).not.toBe(key);
    expect(computeEmbeddingKey('lite-medsam', '1.2.3', { ...ct, high: 200 })).not.toBe(key);
  });

  it('refuses a limit that is not positive', () => {
    expect(() => new EmbeddingCache(0)).toThrow(RangeError);
  });
});
