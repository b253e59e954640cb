import { imageIndexToWorld, worldToImageIndex } from '../../../extension/src/core/dicom/planeTransforms';
import type { ImagePlane } from '../../../extension/src/core/dicom/seriesGeometry';

const axial: ImagePlane = {
  Rows: 4,
  Columns: 6,
  ImagePositionPatient: [-100, -50, 20],
  ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
  // 2 mm between rows, 0.5 mm between columns: unequal on purpose, so that a
  // swapped PixelSpacing order fails.
  PixelSpacing: [2, 0.5],
};

describe('planeTransforms', () => {
  it('maps the first pixel centre to index (0, 0)', () => {
    expect(worldToImageIndex(axial, [-100, -50, 20])).toEqual([0, 0]);
  });

  it('uses the column spacing along a row and the row spacing down a column', () => {
    // Column 3 is 1.5 mm along x; row 2 is 4 mm along y.
    expect(worldToImageIndex(axial, [-98.5, -46, 20])).toEqual([3, 2]);
    expect(imageIndexToWorld(axial, 3, 2)).toEqual([-98.5, -46, 20]);
  });

  it('follows an oblique orientation and round-trips', () => {
    const s = Math.SQRT1_2;
    const oblique: ImagePlane = { ...axial, ImageOrientationPatient: [s, s, 0, -s, s, 0] };
    const world = imageIndexToWorld(oblique, 2.25, -1.5);
    const [c, r] = worldToImageIndex(oblique, world);
    expect(c).toBeCloseTo(2.25, 12);
    expect(r).toBeCloseTo(-1.5, 12);
    // Column 1 (0.5 mm) along the row direction (s, s, 0).
    expect(imageIndexToWorld(oblique, 1, 0)[0]).toBeCloseTo(-100 + 0.5 * s, 12);
  });
});
