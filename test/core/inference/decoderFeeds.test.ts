import {
  buildDecoderFeeds,
  computeBoxDims,
  type EmbeddingTensor,
} from '../../../extension/src/core/inference/decoderFeeds';
import { InferenceError } from '../../../extension/src/core/inference/inferenceError';
import type { DecoderSpec } from '../../../extension/src/core/inference/modelManifest';
import type { OrtTensor } from '../../../extension/src/core/inference/ortTypes';

/** A tensor that only records what it was given. */
class RecordingTensor implements OrtTensor {
  constructor(
    readonly type: string,
    readonly data: Float32Array,
    readonly dims: readonly number[],
  ) {}
}

function view(
  feeds: Record<string, OrtTensor>,
): Record<string, { dims: number[]; data: number[] }> {
  return Object.fromEntries(
    Object.entries(feeds).map(([name, t]) => [
      name,
      { dims: [...t.dims], data: [...(t.data as Float32Array)].slice(0, 4) },
    ]),
  );
}

const embedding: EmbeddingTensor[] = [
  { name: 'e', dims: [1, 256, 64, 64], data: new Float32Array(256 * 64 * 64).fill(0.5) },
  { name: 'p', dims: [1, 256, 64, 64], data: new Float32Array(256 * 64 * 64).fill(-1) },
];
const common = {
  outputNames: { lowResLogits: 'l', iou: 'i' },
  lowResSize: 4,
  maskToken: 0,
  threshold: 0.5,
  sigmoid: 'after-resize',
  boxRounding: 'none',
} as const;
const prompt = {
  modelBox: [10.5, 20, 300, 400.25] as [number, number, number, number],
  imageWidth: 161,
  imageHeight: 143,
};

it("feeds SAM's official decoder a box as two corner points labelled 2 and 3, no mask", () => {
  const spec: DecoderSpec = {
    ...common,
    kind: 'sam',
    inputNames: {
      imageEmbeddings: 'image_embeddings',
      pointCoords: 'point_coords',
      pointLabels: 'point_labels',
      maskInput: 'mask_input',
      hasMaskInput: 'has_mask_input',
      origImSize: 'orig_im_size',
    },
  };
  const feeds = view(buildDecoderFeeds(RecordingTensor, spec, embedding, prompt, [1, 4]));
  expect(feeds).toEqual({
    image_embeddings: { dims: [1, 256, 64, 64], data: [0.5, 0.5, 0.5, 0.5] },
    point_coords: { dims: [1, 2, 2], data: [10.5, 20, 300, 400.25] },
    point_labels: { dims: [1, 2], data: [2, 3] },
    mask_input: { dims: [1, 1, 4, 4], data: [0, 0, 0, 0] },
    has_mask_input: { dims: [1], data: [0] },
    // SAM's order: height, then width
    orig_im_size: { dims: [2], data: [143, 161] },
  });
});

it("feeds a box-only decoder the model box with the graph's rank", () => {
  const spec: DecoderSpec = {
    ...common,
    kind: 'box-only',
    inputNames: { imageEmbeddings: 'emb', boxes: 'boxes' },
  };
  const metadata = [{ name: 'boxes', isTensor: true, shape: [1, 1, 4] }];
  const feeds = view(
    buildDecoderFeeds(RecordingTensor, spec, embedding, prompt, computeBoxDims(metadata, 'boxes')),
  );
  expect(feeds.boxes).toEqual({ dims: [1, 1, 4], data: [10.5, 20, 300, 400.25] });
  expect(computeBoxDims(undefined, 'boxes')).toEqual([1, 4]);
});

it('feeds the Transformers.js decoder the positional embeddings and a [1,1,4] box', () => {
  const spec: DecoderSpec = {
    ...common,
    kind: 'transformers-js',
    inputNames: {
      imageEmbeddings: 'image_embeddings',
      imagePositionalEmbeddings: 'image_positional_embeddings',
      inputBoxes: 'input_boxes',
    },
  };
  const feeds = view(buildDecoderFeeds(RecordingTensor, spec, embedding, prompt, [1, 4]));
  expect(feeds.image_positional_embeddings?.data).toEqual([-1, -1, -1, -1]);
  expect(feeds.input_boxes).toEqual({ dims: [1, 1, 4], data: [10.5, 20, 300, 400.25] });
});

it('names a role the manifest lacks', () => {
  const spec: DecoderSpec = { ...common, kind: 'box-only', inputNames: { imageEmbeddings: 'emb' } };
  expect(() => buildDecoderFeeds(RecordingTensor, spec, embedding, prompt, [1, 4])).toThrow(
    InferenceError,
  );
  expect(() => buildDecoderFeeds(RecordingTensor, spec, embedding, prompt, [1, 4])).toThrow(
    /decoder.inputNames.boxes/,
  );
});

it("feeds SAM's decoder an earlier answer's logits as the mask prompt, flagged on", () => {
  const spec: DecoderSpec = {
    ...common,
    kind: 'sam',
    inputNames: {
      imageEmbeddings: 'image_embeddings',
      pointCoords: 'point_coords',
      pointLabels: 'point_labels',
      maskInput: 'mask_input',
      hasMaskInput: 'has_mask_input',
      origImSize: 'orig_im_size',
    },
  };
  const maskInput = Float32Array.from({ length: 16 }, (_, i) => i - 8);
  const feeds = view(buildDecoderFeeds(RecordingTensor, spec, embedding, { ...prompt, maskInput }, [1, 4]));
  expect(feeds.mask_input).toEqual({ dims: [1, 1, 4, 4], data: [-8, -7, -6, -5] });
  expect(feeds.has_mask_input).toEqual({ dims: [1], data: [1] });
  // a prompt of the wrong size is named, not passed on
  expect(() =>
    buildDecoderFeeds(RecordingTensor, spec, embedding, { ...prompt, maskInput: new Float32Array(9) }, [1, 4]),
  ).toThrow(/mask prompt has 9 values, the decoder wants 4 x 4/);
});

it("asks SAM's one-output graph for its single-mask answer with a padding point", () => {
  const spec: DecoderSpec = {
    ...common,
    kind: 'sam',
    inputNames: {
      imageEmbeddings: 'image_embeddings',
      pointCoords: 'point_coords',
      pointLabels: 'point_labels',
      maskInput: 'mask_input',
      hasMaskInput: 'has_mask_input',
      origImSize: 'orig_im_size',
    },
  };
  const feeds = buildDecoderFeeds(RecordingTensor, spec, embedding, { ...prompt, singleMask: true }, [1, 4]);
  expect(feeds.point_coords?.dims).toEqual([1, 3, 2]);
  expect(Array.from(feeds.point_coords?.data as Float32Array)).toEqual([10.5, 20, 300, 400.25, 0, 0]);
  expect(Array.from(feeds.point_labels?.data as Float32Array)).toEqual([2, 3, -1]);
});
