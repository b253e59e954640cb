/**
 * One slice of modality values to the encoder's float32 [1,3,S,S] tensor, as the
 * manifest's encoder spec states: 8-bit grey levels (`intensity.ts`), an 8-bit
 * resize as the authors' library does it (`resizeGrey.ts`; stretch, or longest
 * side with zero padding at bottom and right), normalisation over the unpadded
 * image, grey copied to three channels.
 *
 * Never fed from the display canvas: the viewer's window and colour map are the
 * reader's choice, the model's input is fixed by its training.
 */
import { applyIntensityMapping, type IntensityMapping } from './intensity';
import type { EncoderSpec, Normalisation, ResizeRule } from './modelManifest';
import { resizeGrey } from './resizeGrey';

/** Channels of the encoder input (grey repeated as RGB). */
export const INPUT_CHANNELS = 3;
/** Floor of the min-max divisor, so that a flat image gives zeros, not NaN. */
export const MIN_MAX_EPSILON = 1e-8;

/** Size of the unpadded image inside the square model input. */
export interface ResizedSize {
  width: number;
  height: number;
}

/** What later steps must know about how the input was made. */
export interface InputGeometry {
  /** Image size, pixels (DICOM Columns and Rows). */
  imageWidth: number;
  imageHeight: number;
  /** The encoder's square input side S. */
  inputSize: number;
  resize: ResizeRule;
  /** Unpadded part of the input (S x S for `stretch`). */
  resized: ResizedSize;
}

export interface PreprocessedSlice {
  /** float32 [1,3,S,S], channel-major. */
  tensor: Float32Array;
  geometry: InputGeometry;
}

/**
 * The unpadded size inside the model input. Longest side: both sides times
 * S / max(W, H), rounded half up, as the authors' `int(x + 0.5)` does.
 * @example computeResizedSize('longest-side-pad', 161, 143, 256) // {width: 256, height: 227}
 */
export function computeResizedSize(
  rule: ResizeRule,
  width: number,
  height: number,
  inputSize: number,
): ResizedSize {
  if (rule === 'stretch') return { width: inputSize, height: inputSize };
  const scale = inputSize / Math.max(width, height);
  return {
    width: Math.max(1, Math.floor(width * scale + 0.5)),
    height: Math.max(1, Math.floor(height * scale + 0.5)),
  };
}

/** The geometry of one slice's model input. */
export function computeInputGeometry(
  spec: EncoderSpec,
  imageWidth: number,
  imageHeight: number,
): InputGeometry {
  return {
    imageWidth,
    imageHeight,
    inputSize: spec.inputSize,
    resize: spec.resize,
    resized: computeResizedSize(spec.resize, imageWidth, imageHeight, spec.inputSize),
  };
}

interface ChannelAffine {
  offset: number;
  divisor: number;
}

/** Per-channel (x - offset) / divisor that a normalisation rule amounts to. */
function computeChannelAffine(normalisation: Normalisation, values: Uint8Array): ChannelAffine[] {
  if (normalisation.kind === 'mean-std') {
    return [0, 1, 2].map((c) => ({
      offset: normalisation.mean[c] as number,
      divisor: normalisation.std[c] as number,
    }));
  }
  let min = 255;
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const divisor = Math.max(max - min, MIN_MAX_EPSILON);
  return [0, 1, 2].map(() => ({ offset: min, divisor }));
}

/**
 * Builds the encoder input of one slice.
 * @param pixels modality values, row-major, `width` x `height`
 * @throws {RangeError} when `pixels` is shorter than width x height
 */
export function preprocessSlice(
  pixels: ArrayLike<number>,
  width: number,
  height: number,
  mapping: IntensityMapping,
  spec: EncoderSpec,
): PreprocessedSlice {
  if (pixels.length < width * height) {
    throw new RangeError(`slice of ${width}x${height} has only ${pixels.length} pixels`);
  }
  const geometry = computeInputGeometry(spec, width, height);
  const grey = applyIntensityMapping(pixels, mapping);
  const { width: rw, height: rh } = geometry.resized;
  const resized = resizeGrey(grey, width, height, rw, rh, spec.interpolation);
  const affine = computeChannelAffine(spec.normalisation, resized);
  const side = spec.inputSize;
  const tensor = new Float32Array(INPUT_CHANNELS * side * side);
  for (let c = 0; c < INPUT_CHANNELS; c++) {
    const { offset, divisor } = affine[c] as ChannelAffine;
    const base = c * side * side;
    for (let y = 0; y < rh; y++) {
      for (let x = 0; x < rw; x++) {
        // the padding stays 0 after normalisation, as in both authors' pipelines
        tensor[base + y * side + x] = ((resized[y * rw + x] as number) - offset) / divisor;
      }
    }
  }
  return { tensor, geometry };
}
