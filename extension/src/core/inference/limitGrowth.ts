/**
 * A continuity rule for slice-to-slice propagation: a lesion's outline moves little
 * from one slice to the next, so the part of a new mask far from the previous
 * slice's mask is a leak into the neighbouring tissue (muscle around a sarcoma,
 * bowel beside the spleen), which a box prompt alone does not prevent: the box of a
 * leaked mask is larger, so the next slice leaks further.
 *
 * The allowed distance scales with the previous mask's size (its equivalent
 * radius, sqrt(area / pi)): the same rule then holds for a 4 mm PET pixel and a
 * 0.7 mm CT pixel, and for a 1 cm node and a liver.
 */

/** Distance from each pixel to the nearest set pixel (3-4 chamfer, in pixels). */
export function computeDistanceToMask(mask: ArrayLike<number>, width: number, height: number): Float32Array {
  const far = width + height;
  const distance = new Float32Array(width * height);
  for (let i = 0; i < distance.length; i++) distance[i] = mask[i] ? 0 : far;
  const straight = 1;
  const diagonal = Math.SQRT2;
  // forward pass: top-left to bottom-right
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      let d = distance[i] as number;
      if (x > 0) d = Math.min(d, (distance[i - 1] as number) + straight);
      if (y > 0) {
        d = Math.min(d, (distance[i - width] as number) + straight);
        if (x > 0) d = Math.min(d, (distance[i - width - 1] as number) + diagonal);
        if (x < width - 1) d = Math.min(d, (distance[i - width + 1] as number) + diagonal);
      }
      distance[i] = d;
    }
  }
  // backward pass: bottom-right to top-left
  for (let y = height - 1; y >= 0; y--) {
    for (let x = width - 1; x >= 0; x--) {
      const i = y * width + x;
      let d = distance[i] as number;
      if (x < width - 1) d = Math.min(d, (distance[i + 1] as number) + straight);
      if (y < height - 1) {
        d = Math.min(d, (distance[i + width] as number) + straight);
        if (x < width - 1) d = Math.min(d, (distance[i + width + 1] as number) + diagonal);
        if (x > 0) d = Math.min(d, (distance[i + width - 1] as number) + diagonal);
      }
      distance[i] = d;
    }
  }
  return distance;
}

/**
 * The new mask without its pixels farther from the previous mask than
 * `fraction` x the previous mask's equivalent radius (at least `minimumPixels`).
 * An empty previous mask leaves the new mask as it is.
 */
export function limitGrowth(
  mask: Uint8Array,
  previous: ArrayLike<number>,
  width: number,
  height: number,
  fraction: number,
  minimumPixels = 2,
): Uint8Array {
  let area = 0;
  for (let i = 0; i < previous.length; i++) if (previous[i]) area++;
  if (area === 0 || fraction <= 0) return mask;
  const allowed = Math.max(minimumPixels, fraction * Math.sqrt(area / Math.PI));
  const distance = computeDistanceToMask(previous, width, height);
  const limited = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] && (distance[i] as number) <= allowed) limited[i] = 1;
  }
  return limited;
}
