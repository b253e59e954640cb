/**
 * Which mask to keep when the decoder answers with several. SAM's decoder gives
 * four: token 0 is its single-mask answer, tokens 1 to 3 the multi-mask answers
 * meant for ambiguous prompts (part, whole, ...), each with the model's own IoU
 * estimate. SAM's authors keep the multi-mask answer with the highest estimate
 * when a prompt is ambiguous (segment-anything, SamPredictor with
 * multimask_output=True); MedSAM's decoder answers with one mask only.
 *
 * - `token`: the manifest's `decoder.maskToken`, always.
 * - `best-of-multimask`: the highest estimate among tokens 1 and up.
 * - `best-of-all`: the highest estimate among all tokens.
 */
export type MaskChoice = 'token' | 'best-of-multimask' | 'best-of-all';

/**
 * The token to keep, given the decoder's IoU estimates (one per mask). A decoder
 * with one mask always gives token 0.
 */
export function chooseMaskToken(
  iou: ArrayLike<number>,
  manifestToken: number,
  choice: MaskChoice = 'token',
): number {
  if (iou.length <= 1) return 0;
  if (choice === 'token') return manifestToken;
  const first = choice === 'best-of-multimask' ? 1 : 0;
  let best = first;
  for (let t = first + 1; t < iou.length; t++) {
    if ((iou[t] as number) > (iou[best] as number)) best = t;
  }
  return best;
}
