/**
 * The NIfTI → DICOM mapping of loadNifti.ts against nibabel's own reading
 * (pulled voxel by voxel in Python), on the LPS ct-sarcoma masks and on the
 * LAS, row-flipped ct-organs label map.
 */

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { computeVoxelGrid, computePatientPosition } from '../../extension/src/core/quant/voxelGrid';
import { countMaskVoxels } from '../../extension/src/core/quant/volume';
import { REFERENCE_SCRIPT } from '../core/quant/referenceAnswers';
import { loadDicomDataset, loadDicomSeries, type NaturalizedDataset } from './loadDicomSeries';
import { loadNifti, mapNiftiToSeries, selectMask } from './loadNifti';
import { runPythonJson, SHARED_DATA } from './runPythonJson';

interface PullAnswer {
  shape: [number, number, number];
  nonzeroPerSlice: number[];
}

/** nibabel's values at every DICOM voxel centre, as the Python reference reads them. */
function pullWithNibabel(
  dicom: string,
  nifti: string,
): { answer: PullAnswer; values: Float32Array } {
  const outDir = mkdtempSync(path.join(tmpdir(), 'pull-nifti-'));
  try {
    const out = path.join(outDir, 'values.raw');
    const request = { command: 'pull', dicom, nifti, out };
    const answer = runPythonJson(REFERENCE_SCRIPT, request) as PullAnswer;
    const bytes = readFileSync(out);
    const values = new Float32Array(new Uint8Array(bytes).buffer);
    return { answer, values };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

function expectSameVoxels(mapped: Float32Array[], values: Float32Array): void {
  let mismatches = 0;
  mapped.forEach((slice, s) => {
    slice.forEach((v, i) => {
      if (v !== values[s * slice.length + i]) mismatches++;
    });
  });
  expect(mismatches).toBe(0);
}

/** z of every contour point of the first ROI of an RTSTRUCT, read with dcmjs. */
function contourPlanes(rtstruct: NaturalizedDataset): number[] {
  const rois = rtstruct['ROIContourSequence'] as { ContourSequence: { ContourData: number[] }[] }[];
  return [...new Set(rois[0]!.ContourSequence.map((c) => Number(c.ContourData[2]!.toFixed(2))))];
}

describe('loadNifti + mapNiftiToSeries', () => {
  it('ct-sarcoma/ct mask: 17,090 voxels, per slice as nibabel, on the RTSTRUCT planes', () => {
    const dicom = path.join(SHARED_DATA, 'ct-sarcoma', 'ct');
    const nifti = path.join(SHARED_DATA, 'ct-sarcoma', 'ct-nifti', 'mask.nii.gz');
    const series = loadDicomSeries(dicom);
    const volume = loadNifti(nifti);
    expect(volume).toMatchObject({ dims: [161, 143, 48], affineSource: 'qform' });
    const mapped = mapNiftiToSeries(volume, series.geometry);
    const { answer, values } = pullWithNibabel(dicom, nifti);
    expectSameVoxels(mapped, values);
    const mask = selectMask(mapped, (v) => v > 0);
    const perSlice = mask.map((m) => (m ? countMaskVoxels(m) : 0));
    expect(perSlice).toEqual(answer.nonzeroPerSlice);
    expect(perSlice.reduce((a, b) => a + b)).toBe(17090);

    // Plausible overlap with the expert contour: the mask's slices are the 16
    // contour planes, its centroid is inside the image, its mean is soft tissue.
    const rt = loadDicomDataset(path.join(SHARED_DATA, 'ct-sarcoma', 'ct-rtstruct', 'RS.dcm'));
    const grid = computeVoxelGrid(series.geometry);
    const planeOf = (s: number): number => Number(grid.slicePositionsMm[s]!.toFixed(2));
    const maskPlanes = perSlice.flatMap((n, s) => (n > 0 ? [planeOf(s)] : []));
    expect(maskPlanes.sort()).toEqual(contourPlanes(rt).sort());
    let sumRow = 0;
    let sumColumn = 0;
    let sumHu = 0;
    mask.forEach((m, s) =>
      m?.forEach((v, i) => {
        if (!v) return;
        sumRow += Math.floor(i / grid.columns);
        sumColumn += i % grid.columns;
        sumHu += series.slices[s]![i]!;
      }),
    );
    const centroid = [sumRow / 17090, sumColumn / 17090];
    expect(centroid[0]).toBeGreaterThan(0);
    expect(centroid[0]).toBeLessThan(grid.rows - 1);
    expect(centroid[1]).toBeGreaterThan(0);
    expect(centroid[1]).toBeLessThan(grid.columns - 1);
    expect(sumHu / 17090).toBeGreaterThan(0);
    expect(sumHu / 17090).toBeLessThan(100);
  });

  it('ct-organs labels (LAS, rows flipped): every voxel as nibabel, liver on the right', () => {
    const dicom = path.join(SHARED_DATA, 'ct-organs', 'dicom');
    const nifti = path.join(SHARED_DATA, 'ct-organs', 'labels', 'example_seg_dicom.nii.gz');
    const series = loadDicomSeries(dicom);
    const volume = loadNifti(nifti);
    expect(volume.affineSource).toBe('sform');
    const mapped = mapNiftiToSeries(volume, series.geometry);
    const { answer, values } = pullWithNibabel(dicom, nifti);
    expect(answer.shape).toEqual([20, 512, 512]);
    expectSameVoxels(mapped, values);
    // L: NIfTI i runs with the DICOM columns; A: j = 511 is DICOM row 0, so
    // row r is j = 511 − r; k = 0 is the slice at z = −804.5.
    const [nx] = volume.dims;
    const labelAt = (i: number, j: number): number => volume.data[j * nx + i]!;
    let checked = 0;
    for (let r = 0; r < 512; r += 7) {
      for (let c = 0; c < 512; c += 5) {
        expect(mapped[0]![r * 512 + c]).toBe(labelAt(c, 511 - r));
        checked += labelAt(c, 511 - r) > 0 ? 1 : 0;
      }
    }
    expect(checked).toBeGreaterThan(100);
    const grid = computeVoxelGrid(series.geometry);
    expect(grid.slicePositionsMm[0]).toBe(-804.5);
    // LPS x grows to the patient's left: the liver's centroid has x < 0.
    const liver = selectMask(mapped, (v) => v === 5);
    let sumX = 0;
    let n = 0;
    liver.forEach((m, s) =>
      m?.forEach((v, i) => {
        if (!v) return;
        sumX += computePatientPosition(grid, s, Math.floor(i / 512), i % 512)[0];
        n++;
      }),
    );
    expect(n).toBe(366708);
    expect(sumX / n).toBeLessThan(0);
  });

  it('refuses a mask on another grid', () => {
    const pet = loadDicomSeries(path.join(SHARED_DATA, 'ct-sarcoma', 'pet'));
    const ctMask = loadNifti(path.join(SHARED_DATA, 'ct-sarcoma', 'ct-nifti', 'mask.nii.gz'));
    expect(() => mapNiftiToSeries(ctMask, pet.geometry)).toThrow(/grid|cover|match/);
  });
});
