import { computeVolume, countMaskVoxels } from '../../../extension/src/core/quant/volume';
import { computeVoxelGrid } from '../../../extension/src/core/quant/voxelGrid';
import {
  createSyntheticGeometry,
  drawMask,
  evenPositions,
} from '../../support/syntheticSeries';

/** 1 mm × 1 mm pixels. */
const UNIT_SPACING: [number, number] = [1, 1];

describe('computeVolume', () => {
  it('counts non-zero bytes of any value, aligned or not, any length', () => {
    expect(countMaskVoxels(Uint8Array.from([0, 1, 255, 0, 7]))).toBe(3);
    const buffer = new Uint8Array(103);
    [0, 1, 5, 6, 7, 8, 50, 99, 100, 101, 102].forEach((i) => (buffer[i] = 1 + (i % 200)));
    for (const offset of [0, 1, 2, 3, 4]) {
      const view = new Uint8Array(buffer.buffer, offset, 103 - offset);
      const expected = Array.from(view).filter((v) => v !== 0).length;
      expect(countMaskVoxels(view)).toBe(expected);
    }
  });

  it('measures a sphere on anisotropic voxels to the voxel geometry', () => {
    const radius = 12;
    const spec = {
      rows: 40,
      columns: 40,
      pixelSpacing: [0.7, 0.9] as [number, number],
      slicePositions: evenPositions(20, -19.5, 2.1),
      originXY: [-14, -14] as [number, number],
    };
    const mask = drawMask(spec, (x, y, z) => x * x + y * y + z * z <= radius * radius);
    const grid = computeVoxelGrid(createSyntheticGeometry(spec));
    const result = computeVolume(mask, grid);
    let expectedCount = 0;
    for (const slice of mask) expectedCount += slice ? slice.reduce((n, v) => n + v, 0) : 0;
    expect(result.voxelCount).toBe(expectedCount);
    expect(result.volumeMl).toBeCloseTo((expectedCount * 0.7 * 0.9 * 2.1) / 1000, 12);
    // The voxelised sphere is close to the true one (discretisation only).
    const trueMl = ((4 / 3) * Math.PI * radius ** 3) / 1000;
    expect(Math.abs(result.volumeMl - trueMl) / trueMl).toBeLessThan(0.03);
    expect(Array.from(result.voxelCountPerSlice).reduce((a, b) => a + b, 0)).toBe(expectedCount);
  });

  it('weights each slice by its own slab when gaps differ', () => {
    const spec = { rows: 2, columns: 2, slicePositions: [0, 1, 3], pixelSpacing: UNIT_SPACING };
    const full = new Uint8Array([1, 1, 1, 1]);
    const grid = computeVoxelGrid(createSyntheticGeometry(spec));
    const result = computeVolume([full, null, full], grid);
    // Slabs 1, 1.5, 2 mm; four 1 mm² pixels on slices 0 and 2.
    expect(result.volumeMl).toBeCloseTo((4 * 1 + 4 * 2) / 1000, 15);
    expect(Array.from(result.voxelCountPerSlice)).toEqual([4, 0, 4]);
  });
});
