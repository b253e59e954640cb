import { measureSegment, measureSegments } from '../../../extension/src/core/quant/measureSegment';
import { computeTumourBurdenTotals } from '../../../extension/src/core/quant/totals';
import {
  createSyntheticGeometry,
  drawMask,
  evenPositions,
  fillPixels,
} from '../../support/syntheticSeries';

const ctSpec = {
  rows: 20,
  columns: 20,
  pixelSpacing: [1, 1] as [number, number],
  slicePositions: evenPositions(5, 0, 2),
};
const petSpec = { ...ctSpec, Modality: 'PT' };

const cube = (x: number, y: number, z: number): boolean =>
  x >= 5 && x < 10 && y >= 5 && y < 9 && z <= 4;

describe('measureSegment', () => {
  it('measures a CT box: volume, diameters, HU statistics', () => {
    const series = {
      geometry: createSyntheticGeometry(ctSpec),
      pixels: fillPixels(ctSpec, (x) => 40 + x),
    };
    const segment = { segmentNumber: 1, label: 'box', mask: drawMask(ctSpec, cube) };
    const m = measureSegment(series, segment);
    // 5 × 4 pixels on slices z = 0, 2, 4; each slab 2 mm.
    expect(m.voxelCount).toBe(60);
    expect(m.volumeMl).toBeCloseTo(0.12, 12);
    expect(m.diameters?.longAxis.lengthMm).toBeCloseTo(5, 12); // √(4² + 3²)
    expect(m.intensity).toMatchObject({ unit: 'HU', min: 45, max: 49, median: 47, mean: 47 });
    expect(m.pet).toBeNull();
  });

  it('reports raw PET values and the missing headers, then totals without TLG', () => {
    const series = {
      geometry: createSyntheticGeometry(petSpec),
      pixels: fillPixels(petSpec, () => 5000),
      petHeaders: petSpec.slicePositions.map(() => ({ Units: 'BQML', PatientWeight: 70 })),
    };
    const segment = { segmentNumber: 2, label: 'pet', mask: drawMask(petSpec, cube) };
    const [m] = measureSegments(series, [segment]);
    expect(m?.intensity?.unit).toBe('Bq/mL');
    expect(m?.pet).toMatchObject({ status: 'raw', rawMax: 5000, rawMean: 5000 });
    expect(m?.pet?.mtvMl).toBe(m?.volumeMl);
    if (m?.pet?.status !== 'raw') throw new Error('expected raw');
    expect(m.pet.missing).toContain('RadionuclideTotalDose');
    expect(m.pet.missing).not.toContain('PatientWeight');
    const totals = computeTumourBurdenTotals([m]);
    expect(totals).toMatchObject({ lesionCount: 1, totalTlgG: null, segmentsWithoutSuv: [2] });
    expect(totals.totalMtvMl).toBeCloseTo(0.12, 12);
  });

  it('gives SUV metrics for stored SUV and sums them over lesions', () => {
    const series = {
      geometry: createSyntheticGeometry(petSpec),
      pixels: fillPixels(petSpec, (x) => x / 2),
      petHeaders: petSpec.slicePositions.map(() => ({ Units: 'GML' })),
    };
    const far = (x: number, y: number, z: number): boolean =>
      x >= 15 && x < 17 && y >= 15 && y < 17 && z === 0;
    const [a, b, empty] = measureSegments(series, [
      { segmentNumber: 1, label: 'a', mask: drawMask(petSpec, cube) },
      { segmentNumber: 2, label: 'b', mask: drawMask(petSpec, far) },
      { segmentNumber: 3, label: 'empty', mask: petSpec.slicePositions.map(() => null) },
    ]);
    if (a?.pet?.status !== 'suv' || b?.pet?.status !== 'suv') throw new Error('expected SUV');
    expect(a.pet).toMatchObject({ source: 'stored', suvMax: 4.5, suvMean: 3.5 });
    expect(a.pet.tlgG).toBeCloseTo(3.5 * 0.12, 12);
    expect(empty).toMatchObject({ voxelCount: 0, diameters: null, intensity: null, pet: null });
    const totals = computeTumourBurdenTotals([a, b, empty!]);
    expect(totals.lesionCount).toBe(2);
    expect(totals.totalVolumeMl).toBeCloseTo(a.volumeMl + b.volumeMl, 12);
    expect(totals.totalTlgG).toBeCloseTo(a.pet.tlgG + b.pet.tlgG, 12);
    expect(totals.sumOfLongestDiametersMm).toBeCloseTo(5 + Math.SQRT2, 12);
  });

  it('rejects masks that do not fit the series', () => {
    const geometry = createSyntheticGeometry(ctSpec);
    const series = { geometry, pixels: fillPixels(ctSpec, () => 0) };
    expect(() => measureSegment(series, { segmentNumber: 1, label: 'x', mask: [null] })).toThrow(
      expect.objectContaining({ code: 'quant.shapeMismatch' }),
    );
  });
});
