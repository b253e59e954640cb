/**
 * Reference measurements of a ground-truth mask, computed here by the plainest
 * means (no code shared with core/quant), so the panel's numbers are checked
 * against an independent computation.
 */
import type { GroundTruthCase } from './groundTruth';

const MM3_PER_ML = 1000;

function slicePositionsMm(truth: GroundTruthCase): number[] {
  const first = truth.series.geometry.images[0]!;
  const o = first.ImageOrientationPatient;
  const normal = [o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]];
  return truth.series.geometry.images.map((image) =>
    image.ImagePositionPatient.reduce((sum, v, k) => sum + v * normal[k]!, 0),
  );
}

/** Voxel count × pixel area × slice spacing (the series' spacing is uniform: checked). */
export function computeTrueVolumeMl(truth: GroundTruthCase): { volumeMl: number; voxels: number } {
  const positions = slicePositionsMm(truth);
  const gaps = positions.slice(1).map((p, i) => p - positions[i]!);
  const spacing = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  if (gaps.some((g) => Math.abs(g - spacing) > 0.01))
    throw new Error('the reference assumes uniform slice spacing');
  const [rowMm, columnMm] = truth.series.geometry.images[0]!.PixelSpacing;
  const voxels = truth.masks.reduce((n, mask) => n + mask.reduce((m, v) => m + (v ? 1 : 0), 0), 0);
  return { volumeMl: (voxels * rowMm * columnMm * spacing) / MM3_PER_ML, voxels };
}

/** Largest distance between two mask pixel centres on one slice, over all slices (brute force). */
export function computeLongestDiameterMm(truth: GroundTruthCase): {
  lengthMm: number;
  sliceIndex: number;
} {
  const { Columns, PixelSpacing } = truth.series.geometry.images[0]!;
  const [rowMm, columnMm] = PixelSpacing;
  let best = { lengthMm: 0, sliceIndex: -1 };
  truth.masks.forEach((mask, sliceIndex) => {
    const xs: number[] = [];
    const ys: number[] = [];
    mask.forEach((v, i) => {
      if (!v) return;
      xs.push((i % Columns) * columnMm);
      ys.push(Math.floor(i / Columns) * rowMm);
    });
    let longest = 0;
    for (let a = 0; a < xs.length; a++) {
      for (let b = a + 1; b < xs.length; b++) {
        longest = Math.max(longest, (xs[a]! - xs[b]!) ** 2 + (ys[a]! - ys[b]!) ** 2);
      }
    }
    if (Math.sqrt(longest) > best.lengthMm + 1e-9)
      best = { lengthMm: Math.sqrt(longest), sliceIndex };
  });
  return best;
}

/** Mean, min and max of the series' rescaled pixel values inside the mask. */
export function computeMaskedStatistics(truth: GroundTruthCase): {
  mean: number;
  min: number;
  max: number;
} {
  let sum = 0;
  let count = 0;
  let min = Infinity;
  let max = -Infinity;
  truth.masks.forEach((mask, k) => {
    const pixels = truth.series.slices[k]!;
    mask.forEach((v, i) => {
      if (!v) return;
      const value = pixels[i]!;
      sum += value;
      count++;
      min = Math.min(min, value);
      max = Math.max(max, value);
    });
  });
  return { mean: sum / count, min, max };
}

/** The truth's masks by SOPInstanceUID, as the viewer's labelmap images are keyed. */
export function masksBySop(truth: GroundTruthCase): Map<string, Uint8Array> {
  return new Map(truth.masks.map((mask, k) => [truth.SOPInstanceUIDs[k]!, mask]));
}
