/**
 * The expert GTV of ../shared/data/ct-sarcoma (CT, MR, PET; NIfTI masks on the
 * DICOM series) measured by the core and by the numpy brute force.
 */

import path from 'node:path';
import { measureSegment } from '../../../extension/src/core/quant/measureSegment';
import { readPetSuvHeaders } from '../../../extension/src/core/quant/petHeaders';
import { countMaskVoxels } from '../../../extension/src/core/quant/volume';
import { loadDicomSeries } from '../../support/loadDicomSeries';
import { loadNifti, mapNiftiToSeries, selectMask } from '../../support/loadNifti';
import { SHARED_DATA } from '../../support/runPythonJson';
import {
  describeCase,
  expectClose,
  expectMatchesReference,
  runMasksReference,
} from './referenceAnswers';

const SARCOMA = path.join(SHARED_DATA, 'ct-sarcoma');

function measureModality(folder: 'ct' | 'mr' | 'pet') {
  const series = loadDicomSeries(path.join(SARCOMA, folder));
  const nifti = path.join(SARCOMA, `${folder}-nifti`, 'mask.nii.gz');
  const mask = selectMask(mapNiftiToSeries(loadNifti(nifti), series.geometry), (v) => v > 0);
  const petHeaders = folder === 'pet' ? series.datasets.map(readPetSuvHeaders) : undefined;
  const measurement = measureSegment(
    {
      geometry: series.geometry,
      pixels: series.slices,
      nominalSpacing: series.nominalSpacing,
      petHeaders,
    },
    { segmentNumber: 1, label: 'GTV', mask },
  );
  const voxelMm = Math.max(...series.geometry.images[0]!.PixelSpacing);
  return { series, nifti, mask, measurement, voxelMm };
}

describe('ct-sarcoma GTV', () => {
  it.each(['ct', 'mr'] as const)('%s: volume, diameters and statistics match numpy', (folder) => {
    const { series, nifti, mask, measurement, voxelMm } = measureModality(folder);
    const reference = runMasksReference({
      dicom: path.join(SARCOMA, folder),
      nifti,
      cases: [describeCase(null, measurement)],
    });
    const ref = reference.cases[0]!;
    expect(ref.voxelCount).toBe(17090);
    expect(mask.map((s) => (s ? countMaskVoxels(s) : 0))).toEqual(ref.perSlice);
    expectMatchesReference(measurement, ref, voxelMm);
    expect(measurement.intensity?.unit).toBe(folder === 'ct' ? 'HU' : 'a.u.');
    // About 53 mL (data README) on 0.977 × 0.977 × 3.27 mm voxels.
    expect(measurement.volumeMl).toBeCloseTo((17090 * 0.976562 ** 2 * 3.27) / 1000, 1);
    expect(series.geometry.images).toHaveLength(folder === 'ct' ? 48 : 35);
  });

  it('pet: stored SUV (Units GML) is not converted again', () => {
    const { series, nifti, measurement, voxelMm } = measureModality('pet');
    const reference = runMasksReference({
      dicom: path.join(SARCOMA, 'pet'),
      nifti,
      cases: [describeCase(null, measurement, { suvPeak: true })],
    });
    const ref = reference.cases[0]!;
    expect(series.datasets[0]?.['Units']).toBe('GML');
    expect(ref.voxelCount).toBe(555);
    expectMatchesReference(measurement, ref, voxelMm);
    const pet = measurement.pet;
    if (pet?.status !== 'suv') throw new Error('expected SUV');
    expect(pet.source).toBe('stored');
    // SUVmax is the stored maximum (rescaled) under the mask, not a multiple of it.
    expectClose(pet.suvMax, ref.stats.max);
    expectClose(pet.suvMean, ref.stats.mean);
    expectClose(pet.suvPeak?.value, ref.suvPeak!.value);
    const { sliceIndex, row, column } = pet.suvPeak!.centre;
    expect([sliceIndex, row, column]).toEqual(ref.suvPeak!.centre);
    expectClose(pet.tlgG, ref.stats.mean * ref.volumeMl);
    expect(pet.mtvMl).toBe(measurement.volumeMl);
  });
});
