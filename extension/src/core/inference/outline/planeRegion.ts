/**
 * A rectangle of an image plane and the copies in and out of it. Fusing an
 * answer works on its box and a ring around it only, so a 512 x 512 CT
 * costs what its lesion's neighbourhood costs, not the whole slice.
 */
import type { Box } from '../boxTransform';

/** Columns x0..x0+width-1 and rows y0..y0+height-1 of an image. */
export interface PlaneRegion {
  x0: number;
  y0: number;
  width: number;
  height: number;
}

/**
 * The pixel box grown by `pad` pixels on every side, clipped to the image.
 * @example regionAroundBox([10, 10, 19, 14], 2, 100, 100) // { x0: 8, y0: 8, width: 14, height: 9 }
 */
export function regionAroundBox(box: Box, pad: number, imageWidth: number, imageHeight: number): PlaneRegion {
  const x0 = Math.max(0, Math.floor(box[0]) - pad);
  const y0 = Math.max(0, Math.floor(box[1]) - pad);
  const x1 = Math.min(imageWidth - 1, Math.ceil(box[2]) + pad);
  const y1 = Math.min(imageHeight - 1, Math.ceil(box[3]) + pad);
  return { x0, y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/** The region's values, row-major, as float64. */
export function cropPlane(values: ArrayLike<number>, imageWidth: number, region: PlaneRegion): Float64Array {
  const out = new Float64Array(region.width * region.height);
  for (let y = 0; y < region.height; y++) {
    const from = (region.y0 + y) * imageWidth + region.x0;
    for (let x = 0; x < region.width; x++) out[y * region.width + x] = values[from + x] as number;
  }
  return out;
}

/** The region's part of a 0/1 mask. */
export function cropMask(mask: ArrayLike<number>, imageWidth: number, region: PlaneRegion): Uint8Array {
  const out = new Uint8Array(region.width * region.height);
  for (let y = 0; y < region.height; y++) {
    const from = (region.y0 + y) * imageWidth + region.x0;
    for (let x = 0; x < region.width; x++) out[y * region.width + x] = mask[from + x] ? 1 : 0;
  }
  return out;
}

/** A region's mask placed in an otherwise empty image-size mask. */
export function pasteMask(
  mask: Uint8Array,
  region: PlaneRegion,
  imageWidth: number,
  imageHeight: number,
): Uint8Array {
  const out = new Uint8Array(imageWidth * imageHeight);
  for (let y = 0; y < region.height; y++) {
    out.set(mask.subarray(y * region.width, (y + 1) * region.width), (region.y0 + y) * imageWidth + region.x0);
  }
  return out;
}

/** A pixel box in the region's own coordinates. */
export function boxInRegion(box: Box, region: PlaneRegion): Box {
  return [box[0] - region.x0, box[1] - region.y0, box[2] - region.x0, box[3] - region.y0];
}
