/**
 * 3D propagation with the committed test model: on a synthetic ball (answer known
 * by construction) and on the shared sarcoma CT, where the expected masks come from
 * the test model's published rule (models/toolchain/test_model.py) evaluated here
 * without ONNX Runtime, walked slice by slice as the contract describes.
 *
 * @jest-environment ./test/support/onnxNodeEnvironment.cjs
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import {
  computeMaskBox,
  expandModelBox,
  mapBoxToModel,
  type Box,
} from '../../../extension/src/core/inference/boxTransform';
import { isCancelled } from '../../../extension/src/core/inference/inferenceError';
import {
  computeIntensityMapping,
  presetForModality,
  type IntensityMapping,
} from '../../../extension/src/core/inference/intensity';
import type { ModelManifest } from '../../../extension/src/core/inference/modelManifest';
import { ModelSessions } from '../../../extension/src/core/inference/modelSessions';
import { postprocessLogits } from '../../../extension/src/core/inference/postprocess';
import { preprocessSlice } from '../../../extension/src/core/inference/preprocess';
import {
  propagateVolume,
  type PropagationEvent,
} from '../../../extension/src/core/inference/propagateVolume';
import { SegmentationEngine } from '../../../extension/src/core/inference/segmentationEngine';
import {
  createArrayVolume,
  type SliceImage,
} from '../../../extension/src/core/inference/volumeAccessor';
import { loadDicomSeries } from '../../support/loadDicomSeries';

const MODEL_DIR = path.resolve(__dirname, '../../../models/test-model');
const CT_DIR = path.resolve(__dirname, '../../../../shared/data/ct-sarcoma/ct');
const manifest = JSON.parse(
  readFileSync(path.join(MODEL_DIR, 'manifest.json'), 'utf8'),
) as ModelManifest;
const MARGIN = 4; // model pixels

/** The test model's rule: patch size, gain and brightness level (test_model.py). */
const PATCH = 4;
const LOGIT_GAIN = 20;
const BRIGHT_LEVEL = 0.5;

/**
 * A patch exactly at the brightness level (16 grey levels summing to 8 x 255) gives a
 * logit of 0 in exact arithmetic and +-1e-6 in float32: pixels whose expected
 * probability is this close to the threshold may fall either way.
 */
const TIE = 1e-6;

interface ExpectedSlice {
  mask: Uint8Array;
  probability: Float32Array;
}

/** Expected mask of one slice: the test model's logits computed directly, then post-processed. */
function expectSegment(
  image: SliceImage,
  mapping: IntensityMapping,
  box: Box,
  margin: number,
): ExpectedSlice {
  const { tensor, geometry } = preprocessSlice(
    image.pixels,
    image.width,
    image.height,
    mapping,
    manifest.encoder,
  );
  const s = geometry.inputSize;
  let modelBox = mapBoxToModel(box, geometry, manifest.decoder.boxRounding);
  if (margin) modelBox = expandModelBox(modelBox, margin, s);
  const [x0, y0, x1, y1] = modelBox;
  const logits = new Float32Array(s * s);
  for (let y = 0; y < s; y++) {
    for (let x = 0; x < s; x++) {
      const px = Math.floor(x / PATCH) * PATCH;
      const py = Math.floor(y / PATCH) * PATCH;
      let brightness = 0;
      for (let dy = 0; dy < PATCH; dy++)
        for (let dx = 0; dx < PATCH; dx++) brightness += tensor[(py + dy) * s + px + dx] as number;
      brightness /= PATCH * PATCH;
      // low-res pixel centres sit at k + 0.5 model pixels (L = S)
      const inside = Math.min(x + 0.5 - x0, x1 - x - 0.5, y + 0.5 - y0, y1 - y - 0.5);
      logits[y * s + x] = LOGIT_GAIN * Math.min(brightness - BRIGHT_LEVEL, inside / s);
    }
  }
  return postprocessLogits(logits, geometry, manifest.decoder);
}

/** The contract's walk with `expectSegment` standing in for the model. */
function expectPropagation(
  slices: SliceImage[],
  mapping: IntensityMapping,
  start: number,
  box: Box,
): Map<number, ExpectedSlice> {
  const masks = new Map<number, ExpectedSlice>();
  const first = expectSegment(slices[start] as SliceImage, mapping, box, 0);
  masks.set(start, first);
  for (const step of [1, -1]) {
    let previous = first.mask;
    for (let k = start + step; k >= 0 && k < slices.length; k += step) {
      const image = slices[k] as SliceImage;
      const previousBox = computeMaskBox(previous, image.width, image.height);
      const expected = expectSegment(image, mapping, previousBox ?? box, previousBox ? MARGIN : 0);
      if (!expected.mask.includes(1)) break;
      masks.set(k, expected);
      previous = expected.mask;
    }
  }
  return masks;
}

let engine: SegmentationEngine;
beforeAll(async () => {
  const bytes = {
    encoder: new Uint8Array(readFileSync(path.join(MODEL_DIR, manifest.files.encoder.path))),
    decoder: new Uint8Array(readFileSync(path.join(MODEL_DIR, manifest.files.decoder.path))),
  };
  engine = new SegmentationEngine(
    await ModelSessions.create(ort, manifest, bytes, { executionProviders: ['cpu'] }),
  );
});
afterAll(() => engine.dispose());

describe('a bright ball', () => {
  // 64 x 64 slices (whole patches per pixel), ball of radius 6 slices around slice 10
  const CENTRE = 10;
  const slices: SliceImage[] = Array.from({ length: 21 }, (_, z) => {
    const pixels = new Float32Array(64 * 64);
    for (let i = 0; i < pixels.length; i++) {
      const x = (i % 64) - 31.5;
      const y = Math.floor(i / 64) - 29.5;
      if (x * x + y * y + (5 * (z - CENTRE)) ** 2 <= 30 ** 2) pixels[i] = 1000;
    }
    return { key: `ball-${z}`, width: 64, height: 64, pixels };
  });
  const mapping = { low: 0, high: 1000, zeroStaysZero: false };
  const volume = createArrayVolume('ball', 'MR', slices, mapping);

  it('follows the ball up and down and stops where it vanishes', async () => {
    const events: PropagationEvent[] = [];
    const result = await propagateVolume(engine, volume, {
      startIndex: CENTRE,
      box: [0, 0, 63, 63],
      onSlice: (event) => events.push(event),
    });
    // slices 4 and 16 lie 30 units from the centre: no pixel centre is inside there
    expect([...result.masks.keys()].sort((a, b) => a - b)).toEqual([
      5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
    ]);
    for (const [z, mask] of result.masks) {
      expect([...mask]).toEqual(Array.from((slices[z] as SliceImage).pixels, (v) => (v > 0 ? 1 : 0)));
    }
    expect(result.stopped).toEqual({ up: 'empty', down: 'empty' });
    // walking order, the empty slices 16 and 4 reported too
    expect(events.map((e) => `${e.direction} ${e.sliceIndex}`)).toEqual([
      'start 10',
      'up 11',
      'up 12',
      'up 13',
      'up 14',
      'up 15',
      'up 16',
      'down 9',
      'down 8',
      'down 7',
      'down 6',
      'down 5',
      'down 4',
    ]);
    expect(events.map((e) => e.done)).toEqual(events.map((_, i) => i + 1));
  });

  it('stops at the range and at the limit', async () => {
    const limited = await propagateVolume(engine, volume, {
      startIndex: CENTRE,
      box: [0, 0, 63, 63],
      range: [8, 20],
      maxSlicesEachWay: 3,
    });
    expect([...limited.masks.keys()].sort((a, b) => a - b)).toEqual([8, 9, 10, 11, 12, 13]);
    expect(limited.stopped).toEqual({ up: 'limit', down: 'range' });
  });

  it("stops where the model rates its own answer below minIou, without keeping that slice", async () => {
    // the test model's IoU estimate is its mean probability: it falls as the ball narrows
    const iouBySlice = new Map<number, number>();
    await propagateVolume(engine, volume, {
      startIndex: CENTRE,
      box: [0, 0, 63, 63],
      onSlice: (event) => iouBySlice.set(event.sliceIndex, event.result.iou),
    });
    const at13 = iouBySlice.get(13)!;
    const at14 = iouBySlice.get(14)!;
    expect(at14).toBeLessThan(at13);
    const stopped = await propagateVolume(engine, volume, {
      startIndex: CENTRE,
      box: [0, 0, 63, 63],
      minIou: (at13 + at14) / 2,
    });
    // symmetric ball: slices 7 and 13 are as far from the centre as 13 and 7
    expect([...stopped.masks.keys()].sort((a, b) => a - b)).toEqual([7, 8, 9, 10, 11, 12, 13]);
    expect(stopped.stopped).toEqual({ up: 'quality', down: 'quality' });
  });

  it('can be cancelled between slices', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const error = await propagateVolume(engine, volume, {
      startIndex: CENTRE,
      box: [0, 0, 63, 63],
      signal: controller.signal,
      onSlice: (event) => {
        seen.push(event.sliceIndex);
        if (seen.length === 3) controller.abort();
      },
    }).catch((e: unknown) => e);
    expect(isCancelled(error)).toBe(true);
    expect(seen).toEqual([10, 11, 12]);
  });
});

describe('the sarcoma CT', () => {
  it("follows the test model's known answer slice by slice", async () => {
    const series = loadDicomSeries(CT_DIR);
    const mapping = computeIntensityMapping(presetForModality(manifest, 'CT'), series.slices);
    const slices = series.slices.map((pixels, i) => {
      const plane = series.geometry.images[i];
      if (!plane) throw new Error(`no plane ${i}`);
      return { key: plane.SOPInstanceUID, width: plane.Columns, height: plane.Rows, pixels, plane };
    });
    const volume = createArrayVolume(series.geometry.SeriesInstanceUID, 'CT', slices);
    // the sarcoma's middle slice and a box around it
    const box: Box = [50, 49, 111, 92];
    const result = await propagateVolume(engine, volume, {
      startIndex: 23,
      box,
      marginModel: MARGIN,
    });
    const expected = expectPropagation(slices, mapping, 23, box);
    expect([...result.masks.keys()].sort((a, b) => a - b)).toEqual(
      [...expected.keys()].sort((a, b) => a - b),
    );
    let ties = 0;
    for (const [k, { mask, probability }] of expected) {
      const ours = result.masks.get(k) ?? new Uint8Array();
      expect(ours.length).toBe(mask.length);
      const wrong = [...mask.keys()].filter((i) => ours[i] !== mask[i]);
      const untied = wrong.filter((i) => Math.abs((probability[i] as number) - 0.5) >= TIE);
      expect({ slice: k, untied }).toEqual({ slice: k, untied: [] });
      ties += wrong.length;
    }
    // ties are rare: a handful of pixels in the whole volume
    expect(ties).toBeLessThan(100);
    // more than the start slice, and masks that change from slice to slice
    expect(result.masks.size).toBeGreaterThan(5);
    const sizes = [...result.masks.values()].map((m) => m.reduce((a, b) => a + b, 0));
    expect(new Set(sizes).size).toBeGreaterThan(3);
  });
});
