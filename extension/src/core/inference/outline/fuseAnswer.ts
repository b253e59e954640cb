/**
 * One decoder answer fused with the appearance of the box it answered
 * (fuseWithAppearance.ts), worked out on the box's neighbourhood only: the box,
 * the surroundings ring the appearance model samples, and room for the blur, so
 * that a 512 x 512 CT costs what its lesion's neighbourhood costs.
 */
import type { Box } from '../boxTransform';
import type { SliceImage } from '../volumeAccessor';
import { surroundRingWidth } from './boxShape';
import { fuseWithAppearance, type FusionWeights } from './fuseWithAppearance';
import { gaussianBlur } from './planeFilters';
import { boxInRegion, cropPlane, pasteMask, regionAroundBox } from './planeRegion';

/** Smoothing of the modality values before their histograms, pixels (noise, not edges). */
export const APPEARANCE_SMOOTHING_SIGMA = 1;

/** Logits back from probabilities stop here: a float32 sigmoid saturates near 17. */
const LOGIT_LIMIT = 20;

function toLogit(p: number): number {
  return Math.max(-LOGIT_LIMIT, Math.min(LOGIT_LIMIT, Math.log(p / (1 - p))));
}

/**
 * The fused outline of one answer, image-size 0/1 mask.
 * @param image the slice in modality values (HU, SUV, MR units)
 * @param probability the answer's per-pixel probability, image size
 * @param box the prompt box in pixels (with any propagation margin): the fused outline stays inside it
 */
export function fuseAnswerWithAppearance(
  image: SliceImage,
  probability: Float32Array,
  box: Box,
  weights: FusionWeights,
): Uint8Array {
  // the blur's reach (4 sigma) beyond the ring keeps the ring's values as on the whole image
  const pad = surroundRingWidth(box, weights.ringFraction) + Math.ceil(4 * APPEARANCE_SMOOTHING_SIGMA);
  const region = regionAroundBox(box, pad, image.width, image.height);
  const values = gaussianBlur(cropPlane(image.pixels, image.width, region), region.width, region.height, APPEARANCE_SMOOTHING_SIGMA);
  const logits = cropPlane(probability, image.width, region).map(toLogit);
  const fused = fuseWithAppearance(
    { width: region.width, height: region.height, values, logits, box: boxInRegion(box, region) },
    weights,
  );
  return pasteMask(fused, region, image.width, image.height);
}
