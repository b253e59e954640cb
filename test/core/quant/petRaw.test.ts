/**
 * SUVbw on ../shared/data/pet-raw (GE, Units BQML, DecayCorrection START):
 * the core with @cornerstonejs/calculate-suv against a hand computation from
 * the headers, on the RTSTRUCT's GTV_Mass rasterised by the Python reference.
 */

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { measureSegment } from '../../../extension/src/core/quant/measureSegment';
import { readPetSuvHeaders } from '../../../extension/src/core/quant/petHeaders';
import { computeSuvScaling } from '../../../extension/src/core/quant/suv';
import { loadDicomSeries, type LoadedSeries } from '../../support/loadDicomSeries';
import { runPythonJson, SHARED_DATA } from '../../support/runPythonJson';
import { REFERENCE_SCRIPT, expectClose, type ReferenceStats } from './referenceAnswers';

const PET_RAW = path.join(SHARED_DATA, 'pet-raw');
/** The tolerance for SUV against the hand computation. */
const SUV_TOLERANCE = 0.005;

interface PetRawAnswer {
  voxelCount: number;
  factor: number;
  elapsedS: number;
  units: string;
  decayCorrection: string;
  stats: ReferenceStats;
  suvPeak: { value: number; centre: [number, number, number]; count: number };
  volumeMl: number;
  perSlice: number[];
}

let series: LoadedSeries;
let reference: PetRawAnswer;
let mask: (Uint8Array | null)[];

beforeAll(() => {
  series = loadDicomSeries(path.join(PET_RAW, 'dicom'));
  const outDir = mkdtempSync(path.join(tmpdir(), 'pet-raw-mask-'));
  try {
    const maskOut = path.join(outDir, 'mask.raw');
    reference = runPythonJson(REFERENCE_SCRIPT, {
      command: 'pet-raw',
      dicom: path.join(PET_RAW, 'dicom'),
      rtstruct: path.join(PET_RAW, 'rtstruct', '1-1.dcm'),
      roi: 'GTV_Mass',
      maskOut,
    }) as PetRawAnswer;
    const bytes = new Uint8Array(readFileSync(maskOut));
    const size = series.geometry.images[0]!.Rows * series.geometry.images[0]!.Columns;
    mask = series.slices.map((_, s) => {
      const slice = bytes.slice(s * size, (s + 1) * size);
      return slice.some((v) => v !== 0) ? slice : null;
    });
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
});

function measure(headers = series.datasets.map(readPetSuvHeaders)) {
  return measureSegment(
    { geometry: series.geometry, pixels: series.slices, petHeaders: headers },
    { segmentNumber: 1, label: 'GTV_Mass', mask },
  );
}

describe('pet-raw SUVbw', () => {
  it('matches the hand computation from the headers within 0.5 %', () => {
    expect(reference).toMatchObject({ units: 'BQML', decayCorrection: 'START', elapsedS: 2711 });
    expect(reference.voxelCount).toBeGreaterThan(1000);
    const scaling = computeSuvScaling(series.datasets.map(readPetSuvHeaders));
    if (scaling.status !== 'available') throw new Error(JSON.stringify(scaling));
    expect(scaling.source).toBe('computed');
    for (const factor of scaling.factors) {
      expect(Math.abs(factor / reference.factor - 1)).toBeLessThanOrEqual(SUV_TOLERANCE);
    }
    const m = measure();
    const pet = m.pet;
    if (pet?.status !== 'suv') throw new Error('expected SUV');
    expect(m.voxelCount).toBe(reference.voxelCount);
    for (const [actual, expected] of [
      [pet.suvMax, reference.stats.max],
      [pet.suvMean, reference.stats.mean],
      [m.intensity?.median, reference.stats.median],
      [pet.suvPeak?.value, reference.suvPeak.value],
      [pet.tlgG, reference.stats.mean * reference.volumeMl],
    ] as const) {
      expect(Math.abs((actual ?? NaN) / expected - 1)).toBeLessThanOrEqual(SUV_TOLERANCE);
    }
    // Same voxel for the peak, and the same per-slice volume rule on the
    // uneven gaps of this series (one gap is 3.29 mm, the others 3.27).
    const { sliceIndex, row, column } = pet.suvPeak!.centre;
    expect([sliceIndex, row, column]).toEqual(reference.suvPeak.centre);
    expectClose(pet.mtvMl, reference.volumeMl, 1e-9);
  });

  it('reports raw Bq/mL and names the missing header when the weight is absent', () => {
    const headers = series.datasets.map((d) => {
      const { PatientWeight: _weight, ...rest } = readPetSuvHeaders(d);
      return rest;
    });
    const pet = measure(headers).pet;
    expect(pet).toMatchObject({ status: 'raw', rawUnit: 'Bq/mL', missing: ['PatientWeight'] });
    if (pet?.status !== 'raw') throw new Error('expected raw');
    expectClose(pet.rawMax, reference.stats.max / reference.factor);
    expectClose(pet.rawMean, reference.stats.mean / reference.factor);
  });
});
