/**
 * The boxes the evaluation draws, in the engine's pixel-box convention
 * (inclusive first and last pixel, see boxTransform.ts), and the model-free
 * baseline: the ellipse inscribed in the box.
 */
import type { Box } from '../../extension/src/core/inference/boxTransform';

/**
 * A pixel box grown by `margin` pixels on every side, clipped to the image: the
 * "+5 px" and "+10 px" boxes, a radiologist's loose drawing.
 * @example growPixelBox([10, 10, 20, 20], 5, 25, 100) // [5, 5, 24, 25]
 */
export function growPixelBox(box: Box, margin: number, width: number, height: number): Box {
  return [
    Math.max(0, box[0] - margin),
    Math.max(0, box[1] - margin),
    Math.min(width - 1, box[2] + margin),
    Math.min(height - 1, box[3] + margin),
  ];
}

/**
 * The ellipse inscribed in the box's outer rectangle (pixel i covers [i, i+1)):
 * the pixels whose centres lie inside it. No model at all: the floor that a
 * model has to beat to be worth its encoder.
 */
export function createInscribedEllipse(box: Box, width: number, height: number): Uint8Array {
  const mask = new Uint8Array(width * height);
  const cx = (box[0] + box[2] + 1) / 2;
  const cy = (box[1] + box[3] + 1) / 2;
  const rx = (box[2] - box[0] + 1) / 2;
  const ry = (box[3] - box[1] + 1) / 2;
  for (let y = box[1]; y <= box[3]; y++) {
    for (let x = box[0]; x <= box[2]; x++) {
      const dx = (x + 0.5 - cx) / rx;
      const dy = (y + 0.5 - cy) / ry;
      if (dx * dx + dy * dy <= 1) mask[y * width + x] = 1;
    }
  }
  return mask;
}
