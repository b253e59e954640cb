/**
 * The decoder's low-resolution logits to a binary mask at the image's own size, on
 * its own pixel grid, as the authors' pipelines do it:
 * - `stretch` (MedSAM): the L x L logits cover the whole image; bilinear resize
 *   (align_corners=False) straight to H x W.
 * - `longest-side-pad` (LiteMedSAM, SAM): the logits cover the padded input. Bring
 *   them to the input size S (identity when L = S, as in LiteMedSAM; SAM's 256 to
 *   1024), keep the unpadded part, then resize that to H x W.
 * The sigmoid comes before or after the resizes as the manifest says; a pixel is in
 * the mask when its probability exceeds the manifest's threshold.
 *
 * Bilinear resizing with align_corners=False maps pixel centres to pixel centres,
 * so a mask that fills the model input's footprint of image pixels i0..i1 comes back
 * as exactly those pixels, not shifted by half a pixel.
 */
import type { DecoderSpec } from './modelManifest';
import { InferenceError } from './inferenceError';
import type { InputGeometry } from './preprocess';
import { resizeBilinear } from './resizePlane';

export interface MaskResult {
  /** 1 inside, 0 outside; row-major, imageWidth x imageHeight. */
  mask: Uint8Array;
  /** Probability per image pixel (after the manifest's sigmoid and resizes). */
  probability: Float32Array;
}

/**
 * The logits plane of one mask token from a decoder output shaped [..., M, L, L]
 * (leading dimensions of size 1). A single-mask export gives M = 1, which is used
 * whatever the manifest's token; otherwise the manifest's token is taken.
 * @throws {InferenceError} code `model-io` when the shape is not square or the token
 *   is missing
 */
export function selectMaskPlane(
  data: Float32Array,
  dims: readonly number[],
  maskToken: number,
  lowResSize: number,
): Float32Array {
  const n = dims.length;
  const h = dims[n - 2];
  const w = dims[n - 1];
  const masks = n >= 3 ? (dims[n - 3] as number) : 1;
  if (n < 2 || h !== lowResSize || w !== lowResSize) {
    throw new InferenceError(
      'model-io',
      `decoder logits have shape [${dims.join(',')}], expected [..., ${lowResSize}, ${lowResSize}]`,
    );
  }
  const token = masks === 1 ? 0 : maskToken;
  if (token >= masks) {
    throw new InferenceError(
      'model-io',
      `decoder gives ${masks} masks, mask token ${token} wanted`,
    );
  }
  const plane = lowResSize * lowResSize;
  return data.subarray(token * plane, (token + 1) * plane);
}

function sigmoidInPlace(values: Float64Array): void {
  for (let i = 0; i < values.length; i++) values[i] = 1 / (1 + Math.exp(-(values[i] as number)));
}

function crop(
  values: Float64Array,
  width: number,
  cropWidth: number,
  cropHeight: number,
): Float64Array {
  const out = new Float64Array(cropWidth * cropHeight);
  for (let y = 0; y < cropHeight; y++) {
    out.set(values.subarray(y * width, y * width + cropWidth), y * cropWidth);
  }
  return out;
}

/** Logits (or probabilities) at the image size, following the resize rule. */
function resizeToImage(
  plane: Float64Array,
  lowResSize: number,
  geometry: InputGeometry,
): Float64Array {
  const { imageWidth: w, imageHeight: h, inputSize: s } = geometry;
  const low = { width: lowResSize, height: lowResSize, data: plane };
  if (geometry.resize === 'stretch') return resizeBilinear(low, w, h);
  const full = lowResSize === s ? plane : resizeBilinear(low, s, s);
  const { width: rw, height: rh } = geometry.resized;
  const unpadded = crop(full, s, rw, rh);
  return resizeBilinear({ width: rw, height: rh, data: unpadded }, w, h);
}

/**
 * Post-processes one logits plane (L x L) into the image's mask.
 * @example
 *   const plane = selectMaskPlane(data, dims, spec.maskToken, spec.lowResSize);
 *   const { mask } = postprocessLogits(plane, geometry, spec);
 */
export function postprocessLogits(
  logits: Float32Array,
  geometry: InputGeometry,
  spec: DecoderSpec,
): MaskResult {
  const plane = Float64Array.from(logits);
  if (spec.sigmoid === 'before-resize') sigmoidInPlace(plane);
  const atImage = resizeToImage(plane, spec.lowResSize, geometry);
  if (spec.sigmoid === 'after-resize') sigmoidInPlace(atImage);
  const mask = new Uint8Array(atImage.length);
  for (let i = 0; i < atImage.length; i++)
    mask[i] = (atImage[i] as number) > spec.threshold ? 1 : 0;
  return { mask, probability: Float32Array.from(atImage) };
}
