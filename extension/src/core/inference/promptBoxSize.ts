/**
 * Whether a drawn box is big enough to prompt the model. A click without a drag
 * (or a drag along one row) still makes a rectangle, of one pixel; the model
 * would spend seconds on it and answer with a speck. Two pixels a side stays
 * below the smallest lesion a box can be drawn around on a coarse PET (a 27 x 30
 * matrix puts a 1 cm lesion on about 3 pixels).
 */
import type { Box } from './boxTransform';

/** Fewest pixels each side of a prompt box must cover. */
export const MIN_PROMPT_BOX_SIDE_PX = 2;

/**
 * True when the pixel box (inclusive indices) is narrower or shorter than the minimum.
 * @example isPromptBoxTooSmall([10, 10, 10, 10]) // true: a click
 */
export function isPromptBoxTooSmall(box: Box, minSidePx: number = MIN_PROMPT_BOX_SIDE_PX): boolean {
  return box[2] - box[0] + 1 < minSidePx || box[3] - box[1] + 1 < minSidePx;
}
