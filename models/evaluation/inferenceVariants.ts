/**
 * Inference-time variants of a model for `npm run evaluate -- --variants ...`:
 * the same weights, other ways of asking them (issue 8, part 2). Each variant is
 * a `+`-joined list of settings, for example `refine=1`, `single`,
 * `growth=0.3+prevmask`:
 *
 * - `single`: SAM's single-mask answer instead of the graph's choice (maskChoice.ts).
 * - `bestmask`: the single-mask answer or the graph's, the higher IoU estimate.
 * - `refine=N`: N extra decoder runs fed the previous logits as a mask prompt.
 * - `prevmask`: in propagation, the previous slice's logits as the mask prompt.
 * - `growth=F`: in propagation, the growth limit of limitGrowth.ts.
 * - `margin=N`, `drift=S`: propagation margin (model pixels) and drift stop (SD).
 * - `iou=F`: in propagation, stop where the model's IoU estimate falls below F.
 * - `fuse`, `fuse=A`: every answer (boxes and propagation) fused with its prompt
 *   box's appearance (outline/fuseWithAppearance.ts), with the default weights or
 *   with the appearance term weighted A; `ellipse=E` weights the ellipse prior.
 * - `plain`: no fusion, for a model whose manifest asks for it.
 */
import type { PropagationRequest } from '../../extension/src/core/inference/propagateVolume';
import { DEFAULT_FUSION } from '../../extension/src/core/inference/outline/fuseWithAppearance';
import type { SegmentOptions } from '../../extension/src/core/inference/segmentationEngine';

export type VariantSegmentOptions = Pick<SegmentOptions, 'maskChoice' | 'refinePasses' | 'fusion'>;
export type VariantPropagation = Pick<
  PropagationRequest,
  'marginModel' | 'intensityDriftSd' | 'previousMaskPrompt' | 'growthLimit' | 'decoding' | 'minIou'
>;

export interface InferenceVariant {
  /** As written on the command line. */
  name: string;
  segment: VariantSegmentOptions;
  propagation: VariantPropagation;
}

/** Thrown for a variant that is not understood. */
export class VariantSyntaxError extends Error {
  override readonly name = 'VariantSyntaxError';
}

function readNumber(setting: string, value: string | undefined, integer: boolean): number {
  const number = Number(value);
  if (value === undefined || value === '' || !Number.isFinite(number) || number < 0 || (integer && !Number.isInteger(number))) {
    throw new VariantSyntaxError(`${setting} needs a ${integer ? 'whole ' : ''}number of 0 or more`);
  }
  return number;
}

/**
 * Reads one variant.
 * @throws {VariantSyntaxError} naming the setting that is not understood
 */
export function parseVariant(text: string): InferenceVariant {
  const variant: InferenceVariant = { name: text, segment: {}, propagation: {} };
  for (const part of text.split('+')) {
    const [key = '', value] = part.split('=');
    switch (key) {
      case 'single':
        variant.segment.maskChoice = 'single';
        break;
      case 'bestmask':
        variant.segment.maskChoice = 'best-of-all';
        break;
      case 'refine':
        variant.segment.refinePasses = readNumber(key, value, true);
        break;
      case 'prevmask':
        variant.propagation.previousMaskPrompt = true;
        break;
      case 'growth':
        variant.propagation.growthLimit = readNumber(key, value, false);
        break;
      case 'margin':
        variant.propagation.marginModel = readNumber(key, value, false);
        break;
      case 'drift':
        variant.propagation.intensityDriftSd = readNumber(key, value, false);
        break;
      case 'iou':
        variant.propagation.minIou = readNumber(key, value, false);
        break;
      case 'fuse':
        variant.segment.fusion = {
          ...DEFAULT_FUSION,
          ...variant.segment.fusion,
          ...(value === undefined ? {} : { appearanceWeight: readNumber(key, value, false) }),
        };
        break;
      case 'plain':
        variant.segment.fusion = null;
        break;
      case 'ellipse':
        variant.segment.fusion = {
          ...DEFAULT_FUSION,
          ...variant.segment.fusion,
          ellipseWeight: readNumber(key, value, false),
        };
        break;
      default:
        throw new VariantSyntaxError(
          `variant setting "${part}" is not one of single, bestmask, refine=N, prevmask, growth=F, margin=N, drift=S, iou=F, fuse, fuse=A, ellipse=E, plain`,
        );
    }
  }
  return variant;
}
