/**
 * Boxes between the viewer, the image's pixel grid and the model's input space.
 *
 * Conventions (all boxes are [x0, y0, x1, y1], x along a row, y down the columns):
 * - Image coordinates (the viewer's, cornerstone's `worldToImageCoords`): continuous;
 *   pixel (i, j) covers [i, i+1) x [j, j+1), so (0, 0) is the outer corner of the
 *   first pixel.
 * - Pixel box: the column and row indices of the first and last pixel inside the
 *   box, inclusive. A box drawn around pixels i0..i1 x j0..j1 is [i0, j0, i1, j1].
 *   This is the authors' box: their training boxes are the min and max pixel
 *   indices of a mask, and their prompt encoder adds 0.5 to reach pixel centres.
 * - Model box: the pixel box scaled into the encoder input (S x S), per axis for
 *   `stretch` (x by S/W, y by S/H: MedSAM), by S/max(W, H) for `longest-side-pad`
 *   (LiteMedSAM, SAM), truncated to integers where the manifest says so (LiteMedSAM).
 */
import type { BoxRounding } from './modelManifest';
import type { InputGeometry } from './preprocess';

/** [x0, y0, x1, y1]. */
export type Box = [number, number, number, number];

/** A corner in continuous image coordinates: [column, row]. */
export type ImagePoint = [number, number];

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/**
 * The pixel box of the pixels whose centres lie inside a rectangle drawn in image
 * coordinates (two opposite corners, in any order), clipped to the image. A
 * rectangle that holds no pixel centre selects the pixel nearest its centre.
 * @example computePixelBoxFromImageRect([2, 1], [5, 3], 10, 10) // [2, 1, 4, 2]
 */
export function computePixelBoxFromImageRect(
  a: ImagePoint,
  b: ImagePoint,
  width: number,
  height: number,
): Box {
  const snap = (u0: number, u1: number, size: number): [number, number] => {
    const lo = Math.min(u0, u1);
    const hi = Math.max(u0, u1);
    // pixel i's centre is i + 0.5
    let first = Math.ceil(lo - 0.5);
    let last = Math.floor(hi - 0.5);
    if (last < first) first = last = Math.floor((lo + hi) / 2);
    return [clamp(first, 0, size - 1), clamp(last, 0, size - 1)];
  };
  const [x0, x1] = snap(a[0], b[0], width);
  const [y0, y1] = snap(a[1], b[1], height);
  return [x0, y0, x1, y1];
}

/** The rectangle in image coordinates that exactly covers a pixel box. */
export function computeImageRectFromPixelBox(box: Box): [ImagePoint, ImagePoint] {
  return [
    [box[0], box[1]],
    [box[2] + 1, box[3] + 1],
  ];
}

/** Factors from image pixels to model input pixels, [x, y]. */
export function computeModelScale(geometry: InputGeometry): [number, number] {
  const { inputSize: s, imageWidth: w, imageHeight: h } = geometry;
  if (geometry.resize === 'stretch') return [s / w, s / h];
  const scale = s / Math.max(w, h);
  return [scale, scale];
}

/**
 * A pixel box in model input coordinates.
 * @example // MedSAM, 200 x 100 image, S = 1024
 *   mapBoxToModel([10, 20, 50, 60], geometry, 'none') // [51.2, 204.8, 256, 614.4]
 */
export function mapBoxToModel(box: Box, geometry: InputGeometry, rounding: BoxRounding): Box {
  const { inputSize: s, imageWidth: w, imageHeight: h } = geometry;
  // each in its authors' order of operations: box / [W, H, W, H] * S (MedSAM),
  // box * (S / max(H, W)) (LiteMedSAM), so that truncation meets the same values
  const mapped: Box =
    geometry.resize === 'stretch'
      ? [(box[0] / w) * s, (box[1] / h) * s, (box[2] / w) * s, (box[3] / h) * s]
      : (box.map((v) => v * (s / Math.max(w, h))) as Box);
  return rounding === 'truncate' ? (mapped.map(Math.trunc) as Box) : mapped;
}

/** A model box back in (fractional) pixel-box coordinates: the inverse scaling. */
export function mapBoxFromModel(box: Box, geometry: InputGeometry): Box {
  const [sx, sy] = computeModelScale(geometry);
  return [box[0] / sx, box[1] / sy, box[2] / sx, box[3] / sy];
}

/**
 * Grows a model box by `margin` model pixels on every side, clipped to the input
 * (0..S-1): the slice-to-slice prompt of 3D propagation.
 */
export function expandModelBox(box: Box, margin: number, inputSize: number): Box {
  const max = inputSize - 1;
  return [
    clamp(box[0] - margin, 0, max),
    clamp(box[1] - margin, 0, max),
    clamp(box[2] + margin, 0, max),
    clamp(box[3] + margin, 0, max),
  ];
}

/**
 * The pixel box of a binary mask's set pixels, or undefined when it is empty.
 * @example computeMaskBox(Uint8Array.of(0,0,0, 0,1,1), 3, 2) // [1, 1, 2, 1]
 */
export function computeMaskBox(
  mask: ArrayLike<number>,
  width: number,
  height: number,
): Box | undefined {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (mask[row + x] === 0) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      y1 = y;
    }
  }
  return x1 < 0 ? undefined : [x0, y0, x1, y1];
}
