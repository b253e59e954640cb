/**
 * An outline from SAM's logits and the box's own appearance together. General
 * SAM has never seen a scan: with a loose box it takes in whatever fills the box
 * (the cerebrospinal fluid round a spinal cord, the fat round a PET lesion). The
 * box says more than SAM reads from it: its middle is lesion, the ring outside
 * it is not, and a lesion centred in a box lies mostly in its inscribed ellipse.
 * Per pixel the score is
 *
 *   logitWeight * SAM logit + appearanceWeight * log(p(value|lesion) / p(value|ring))
 *     + ellipseWeight * (1 - r^2),
 *
 * where the lesion histogram is SAM's probability over the middle of the box
 * (r < centreRadius), the ring histogram the pixels outside the box plus the
 * box's corners beyond the ellipse, and r the normalised ellipse radius. The
 * outline is the positive part inside the box, its largest component, holes filled.
 */
import type { Box } from '../boxTransform';
import { computeLikelihoodRatio } from './appearanceModel';
import { boxInsideMask, boxRingMask, inscribedEllipseRadius2, surroundRingWidth } from './boxShape';
import { fillHoles, keepLargestComponent } from './maskMorphology';

export interface FusionWeights {
  logitWeight: number;
  appearanceWeight: number;
  ellipseWeight: number;
  /** Ellipse radius (normalised) inside which pixels sample the lesion. */
  centreRadius: number;
  /** Surroundings ring width as a fraction of the box's longer side. */
  ringFraction: number;
}

/**
 * Round weights set by hand while exploring the shared data (models/EVALUATION.md,
 * "Fusion with the box's appearance"), not fitted: SAM's logit and the appearance
 * count alike once the ratio's typical range (a few nats) is doubled, and the
 * ellipse prior breaks ties towards the box's middle.
 */
export const DEFAULT_FUSION: FusionWeights = {
  logitWeight: 1,
  appearanceWeight: 2,
  ellipseWeight: 2,
  centreRadius: 0.5,
  ringFraction: 0.3,
};

/** Logits are clipped to this magnitude: beyond it SAM's certainty adds nothing. */
const LOGIT_CLIP = 20;

/** One plane (a region of the image) with the box in its coordinates. */
export interface FusionInput {
  width: number;
  height: number;
  /** Smoothed modality values. */
  values: Float64Array;
  /** SAM's logits at image resolution, same plane. */
  logits: Float64Array;
  box: Box;
}

/** The fused outline, 0/1 over the plane. */
export function fuseWithAppearance(input: FusionInput, weights: FusionWeights = DEFAULT_FUSION): Uint8Array {
  const { width, height, values, logits, box } = input;
  const n = width * height;
  const inside = boxInsideMask(box, width, height);
  const radius2 = inscribedEllipseRadius2(box, width, height);
  const ring = boxRingMask(box, surroundRingWidth(box, weights.ringFraction), width, height);
  const centre2 = weights.centreRadius * weights.centreRadius;
  const lesion = new Float64Array(n);
  const surround = new Float64Array(n);
  let lesionSum = 0;
  let surroundSum = 0;
  for (let i = 0; i < n; i++) {
    const l = Math.max(-LOGIT_CLIP, Math.min(LOGIT_CLIP, logits[i] as number));
    if ((radius2[i] as number) <= centre2) {
      lesion[i] = 1 / (1 + Math.exp(-l));
      lesionSum += lesion[i] as number;
    }
    if (ring[i] || (inside[i] && (radius2[i] as number) > 1)) {
      surround[i] = 1;
      surroundSum++;
    }
  }
  // a box too small to sample from falls back to its middle and its outside
  if (lesionSum < 1) for (let i = 0; i < n; i++) lesion[i] = (radius2[i] as number) <= centre2 ? 1 : 0;
  if (surroundSum < 1) for (let i = 0; i < n; i++) surround[i] = inside[i] ? 0 : 1;
  const ratio = computeLikelihoodRatio(values, lesion, surround);
  const outline = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (!inside[i]) continue;
    const l = Math.max(-LOGIT_CLIP, Math.min(LOGIT_CLIP, logits[i] as number));
    const score =
      weights.logitWeight * l +
      weights.appearanceWeight * (ratio[i] as number) +
      weights.ellipseWeight * (1 - (radius2[i] as number));
    outline[i] = score > 0 ? 1 : 0;
  }
  const filled = fillHoles(keepLargestComponent(outline, width, height), width, height);
  for (let i = 0; i < n; i++) if (!inside[i]) filled[i] = 0;
  return filled;
}
