/**
 * Ground truth of the sarcoma study for end-to-end tests: the expert mask of
 * ../shared/data/ct-sarcoma/<modality>-nifti mapped onto the DICOM series
 * (through patient space: see test/support/loadNifti.ts), and Dice.
 */
import path from 'node:path';
import { loadDicomSeries, type LoadedSeries } from '../../support/loadDicomSeries';
import { loadNifti, mapNiftiToSeries } from '../../support/loadNifti';
import type { PixelBox } from './viewerPage';
import { SHARED_DATA } from './testStack';

export interface GroundTruthCase {
  series: LoadedSeries;
  /** 0/1 mask per image, geometry order. */
  masks: Uint8Array[];
  SOPInstanceUIDs: string[];
  SeriesInstanceUID: string;
}

export function loadSarcomaCase(modality: 'ct' | 'mr' | 'pet'): GroundTruthCase {
  const dir = path.join(SHARED_DATA, 'ct-sarcoma');
  const series = loadDicomSeries(path.join(dir, modality));
  const mapped = mapNiftiToSeries(loadNifti(path.join(dir, `${modality}-nifti`, 'mask.nii.gz')), series.geometry);
  return {
    series,
    masks: mapped.map((slice) => Uint8Array.from(slice, (v) => (v > 0.5 ? 1 : 0))),
    SOPInstanceUIDs: series.geometry.images.map((i) => i.SOPInstanceUID),
    SeriesInstanceUID: series.geometry.SeriesInstanceUID,
  };
}

/** The middle of the slices that hold the structure. */
export function middleSlice(masks: readonly Uint8Array[]): number {
  const withVoxels = masks.flatMap((m, i) => (m.some((v) => v !== 0) ? [i] : []));
  const middle = withVoxels[Math.floor(withVoxels.length / 2)];
  if (middle === undefined) throw new Error('the mask is empty');
  return middle;
}

/** Bounding box of a mask, grown by `margin` pixels and clipped to the image. */
export function maskBox(mask: Uint8Array, columns: number, rows: number, margin: number): PixelBox {
  let [c0, r0, c1, r1] = [columns, rows, -1, -1];
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    const c = i % columns;
    const r = Math.floor(i / columns);
    c0 = Math.min(c0, c);
    c1 = Math.max(c1, c);
    r0 = Math.min(r0, r);
    r1 = Math.max(r1, r);
  }
  return [Math.max(0, c0 - margin), Math.max(0, r0 - margin), Math.min(columns - 1, c1 + margin), Math.min(rows - 1, r1 + margin)];
}

/** 3D Dice of predicted masks (by SOPInstanceUID) against the ground truth. */
export function computeDice(truth: GroundTruthCase, predicted: Map<string, Uint8Array>): number {
  let both = 0;
  let sum = 0;
  truth.masks.forEach((gt, k) => {
    const p = predicted.get(truth.SOPInstanceUIDs[k]!);
    for (let i = 0; i < gt.length; i++) {
      const a = gt[i]! ? 1 : 0;
      const b = p?.[i] ? 1 : 0;
      both += a & b;
      sum += a + b;
    }
  });
  return sum === 0 ? 1 : (2 * both) / sum;
}
