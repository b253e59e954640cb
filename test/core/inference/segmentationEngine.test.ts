/**
 * The engine with the committed test model in onnxruntime-node. The test model's
 * known behaviour (models/toolchain/test_model.py): a low-resolution logit is
 * positive where its 4 x 4 patch of the model input is brighter than 0.5 and its
 * centre lies inside the model-space box. So a box around a bright object on an
 * image whose pixels map to whole patches must give back exactly that object.
 *
 * @jest-environment ./test/support/onnxNodeEnvironment.cjs
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { Box } from '../../../extension/src/core/inference/boxTransform';
import { isCancelled } from '../../../extension/src/core/inference/inferenceError';
import type { ModelManifest } from '../../../extension/src/core/inference/modelManifest';
import { ModelSessions } from '../../../extension/src/core/inference/modelSessions';
import { DEFAULT_FUSION } from '../../../extension/src/core/inference/outline/fuseWithAppearance';
import { propagateVolume } from '../../../extension/src/core/inference/propagateVolume';
import { SegmentationEngine } from '../../../extension/src/core/inference/segmentationEngine';
import {
  createArrayVolume,
  type SliceImage,
} from '../../../extension/src/core/inference/volumeAccessor';

const MODEL_DIR = path.resolve(__dirname, '../../../models/test-model');
const manifest = JSON.parse(
  readFileSync(path.join(MODEL_DIR, 'manifest.json'), 'utf8'),
) as ModelManifest;
const MAPPING = { low: 0, high: 1000, zeroStaysZero: false };
const BRIGHT = 1000;

async function createEngine(withManifest: ModelManifest = manifest): Promise<SegmentationEngine> {
  const bytes = {
    encoder: new Uint8Array(readFileSync(path.join(MODEL_DIR, manifest.files.encoder.path))),
    decoder: new Uint8Array(readFileSync(path.join(MODEL_DIR, manifest.files.decoder.path))),
  };
  return new SegmentationEngine(
    await ModelSessions.create(ort, withManifest, bytes, { executionProviders: ['cpu'] }),
  );
}

/** A dark image with a bright rectangle over columns x0..x1 and rows y0..y1 (inclusive). */
function imageWithObject(key: string, width: number, height: number, object: Box): SliceImage {
  const pixels = new Float32Array(width * height);
  for (let y = object[1]; y <= object[3]; y++)
    pixels.fill(BRIGHT, y * width + object[0], y * width + object[2] + 1);
  return { key, width, height, pixels };
}

/** The box [x0, y0, x1, y1] of the set pixels, and their count. */
function describeMask(mask: Uint8Array, width: number): { box: number[]; count: number } {
  let count = 0;
  const box = [Infinity, Infinity, -1, -1];
  mask.forEach((v, i) => {
    if (!v) return;
    count++;
    const x = i % width;
    const y = Math.floor(i / width);
    box[0] = Math.min(box[0] as number, x);
    box[1] = Math.min(box[1] as number, y);
    box[2] = Math.max(box[2] as number, x);
    box[3] = Math.max(box[3] as number, y);
  });
  return { box, count };
}

let engine: SegmentationEngine;
beforeEach(async () => {
  engine = await createEngine();
});
afterEach(() => engine.dispose());

describe('a box around a known object gives that object, on its pixel grid', () => {
  it.each<[string, number, number, Box]>([
    // 64 x 48: each pixel becomes 4 x 4 model pixels, the input padded below
    ['enlarged and padded', 64, 48, [20, 10, 35, 29]],
    // 128 x 128: each 2 x 2 block becomes one 4 x 4 patch (object on even pixels)
    ['shrunk', 128, 128, [40, 22, 71, 61]],
  ])('%s', async (_name, width, height, object) => {
    const image = imageWithObject('img', width, height, object);
    const loose: Box = [object[0] - 6, object[1] - 6, object[2] + 6, object[3] + 6];
    const { mask } = await engine.segmentImage(image, MAPPING, loose);
    const area = (object[2] - object[0] + 1) * (object[3] - object[1] + 1);
    expect(describeMask(mask, width)).toEqual({ box: object, count: area });
  });

  it('cuts the object at the box, as the test model does with box edges', async () => {
    // the model keeps patch centres strictly inside the box edges 4*x0 .. 4*x1, so
    // of a box over pixel columns 25..30 it keeps columns 25..29
    const image = imageWithObject('img', 64, 48, [20, 10, 35, 29]);
    const { mask } = await engine.segmentImage(image, MAPPING, [25, 5, 30, 40]);
    expect(describeMask(mask, 64)).toEqual({ box: [25, 10, 29, 29], count: 5 * 20 });
  });
});

describe('embedding cache and stale requests', () => {
  it('runs the encoder once for two boxes on one image', async () => {
    const encode = jest.spyOn(engine.sessions, 'encode');
    const image = imageWithObject('same', 64, 48, [20, 10, 35, 29]);
    const first = await engine.segmentImage(image, MAPPING, [14, 4, 41, 35]);
    const second = await engine.segmentImage(image, MAPPING, [25, 5, 30, 40]);
    expect(encode).toHaveBeenCalledTimes(1);
    expect([first.embeddingCached, second.embeddingCached]).toEqual([false, true]);
    expect(second.timings.encodeMs).toBe(0);
  });

  it('drops a stale request between encoder and decoder', async () => {
    const decode = jest.spyOn(engine.sessions, 'decode');
    const stale = new AbortController();
    const first = engine.segmentImage(
      imageWithObject('a', 64, 48, [20, 10, 35, 29]),
      MAPPING,
      [14, 4, 41, 35],
      {
        signal: stale.signal,
      },
    );
    // a newer request arrives while the first one is encoding
    const second = engine.segmentImage(
      imageWithObject('b', 64, 48, [5, 5, 9, 9]),
      MAPPING,
      [2, 2, 12, 12],
    );
    stale.abort();
    const [a, b] = await Promise.allSettled([first, second]);
    expect(a.status === 'rejected' && isCancelled(a.reason)).toBe(true);
    expect(b.status).toBe('fulfilled');
    expect(decode).toHaveBeenCalledTimes(1);
    // the first image's encoder run finished and stays useful
    expect(engine.cache.keys().some((k) => k.includes('|a|'))).toBe(true);
  });

  it('refuses a request whose signal has already fired, without running anything', async () => {
    const encode = jest.spyOn(engine.sessions, 'encode');
    const error = await engine
      .segmentImage(imageWithObject('c', 64, 48, [1, 1, 2, 2]), MAPPING, [0, 0, 5, 5], {
        signal: AbortSignal.abort(),
      })
      .catch((e: unknown) => e);
    expect(isCancelled(error)).toBe(true);
    expect(encode).not.toHaveBeenCalled();
  });
});

describe('background encoding of the neighbours', () => {
  const slices = Array.from({ length: 7 }, (_, i) =>
    imageWithObject(`slice-${i}`, 64, 48, [20, 10, 35, 29]),
  );
  const volume = createArrayVolume('series', 'MR', slices, MAPPING);

  it('encodes the neighbours when idle, so the next slice needs no encoder run', async () => {
    await engine.segmentSlice(volume, 3, [14, 4, 41, 35]);
    engine.prefetchNeighbours(volume, 3, 2);
    await engine.whenIdle();
    const keys = engine.cache.keys().map((k) => k.split('|')[1]);
    expect(keys.sort()).toEqual(['slice-1', 'slice-2', 'slice-3', 'slice-4', 'slice-5']);
    const next = await engine.segmentSlice(volume, 4, [14, 4, 41, 35]);
    expect(next.embeddingCached).toBe(true);
  });

  it('lets a user request go before waiting background work', async () => {
    const order: string[] = [];
    const encode = engine.sessions.encode.bind(engine.sessions);
    jest.spyOn(engine.sessions, 'encode').mockImplementation(async (input) => {
      order.push(`encode ${order.length}`);
      return encode(input);
    });
    const decode = engine.sessions.decode.bind(engine.sessions);
    jest.spyOn(engine.sessions, 'decode').mockImplementation(async (...args) => {
      order.push('decode');
      return decode(...args);
    });
    engine.prefetchNeighbours(volume, 3, 3); // six background encodes
    await new Promise((resolve) => setTimeout(resolve, 0));
    await engine.segmentSlice(volume, 0, [14, 4, 41, 35]);
    await engine.whenIdle();
    // prefetch queued slices 4, 2, 5, 1, 6, 0 and started 4; the user's slice 0 was last
    // in line, its encode is promoted: it runs right after 4, then its decode, then
    // the four remaining background encodes
    expect(order).toEqual([
      'encode 0',
      'encode 1',
      'decode',
      'encode 3',
      'encode 4',
      'encode 5',
      'encode 6',
    ]);
  });
});

describe('the intensity window of a volume', () => {
  // -1000 and 1000 HU bracket every window, so each mapping is the window itself
  const slice: SliceImage = { key: 'ct-0', width: 2, height: 1, pixels: Float32Array.of(-1000, 1000) };

  it("is the manifest's CT preset unless the reader chose another", async () => {
    const own = await engine.intensityFor(createArrayVolume('ct', 'CT', [slice]));
    expect(manifest.intensity.CT).toEqual({ kind: 'window', level: 40, width: 400 });
    expect(own).toMatchObject({ low: -160, high: 240 });
    const chosen = await engine.intensityFor({
      ...createArrayVolume('ct-abdomen', 'CT', [slice]),
      intensityPreset: { kind: 'window', level: 60, width: 160 },
    });
    expect(chosen).toMatchObject({ low: -20, high: 140 });
  });

  it('gives the same slice another embedding under another window', async () => {
    const object: Box = [2, 2, 9, 9];
    const image = imageWithObject('same-image', 16, 16, object);
    await engine.segmentImage(image, { low: 0, high: 1000, zeroStaysZero: false }, [0, 0, 15, 15]);
    const again = await engine.segmentImage(image, { low: 0, high: 1000, zeroStaysZero: false }, [0, 0, 15, 15]);
    const other = await engine.segmentImage(image, { low: 0, high: 500, zeroStaysZero: false }, [0, 0, 15, 15]);
    expect(again.embeddingCached).toBe(true);
    expect(other.embeddingCached).toBe(false);
  });
});

describe("the manifest's fusion with the box's appearance", () => {
  // two bright objects in one box: the test model answers both; fusion keeps one
  // component (the larger), so whether it ran shows in the answer
  const width = 64;
  const height = 48;
  const large: Box = [20, 10, 35, 29];
  const small: Box = [40, 12, 43, 15];
  const image = imageWithObject('two', width, height, large);
  for (let y = small[1]; y <= small[3]; y++) (image.pixels as Float32Array).fill(BRIGHT, y * width + small[0], y * width + small[2] + 1);
  const box: Box = [16, 6, 47, 33];
  const largeArea = (large[2] - large[0] + 1) * (large[3] - large[1] + 1);
  const smallArea = (small[2] - small[0] + 1) * (small[3] - small[1] + 1);
  let fusing: SegmentationEngine;

  beforeAll(async () => {
    fusing = await createEngine({ ...manifest, fusion: { ...DEFAULT_FUSION, modalities: ['CT'] } });
  });
  afterAll(() => fusing.dispose());

  it('applies to the modalities it lists, and not when the request says null', async () => {
    const onCt = await fusing.segmentSlice(createArrayVolume('ct', 'CT', [image], MAPPING), 0, box);
    const onMr = await fusing.segmentSlice(createArrayVolume('mr', 'MR', [image], MAPPING), 0, box);
    const plainCt = await fusing.segmentSlice(createArrayVolume('ct', 'CT', [image], MAPPING), 0, box, { fusion: null });
    expect(describeMask(onMr.mask, width).count).toBe(largeArea + smallArea);
    expect(plainCt.mask).toEqual(onMr.mask);
    expect(describeMask(onCt.mask, width)).toEqual({ box: [...large], count: largeArea });
  });

  it("reaches every slice of a propagation on the listed modality, through the volume's modality", async () => {
    const slices = [0, 1, 2].map((k) => ({ ...image, key: `slice-${k}` }));
    const onCt = await propagateVolume(fusing, createArrayVolume('ct3', 'CT', slices, MAPPING), { startIndex: 1, box });
    const onMr = await propagateVolume(fusing, createArrayVolume('mr3', 'MR', slices, MAPPING), { startIndex: 1, box });
    const inSmall = (mask: Uint8Array): number => {
      let n = 0;
      for (let y = small[1]; y <= small[3]; y++) for (let x = small[0]; x <= small[2]; x++) n += mask[y * width + x] as number;
      return n;
    };
    // the start slice as one box gives it; the neighbours' boxes come from the
    // previous mask, whose edge the test model cuts, so they only shrink
    expect([...onCt.masks.keys()].sort()).toEqual([0, 1, 2]);
    expect(describeMask(onCt.masks.get(1) as Uint8Array, width)).toEqual({ box: [...large], count: largeArea });
    for (const mask of onCt.masks.values()) {
      expect(inSmall(mask)).toBe(0);
      expect(describeMask(mask, width).count).toBeGreaterThan(0);
    }
    expect(describeMask(onMr.masks.get(1) as Uint8Array, width).count).toBe(largeArea + smallArea);
    for (const mask of onMr.masks.values()) expect(inSmall(mask)).toBe(smallArea);
  });

  it('is asked for by a request on any modality, and leaves an empty answer empty', async () => {
    const fused = await engine.segmentImage(image, MAPPING, box, { fusion: DEFAULT_FUSION });
    expect(describeMask(fused.mask, width)).toEqual({ box: [...large], count: largeArea });
    const dark = imageWithObject('dark', width, height, [0, 0, -1, -1]);
    const empty = await engine.segmentImage(dark, MAPPING, box, { fusion: DEFAULT_FUSION });
    expect(empty.mask.includes(1)).toBe(false);
  });
});
