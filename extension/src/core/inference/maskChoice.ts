/**
 * Which answer to keep when SAM's decoder can give several. SAM's decoder makes
 * four masks: token 0 is its single-mask answer, tokens 1 to 3 the multi-mask
 * answers meant for ambiguous prompts (part, whole, ...), each with the model's
 * own IoU estimate.
 *
 * - `graph`: what the graph gives. A graph with four outputs: the manifest's
 *   `decoder.maskToken`. SAM's ONNX export with one output chooses itself: for a
 *   box alone (two points) the multi-mask answer with the highest estimate
 *   (segment-anything, utils/onnx.py, select_masks).
 * - `single`: the single-mask answer (token 0; one-output graphs get a padding
 *   point, see decoderFeeds.ts).
 * - `best-of-all`: the single-mask answer or the graph's, whichever the model
 *   rates higher (two decoder runs for a one-output graph).
 */
export type MaskChoice = 'graph' | 'single' | 'best-of-all';

/**
 * The token to keep from one decoder run, given its IoU estimates (one per mask).
 * A run with one mask always gives token 0.
 */
export function chooseMaskToken(
  iou: ArrayLike<number>,
  manifestToken: number,
  choice: MaskChoice = 'graph',
): number {
  if (iou.length <= 1) return 0;
  if (choice === 'graph') return manifestToken;
  if (choice === 'single') return 0;
  let best = 0;
  for (let t = 1; t < iou.length; t++) {
    if ((iou[t] as number) > (iou[best] as number)) best = t;
  }
  return best;
}
