/**
 * TotalSegmentator organ labels of ../shared/data/ct-organs (JPEG 2000 CT,
 * 3 mm slices every 2 mm; LAS NIfTI with rows flipped) measured by the core
 * and by the numpy brute force.
 */

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { measureSegments } from '../../../extension/src/core/quant/measureSegment';
import { countMaskVoxels } from '../../../extension/src/core/quant/volume';
import { loadDicomSeries } from '../../support/loadDicomSeries';
import { loadNifti, mapNiftiToSeries, selectMask } from '../../support/loadNifti';
import { SHARED_DATA } from '../../support/runPythonJson';
import { describeCase, expectMatchesReference, runMasksReference } from './referenceAnswers';

const ORGANS = path.join(SHARED_DATA, 'ct-organs');
const NIFTI = path.join(ORGANS, 'labels', 'example_seg_dicom.nii.gz');
const ORGAN_NAMES = ['liver', 'spleen', 'aorta', 'stomach'];

/** label → {voxels, volume_ml} from the shipped present_labels.tsv. */
function readPresentLabels(): Map<string, { label: number; voxels: number; volumeMl: number }> {
  const table = readFileSync(path.join(ORGANS, 'labels', 'present_labels.tsv'), 'utf8');
  const lines = table.trim().split('\n');
  return new Map(
    lines.slice(1).map((line) => {
      const [label, name, voxels, volume] = line.split('\t');
      const entry = { label: Number(label), voxels: Number(voxels), volumeMl: Number(volume) };
      return [name ?? '', entry];
    }),
  );
}

describe('ct-organs labels', () => {
  it('liver, spleen, aorta, stomach: volume, diameters and HU match numpy', () => {
    const series = loadDicomSeries(path.join(ORGANS, 'dicom'));
    const labelSlices = mapNiftiToSeries(loadNifti(NIFTI), series.geometry);
    const present = readPresentLabels();
    const organs = ORGAN_NAMES.map((name) => {
      const entry = present.get(name);
      if (!entry) throw new Error(`${name} is not in present_labels.tsv`);
      return { name, ...entry, mask: selectMask(labelSlices, (v) => v === entry.label) };
    });
    const measurements = measureSegments(
      { geometry: series.geometry, pixels: series.slices, nominalSpacing: series.nominalSpacing },
      organs.map((o) => ({ segmentNumber: o.label, label: o.name, mask: o.mask })),
    );
    const reference = runMasksReference({
      dicom: path.join(ORGANS, 'dicom'),
      nifti: NIFTI,
      cases: organs.map((o, i) => describeCase(o.label, measurements[i]!)),
    });
    // Volumes use the 2 mm spacing between positions, not the 3 mm SliceThickness.
    expect(series.nominalSpacing.SliceThickness).toBe(3);
    expect(reference.slab.every((t) => Math.abs(t - 2) < 1e-9)).toBe(true);
    organs.forEach((organ, i) => {
      const m = measurements[i]!;
      const ref = reference.cases[i]!;
      expect(ref.label).toBe(organ.label);
      expect(m.voxelCount).toBe(organ.voxels);
      expect(organ.mask.map((s) => (s ? countMaskVoxels(s) : 0))).toEqual(ref.perSlice);
      expect(Math.abs(m.volumeMl - organ.volumeMl)).toBeLessThanOrEqual(0.005);
      expectMatchesReference(m, ref, 0.9765625);
    });
  });
});
