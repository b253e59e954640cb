/**
 * The decoder's inputs for one box prompt, per decoder kind. The manifest names each
 * input by role (`decoder.inputNames`); these are the roles each kind needs:
 * - `box-only` (MedSAM contract): `imageEmbeddings`, `boxes` (model-space box,
 *   [1,4] or [1,1,4] as the graph declares).
 * - `sam` (SAM's official six-input decoder): `imageEmbeddings`, `pointCoords`,
 *   `pointLabels`, `maskInput`, `hasMaskInput`, `origImSize`. The box goes in as its
 *   two corners with labels 2 and 3; a previous low-resolution mask (logits) when the
 *   prompt carries one, none otherwise.
 * - `transformers-js`: `imageEmbeddings`, `imagePositionalEmbeddings` (the encoder's
 *   second output) and `inputBoxes` [1,1,4].
 */
import type { Box } from './boxTransform';
import { InferenceError } from './inferenceError';
import type { DecoderKind, DecoderSpec } from './modelManifest';
import type { OrtTensor, OrtTensorConstructor, OrtValueMetadata } from './ortTypes';

/** Roles each decoder kind needs in `decoder.inputNames`. */
export const DECODER_INPUT_ROLES: Record<DecoderKind, readonly string[]> = {
  'box-only': ['imageEmbeddings', 'boxes'],
  sam: ['imageEmbeddings', 'pointCoords', 'pointLabels', 'maskInput', 'hasMaskInput', 'origImSize'],
  'transformers-js': ['imageEmbeddings', 'imagePositionalEmbeddings', 'inputBoxes'],
};

/** SAM's point labels for the top-left and bottom-right box corners. */
export const SAM_BOX_CORNER_LABELS = [2, 3] as const;
/** SAM's label of a padding point (ignored as a prompt, counted as a point). */
export const SAM_PADDING_LABEL = -1;

/** One encoder output kept for the decoder. */
export interface EmbeddingTensor {
  name: string;
  dims: number[];
  data: Float32Array;
}

/** What varies per prompt. */
export interface DecoderPrompt {
  /** Box in model input coordinates. */
  modelBox: Box;
  /** Image size, pixels: SAM's decoder wants it for its own (unused) upscaling. */
  imageWidth: number;
  imageHeight: number;
  /**
   * Low-resolution logits (L x L, L = `lowResSize`) of an earlier answer, fed back
   * as SAM's mask prompt; `sam` decoders only, ignored by the others.
   */
  maskInput?: Float32Array;
  /**
   * `sam` decoders: ask for the single-mask answer (token 0). SAM's ONNX export
   * picks its answer from the number of points: with two (a box) the best of the
   * three multi-mask answers by IoU estimate, with more the single-mask answer
   * (segment-anything, utils/onnx.py, select_masks); a padding point makes three.
   */
  singleMask?: boolean;
}

/**
 * The role's input name from the manifest.
 * @throws {InferenceError} code `model-io` when the manifest lacks the role
 */
export function requireInputName(spec: DecoderSpec, role: string): string {
  const name = spec.inputNames[role];
  if (name === undefined) {
    throw new InferenceError(
      'model-io',
      `a '${spec.kind}' decoder needs decoder.inputNames.${role} in the manifest`,
    );
  }
  return name;
}

/**
 * Dims of a box input from the graph's metadata: rank 3 gives [1,1,4], otherwise
 * [1,4] (MedSAM's own export uses [1,4]; some exports add a box axis).
 */
export function computeBoxDims(
  metadata: readonly OrtValueMetadata[] | undefined,
  name: string,
): number[] {
  const rank = metadata?.find((m) => m.name === name)?.shape?.length;
  return rank === 3 ? [1, 1, 4] : [1, 4];
}

function embeddingAt(
  embedding: readonly EmbeddingTensor[],
  index: number,
  what: string,
): EmbeddingTensor {
  const tensor = embedding[index];
  if (!tensor) {
    throw new InferenceError('model-io', `the encoder gave no ${what} (output ${index + 1})`);
  }
  return tensor;
}

/**
 * Builds the decoder feeds for one box.
 * @throws {InferenceError} code `model-io` when a role or an encoder output is missing
 */
export function buildDecoderFeeds(
  Tensor: OrtTensorConstructor,
  spec: DecoderSpec,
  embedding: readonly EmbeddingTensor[],
  prompt: DecoderPrompt,
  boxDims: readonly number[],
): Record<string, OrtTensor> {
  const image = embeddingAt(embedding, 0, 'image embeddings');
  const feeds: Record<string, OrtTensor> = {
    [requireInputName(spec, 'imageEmbeddings')]: new Tensor('float32', image.data, image.dims),
  };
  const box = Float32Array.from(prompt.modelBox);
  switch (spec.kind) {
    case 'box-only':
      feeds[requireInputName(spec, 'boxes')] = new Tensor('float32', box, boxDims);
      break;
    case 'sam': {
      const low = spec.lowResSize;
      const points = prompt.singleMask ? 3 : 2;
      const coords = new Float32Array(points * 2);
      coords.set(box);
      const labels = Float32Array.from(
        prompt.singleMask ? [...SAM_BOX_CORNER_LABELS, SAM_PADDING_LABEL] : SAM_BOX_CORNER_LABELS,
      );
      feeds[requireInputName(spec, 'pointCoords')] = new Tensor('float32', coords, [1, points, 2]);
      feeds[requireInputName(spec, 'pointLabels')] = new Tensor('float32', labels, [1, points]);
      const { maskInput } = prompt;
      if (maskInput && maskInput.length !== low * low) {
        throw new InferenceError(
          'model-io',
          `a mask prompt has ${maskInput.length} values, the decoder wants ${low} x ${low}`,
        );
      }
      feeds[requireInputName(spec, 'maskInput')] = new Tensor(
        'float32',
        maskInput ? Float32Array.from(maskInput) : new Float32Array(low * low),
        [1, 1, low, low],
      );
      feeds[requireInputName(spec, 'hasMaskInput')] = new Tensor(
        'float32',
        Float32Array.of(maskInput ? 1 : 0),
        [1],
      );
      feeds[requireInputName(spec, 'origImSize')] = new Tensor(
        'float32',
        Float32Array.of(prompt.imageHeight, prompt.imageWidth),
        [2],
      );
      break;
    }
    case 'transformers-js': {
      const positional = embeddingAt(embedding, 1, 'positional embeddings');
      feeds[requireInputName(spec, 'imagePositionalEmbeddings')] = new Tensor(
        'float32',
        positional.data,
        positional.dims,
      );
      feeds[requireInputName(spec, 'inputBoxes')] = new Tensor('float32', box, [1, 1, 4]);
      break;
    }
  }
  return feeds;
}
