import { QuantError } from '../../../extension/src/core/quant/errors';
import {
  computePatientPosition,
  computeVoxelGrid,
} from '../../../extension/src/core/quant/voxelGrid';
import { createSyntheticGeometry, evenPositions } from '../../support/syntheticSeries';

const base = { rows: 4, columns: 5, pixelSpacing: [0.5, 0.8] as [number, number] };

describe('computeVoxelGrid', () => {
  it('uses the distance between positions, not a nominal thickness', () => {
    const grid = computeVoxelGrid(
      createSyntheticGeometry({ ...base, slicePositions: evenPositions(4, -10, 2) }),
      { SliceThickness: 3 },
    );
    expect(grid.sliceThicknessesMm).toEqual([2, 2, 2, 2]);
    expect(grid.sliceThicknessSource).toBe('positions');
    expect(grid.rowSpacingMm).toBe(0.5);
    expect(grid.columnSpacingMm).toBe(0.8);
  });

  it('gives each slice half of each neighbouring gap when gaps differ', () => {
    const geometry = createSyntheticGeometry({ ...base, slicePositions: [0, 1, 3, 7] });
    const grid = computeVoxelGrid(geometry);
    // Slabs: [0,0.5]+end gap 1 → 1; (3-0)/2; (7-1)/2; end gap 4.
    expect(grid.sliceThicknessesMm).toEqual([1, 1.5, 3, 4]);
  });

  it('takes SliceThickness, else SpacingBetweenSlices, for a single slice', () => {
    const geometry = createSyntheticGeometry({ ...base, slicePositions: [5] });
    expect(computeVoxelGrid(geometry, { SliceThickness: 2.5, SpacingBetweenSlices: 3 }))
      .toMatchObject({ sliceThicknessesMm: [2.5], sliceThicknessSource: 'SliceThickness' });
    expect(computeVoxelGrid(geometry, { SpacingBetweenSlices: 3 }))
      .toMatchObject({ sliceThicknessesMm: [3], sliceThicknessSource: 'SpacingBetweenSlices' });
    expect(() => computeVoxelGrid(geometry)).toThrow(
      expect.objectContaining({ code: 'quant.sliceSpacingUnknown' }),
    );
  });

  it('rejects unsorted, duplicated and inconsistent images', () => {
    const unsorted = createSyntheticGeometry({ ...base, slicePositions: [0, 2, 1] });
    expect(() => computeVoxelGrid(unsorted)).toThrow(QuantError);
    const duplicated = createSyntheticGeometry({ ...base, slicePositions: [0, 0] });
    expect(() => computeVoxelGrid(duplicated)).toThrow(
      expect.objectContaining({ code: 'quant.slicesNotSorted' }),
    );
    const mixed = createSyntheticGeometry({ ...base, slicePositions: [0, 1] });
    const second = mixed.images[1];
    if (second) second.PixelSpacing = [0.5, 0.9];
    expect(() => computeVoxelGrid(mixed)).toThrow(
      expect.objectContaining({ code: 'quant.geometryInconsistent' }),
    );
  });

  it('maps indices to patient mm with column along the row direction', () => {
    const geometry = createSyntheticGeometry({
      ...base,
      slicePositions: [10, 12],
      originXY: [-3, 4],
    });
    const grid = computeVoxelGrid(geometry);
    expect(computePatientPosition(grid, 1, 2, 3)).toEqual([-3 + 3 * 0.8, 4 + 2 * 0.5, 12]);
  });
});
