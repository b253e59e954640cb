/**
 * Where a pixel lies relative to the drawn box: inside it, and how far out on the
 * ellipse inscribed in it. A radiologist centres the box on the lesion, so the
 * middle of that ellipse is the lesion's likeliest part and the box's corners,
 * outside it, the likeliest surroundings.
 */
import type { Box } from '../boxTransform';

/** 1 for the pixels of an (inclusive, integer) pixel box, in a width x height plane. */
export function boxInsideMask(box: Box, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  const x0 = Math.max(0, Math.ceil(box[0]));
  const y0 = Math.max(0, Math.ceil(box[1]));
  const x1 = Math.min(width - 1, Math.floor(box[2]));
  const y1 = Math.min(height - 1, Math.floor(box[3]));
  for (let y = y0; y <= y1; y++) out.fill(1, y * width + x0, y * width + x1 + 1);
  return out;
}

/**
 * Squared normalised radius on the inscribed ellipse of the box's outer rectangle
 * (pixel i covers [i, i+1)) at every pixel centre: below 1 inside the ellipse.
 */
export function inscribedEllipseRadius2(box: Box, width: number, height: number): Float64Array {
  const cx = (box[0] + box[2] + 1) / 2;
  const cy = (box[1] + box[3] + 1) / 2;
  const rx = (box[2] - box[0] + 1) / 2;
  const ry = (box[3] - box[1] + 1) / 2;
  const out = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    const dy = (y + 0.5 - cy) / ry;
    for (let x = 0; x < width; x++) {
      const dx = (x + 0.5 - cx) / rx;
      out[y * width + x] = dx * dx + dy * dy;
    }
  }
  return out;
}

/** Width of the ring around the box taken as surroundings: 30 % of its longer side, 2 px at least. */
export function surroundRingWidth(box: Box, fraction = 0.3): number {
  const side = Math.max(box[2] - box[0] + 1, box[3] - box[1] + 1);
  return Math.max(2, Math.floor(fraction * side));
}

/** 1 for pixels within `ring` pixels outside the box (a square ring), clipped to the plane. */
export function boxRingMask(box: Box, ring: number, width: number, height: number): Uint8Array {
  const grown: Box = [box[0] - ring, box[1] - ring, box[2] + ring, box[3] + ring];
  const outer = boxInsideMask(grown, width, height);
  const inner = boxInsideMask(box, width, height);
  for (let i = 0; i < outer.length; i++) if (inner[i]) outer[i] = 0;
  return outer;
}
