/**
 * Binary morphology on 0/1 masks (row-major, width x height), with scipy.ndimage's
 * conventions: erosion and dilation by the 3 x 3 square, outside the plane counts
 * as background; connected components and hole filling with 4-connectivity.
 */

/** Pixels set to 1. */
export function countSet(mask: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) n++;
  return n;
}

function step(mask: Uint8Array, width: number, height: number, erode: boolean): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let hit = erode;
      for (let dy = -1; dy <= 1 && hit === erode; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          const v = xx >= 0 && yy >= 0 && xx < width && yy < height && mask[yy * width + xx] === 1;
          if (erode ? !v : v) {
            hit = !erode;
            break;
          }
        }
      }
      out[y * width + x] = hit ? 1 : 0;
    }
  }
  return out;
}

/** Erosion by the 3 x 3 square, `iterations` times. */
export function erodeMask(mask: Uint8Array, width: number, height: number, iterations = 1): Uint8Array {
  let out = mask;
  for (let i = 0; i < iterations; i++) out = step(out, width, height, true);
  return out === mask ? mask.slice() : out;
}

/** Dilation by the 3 x 3 square, `iterations` times. */
export function dilateMask(mask: Uint8Array, width: number, height: number, iterations = 1): Uint8Array {
  let out = mask;
  for (let i = 0; i < iterations; i++) out = step(out, width, height, false);
  return out === mask ? mask.slice() : out;
}

/** Labels of 4-connected regions where `value` holds, 0 elsewhere; and their sizes (index = label). */
function labelRegions(
  mask: ArrayLike<number>,
  width: number,
  height: number,
  value: 0 | 1,
): { labels: Int32Array; sizes: number[]; touchesBorder: boolean[] } {
  const labels = new Int32Array(width * height);
  const sizes = [0];
  const touchesBorder = [false];
  const stack: number[] = [];
  for (let start = 0; start < labels.length; start++) {
    if ((mask[start] ? 1 : 0) !== value || labels[start] !== 0) continue;
    const label = sizes.length;
    let size = 0;
    let border = false;
    labels[start] = label;
    stack.push(start);
    while (stack.length > 0) {
      const p = stack.pop() as number;
      size++;
      const x = p % width;
      const y = (p - x) / width;
      if (x === 0 || y === 0 || x === width - 1 || y === height - 1) border = true;
      const neighbours = [x > 0 ? p - 1 : -1, x < width - 1 ? p + 1 : -1, y > 0 ? p - width : -1, y < height - 1 ? p + width : -1];
      for (const q of neighbours) {
        if (q < 0 || labels[q] !== 0 || (mask[q] ? 1 : 0) !== value) continue;
        labels[q] = label;
        stack.push(q);
      }
    }
    sizes.push(size);
    touchesBorder.push(border);
  }
  return { labels, sizes, touchesBorder };
}

/** The largest 4-connected component (the first found on a tie); an empty mask stays empty. */
export function keepLargestComponent(mask: Uint8Array, width: number, height: number): Uint8Array {
  const { labels, sizes } = labelRegions(mask, width, height, 1);
  if (sizes.length <= 2) return mask.slice();
  let best = 1;
  for (let l = 2; l < sizes.length; l++) if ((sizes[l] as number) > (sizes[best] as number)) best = l;
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < out.length; i++) out[i] = labels[i] === best ? 1 : 0;
  return out;
}

/** The mask with every background region that does not reach the plane's edge filled. */
export function fillHoles(mask: Uint8Array, width: number, height: number): Uint8Array {
  const { labels, touchesBorder } = labelRegions(mask, width, height, 0);
  const out = mask.slice();
  for (let i = 0; i < out.length; i++) {
    const l = labels[i] as number;
    if (l !== 0 && !touchesBorder[l]) out[i] = 1;
  }
  return out;
}
