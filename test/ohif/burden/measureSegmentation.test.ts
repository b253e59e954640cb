/**
 * The adapter between the viewer and the quantification core, on synthetic
 * series held by a fake viewer: geometry sorted along the normal whatever the
 * viewer's order, only the needed images loaded, pixel values in modality
 * units, and PET pixels that the viewer pre-scaled to SUV converted once.
 */
import { BurdenError } from '../../../extension/src/ohif/burden/burdenError';
import type { LabelmapSegmentation } from '../../../extension/src/ohif/burden/labelmapSegments';
import {
  findSlicesToRead,
  measureSegmentation,
} from '../../../extension/src/ohif/burden/measureSegmentation';
import {
  computeStoredUnitValues,
  describeSourceSeries,
} from '../../../extension/src/ohif/burden/sourceSeries';
import {
  addAxialSeries,
  createFakeViewer,
  pixelImage,
  setMetadata,
  type FakeViewer,
} from './fakeViewer';

const ROWS = 4;
const COLUMNS = 5;
const PIXEL_MM = 0.5;
const SLICE_MM = 2;
const SLICES = 6;

/** PET headers for SUV with ADMIN decay correction: factor = weight (g) / dose (Bq). */
const PET_WEIGHT_KG = 70;
const PET_DOSE_BQ = 350e6;
const SUV_FACTOR = (PET_WEIGHT_KG * 1000) / PET_DOSE_BQ;
const PET_INSTANCE = {
  Units: 'BQML',
  DecayCorrection: 'ADMIN',
  CorrectedImage: ['ATTN', 'DECY'],
  PatientWeight: PET_WEIGHT_KG,
  SeriesDate: '20200101',
  SeriesTime: '120000',
  AcquisitionDate: '20200101',
  AcquisitionTime: '120000',
  RadiopharmaceuticalInformationSequence: [
    {
      RadionuclideTotalDose: PET_DOSE_BQ,
      RadionuclideHalfLife: 6586.2,
      RadiopharmaceuticalStartTime: '110000',
    },
  ],
};

/** A labelmap whose segment 1 covers a 2 × 2 square on slices 2 and 3 (by z index). */
function addSquareLesion(viewer: FakeViewer, sourceIds: string[]): LabelmapSegmentation {
  const bySource = new Map<string, string>();
  for (const source of sourceIds) {
    const z = Number(source.split(':')[1]);
    const values = new Uint8Array(ROWS * COLUMNS);
    if (z === 2 || z === 3) for (const i of [6, 7, 11, 12]) values[i] = 1;
    viewer.cache.set(`lm-${source}`, pixelImage(values, { referencedImageId: source }));
    bySource.set(source, `lm-${source}`);
  }
  return {
    segmentationId: 'seg',
    label: 'Lesions',
    segments: [{ segmentIndex: 1, label: 'Lesion 1' }],
    sourceImageIds: sourceIds,
    layers: [{ bySource, valueToSegment: null }],
  };
}

const hooks = {
  onProgress: () => undefined,
  isStale: () => false,
  yieldToPage: async () => undefined,
};

describe('pixel values for the core', () => {
  it('applies the rescale unless the viewer did, and divides out a viewer SUV scaling', () => {
    const stored = [10, 20];
    expect([
      ...computeStoredUnitValues(pixelImage(stored, { slope: 2, intercept: -5 }), 'CT'),
    ]).toEqual([15, 35]);
    const scaledCt = pixelImage([-1000, 40], {
      slope: 1,
      intercept: -1024,
      preScale: { scaled: true },
    });
    expect([...computeStoredUnitValues(scaledCt, 'CT')]).toEqual([-1000, 40]);
    const suvbw = 2.5e-4;
    const scaledPet = pixelImage(Float32Array.from([4000 * suvbw, 8000 * suvbw]), {
      preScale: { scaled: true, scalingParameters: { suvbw, modality: 'PT' } },
    });
    const activity = computeStoredUnitValues(scaledPet, 'PT');
    expect(activity[0]).toBeCloseTo(4000, 2);
    expect(activity[1]).toBeCloseTo(8000, 2);
    // Not pre-scaled: the SUV factor was never applied, so nothing is divided.
    const unscaledPet = pixelImage([4000], {
      slope: 1,
      intercept: 0,
      preScale: { scalingParameters: { suvbw } },
    });
    expect([...computeStoredUnitValues(unscaledPet, 'PT')]).toEqual([4000]);
  });
});

describe('source series from the viewer', () => {
  it('sorts along the normal, whatever order the viewer lists the images in', () => {
    const viewer = createFakeViewer();
    const ids = addAxialSeries(viewer, {
      prefix: 'ct',
      count: SLICES,
      rows: ROWS,
      columns: COLUMNS,
      sliceMm: SLICE_MM,
      pixelMm: PIXEL_MM,
      modality: 'CT',
    });
    const series = describeSourceSeries(viewer.libraries, ids);
    expect(series.imageIds).toEqual([...ids].reverse());
    expect(series.geometry.images.map((i) => i.ImagePositionPatient[2])).toEqual([
      0, 2, 4, 6, 8, 10,
    ]);
    expect(series.geometry).toMatchObject({
      Modality: 'CT',
      SeriesInstanceUID: 'series-ct',
      FrameOfReferenceUID: '1.2.3',
    });
    expect(series.petHeaders).toBeUndefined();
  });

  it('reads the PET SUV headers from the instances', () => {
    const viewer = createFakeViewer();
    const ids = addAxialSeries(viewer, {
      prefix: 'pt',
      count: 2,
      rows: ROWS,
      columns: COLUMNS,
      sliceMm: SLICE_MM,
      pixelMm: PIXEL_MM,
      modality: 'PT',
    });
    for (const id of ids) setMetadata(viewer, 'instance', id, PET_INSTANCE);
    const series = describeSourceSeries(viewer.libraries, ids);
    expect(series.petHeaders?.[0]).toMatchObject({
      Units: 'BQML',
      PatientWeight: PET_WEIGHT_KG,
      RadionuclideTotalDose: PET_DOSE_BQ,
    });
  });

  it('refuses images without a plane or a pixel spacing, rather than guess', () => {
    const viewer = createFakeViewer();
    const ids = addAxialSeries(viewer, {
      prefix: 'ct',
      count: 2,
      rows: ROWS,
      columns: COLUMNS,
      sliceMm: SLICE_MM,
      pixelMm: PIXEL_MM,
      modality: 'CT',
    });
    const planes = viewer.metadata.get('imagePlaneModule')!;
    const plane = planes.get(ids[1]!) as Record<string, unknown>;
    planes.set(ids[1]!, { ...plane, rowPixelSpacing: null });
    expect(() => describeSourceSeries(viewer.libraries, ids)).toThrow(/pixel spacing/);
    planes.delete(ids[1]!);
    expect(() => describeSourceSeries(viewer.libraries, ids)).toThrow(BurdenError);
  });
});

describe('measuring one segmentation', () => {
  it('loads only the slices with voxels, and measures volume and HU on them', async () => {
    const viewer = createFakeViewer();
    const ids = addAxialSeries(viewer, {
      prefix: 'ct',
      count: SLICES,
      rows: ROWS,
      columns: COLUMNS,
      sliceMm: SLICE_MM,
      pixelMm: PIXEL_MM,
      modality: 'CT',
    });
    for (const id of ids) {
      const z = Number(id.split(':')[1]);
      viewer.loadable.set(
        id,
        pixelImage(new Int16Array(ROWS * COLUMNS).fill(100 + z), { slope: 1, intercept: -1024 }),
      );
    }
    const result = await measureSegmentation(viewer.libraries, addSquareLesion(viewer, ids), hooks);
    expect(viewer.loaded.sort()).toEqual(['ct:2', 'ct:3']);
    const [m] = result!.measurements;
    expect(m!.voxelCount).toBe(8);
    expect(m!.volumeMl).toBeCloseTo((8 * PIXEL_MM * PIXEL_MM * SLICE_MM) / 1000, 12);
    expect(m!.intensity).toMatchObject({
      unit: 'HU',
      min: 102 - 1024,
      max: 103 - 1024,
      mean: 102.5 - 1024,
    });
    expect(m!.diameters?.longAxis.lengthMm).toBeCloseTo(Math.SQRT2 * PIXEL_MM, 12);
  });

  it('gives SUV once when the viewer had already scaled PET pixels to SUV', async () => {
    const viewer = createFakeViewer();
    // 5 mm apart: the 6.2 mm SUVpeak sphere reaches one slice beyond the lesion's.
    const ids = addAxialSeries(viewer, {
      prefix: 'pt',
      count: SLICES,
      rows: ROWS,
      columns: COLUMNS,
      sliceMm: 5,
      pixelMm: PIXEL_MM,
      modality: 'PT',
    });
    const activityBqMl = 30_000;
    for (const id of ids) {
      setMetadata(viewer, 'instance', id, PET_INSTANCE);
      const suvPixels = new Float32Array(ROWS * COLUMNS).fill(activityBqMl * SUV_FACTOR);
      const preScale = { scaled: true, scalingParameters: { suvbw: SUV_FACTOR, modality: 'PT' } };
      viewer.loadable.set(id, pixelImage(suvPixels, { preScale }));
    }
    const result = await measureSegmentation(viewer.libraries, addSquareLesion(viewer, ids), hooks);
    const pet = result!.measurements[0]!.pet;
    expect(pet?.status).toBe('suv');
    if (pet?.status !== 'suv') return;
    expect(pet.source).toBe('computed');
    expect(pet.suvMax).toBeCloseTo(activityBqMl * SUV_FACTOR, 4);
    // SUVpeak's sphere reaches the neighbouring slices, so those were loaded too.
    expect(viewer.loaded.sort()).toEqual(['pt:1', 'pt:2', 'pt:3', 'pt:4']);
  });

  it('stops without a result when it goes stale', async () => {
    const viewer = createFakeViewer();
    const ids = addAxialSeries(viewer, {
      prefix: 'ct',
      count: SLICES,
      rows: ROWS,
      columns: COLUMNS,
      sliceMm: SLICE_MM,
      pixelMm: PIXEL_MM,
      modality: 'CT',
    });
    for (const id of ids) viewer.loadable.set(id, pixelImage(new Int16Array(ROWS * COLUMNS)));
    const stale = { ...hooks, isStale: () => true };
    await expect(
      measureSegmentation(viewer.libraries, addSquareLesion(viewer, ids), stale),
    ).resolves.toBeNull();
  });
});

describe('slices to read', () => {
  it('adds the slices within the SUVpeak sphere on PET only', () => {
    const viewer = createFakeViewer();
    const make = (modality: string) => {
      const ids = addAxialSeries(viewer, {
        prefix: modality,
        count: SLICES,
        rows: ROWS,
        columns: COLUMNS,
        sliceMm: 3.27,
        pixelMm: PIXEL_MM,
        modality,
      });
      return describeSourceSeries(viewer.libraries, ids);
    };
    const mask = [null, null, new Uint8Array(1), null, null, null];
    expect([...findSlicesToRead(make('CT'), [mask])]).toEqual([2]);
    // SUVpeak's 1 mL sphere has a radius of 6.2 mm: one slice either side at 3.27 mm.
    expect([...findSlicesToRead(make('PT'), [mask])].sort()).toEqual([1, 2, 3]);
  });
});
