import { SUV_PEAK_RADIUS_MM, computeSuvPeak } from '../../../extension/src/core/quant/suvPeak';
import {
  computePatientPosition,
  computeVoxelGrid,
} from '../../../extension/src/core/quant/voxelGrid';
import {
  createSyntheticGeometry,
  drawMask,
  evenPositions,
  fillPixels,
} from '../../support/syntheticSeries';

const spec = {
  rows: 16,
  columns: 16,
  pixelSpacing: [4.6875, 4.6875] as [number, number],
  slicePositions: evenPositions(9, -13.08, 3.27),
  originXY: [-7 * 4.6875, -7 * 4.6875] as [number, number],
  Modality: 'PT',
};

describe('computeSuvPeak', () => {
  it('uses a 1 mL sphere: radius 6.2 mm, 15 voxels on 4.69 × 4.69 × 3.27 mm', () => {
    expect(SUV_PEAK_RADIUS_MM).toBeCloseTo(6.2035, 4);
    const grid = computeVoxelGrid(createSyntheticGeometry(spec));
    const mask = drawMask(spec, (x, y, z) => Math.abs(x) < 1 && Math.abs(y) < 1 && Math.abs(z) < 1);
    const pixels = fillPixels(spec, () => 3);
    const peak = computeSuvPeak(mask, pixels, grid, spec.slicePositions.map(() => 2));
    expect(peak?.voxelCount).toBe(15);
    expect(peak?.value).toBeCloseTo(6, 12);
  });

  it('centres on the hottest region, not a lone hottest voxel; matches a brute force', () => {
    const grid = computeVoxelGrid(createSyntheticGeometry(spec));
    const inLesion = (x: number, y: number, z: number): boolean =>
      Math.abs(x) < 25 && Math.abs(y) < 25 && Math.abs(z) < 8;
    const mask = drawMask(spec, inLesion);
    // A warm blob around (-15, 10, 0) and one hotter single voxel near (14, -14, 0).
    const spikeAt = [-7 * 4.6875 + 10 * 4.6875, -7 * 4.6875 + 4 * 4.6875];
    const pixels = fillPixels(spec, (x, y, z) => {
      const blob = 8 * Math.exp(-((x + 15) ** 2 + (y - 10) ** 2 + z ** 2) / 200);
      const spike = Math.hypot(x - spikeAt[0]!, y - spikeAt[1]!, z) < 1 ? 20 : 0;
      return 1 + blob + spike;
    });
    expect(Math.max(...pixels.map((p) => Math.max(...p)))).toBeGreaterThan(21);
    const factors = spec.slicePositions.map(() => 1);
    const peak = computeSuvPeak(mask, pixels, grid, factors);
    // Brute force: every lesion voxel as centre, every image voxel by distance.
    let best = -Infinity;
    let bestCentre: number[] = [];
    mask.forEach((slice, s) => {
      slice?.forEach((inside, i) => {
        if (!inside) return;
        const centre = computePatientPosition(grid, s, Math.floor(i / 16), i % 16);
        let sum = 0;
        let n = 0;
        pixels.forEach((image, t) => {
          image.forEach((value, j) => {
            const p = computePatientPosition(grid, t, Math.floor(j / 16), j % 16);
            const distance = Math.hypot(p[0] - centre[0], p[1] - centre[1], p[2] - centre[2]);
            if (distance <= SUV_PEAK_RADIUS_MM) {
              sum += value;
              n++;
            }
          });
        });
        if (sum / n > best) {
          best = sum / n;
          bestCentre = centre;
        }
      });
    });
    expect(peak?.value).toBeCloseTo(best, 10);
    expect(peak?.centrePatientMm).toEqual(bestCentre);
    expect(Math.hypot(bestCentre[0]! + 15, bestCentre[1]! - 10)).toBeLessThan(5);
  });
});
