/**
 * Whether a drawn box is big enough to prompt the model. A click without a drag
 * (or a drag along one row) still makes a rectangle, of one pixel; the model
 * would spend seconds on it and answer with a speck. Two pixels a side stays
 * below the smallest lesion a box can be drawn around on a coarse PET (a 27 x 30
 * matrix puts a 1 cm lesion on about 3 pixels).
 */
import type { Box, ImagePoint } from './boxTransform';

/** Fewest pixels each side of a prompt box must cover. */
export const MIN_PROMPT_BOX_SIDE_PX = 2;

/**
 * True when the pixel box (inclusive indices) is narrower or shorter than the minimum.
 * @example isPromptBoxTooSmall([10, 10, 10, 10]) // true: a click
 */
export function isPromptBoxTooSmall(box: Box, minSidePx: number = MIN_PROMPT_BOX_SIDE_PX): boolean {
  return box[2] - box[0] + 1 < minSidePx || box[3] - box[1] + 1 < minSidePx;
}

/**
 * True when a drawn rectangle (image coordinates, pixel i covering [i, i+1)) covers
 * no pixel of a width x height image: drawn beside the image, it would otherwise be
 * clamped to a sliver of the edge and refused as too small, the wrong reason.
 * @example isImageRectOutside([-30, 10], [-5, 40], 143, 161) // true
 */
export function isImageRectOutside(a: ImagePoint, b: ImagePoint, width: number, height: number): boolean {
  const [x0, x1] = [Math.min(a[0], b[0]), Math.max(a[0], b[0])];
  const [y0, y1] = [Math.min(a[1], b[1]), Math.max(a[1], b[1])];
  return x1 <= 0 || y1 <= 0 || x0 >= width || y0 >= height;
}
