/**
 * Synthetic lesions on real source series, for the writer's tests: ellipsoids
 * placed relative to the volume, so that each test knows exactly which pixels
 * every segment holds.
 */
import type { SeriesGeometry } from '../../extension/src/core/dicom/seriesGeometry';
import { SegmentCategory, SegmentType } from '../../extension/src/core/seg/segCodes';
import type { SegmentInput, SegEquipment } from '../../extension/src/core/seg/segTypes';

/** Centre and radii as fractions of columns, rows and slices. */
export interface Ellipsoid {
  centre: [number, number, number];
  radii: [number, number, number];
}

/** One mask per image; undefined where the ellipsoid misses the slice. */
export function createEllipsoidMasks(
  geometry: SeriesGeometry,
  shape: Ellipsoid,
): (Uint8Array | undefined)[] {
  const first = geometry.images[0]!;
  const [cols, rows, slices] = [first.Columns, first.Rows, geometry.images.length];
  const [cx, cy, cz] = [shape.centre[0] * cols, shape.centre[1] * rows, shape.centre[2] * slices];
  const [rx, ry, rz] = [
    Math.max(0.5, shape.radii[0] * cols),
    Math.max(0.5, shape.radii[1] * rows),
    Math.max(0.5, shape.radii[2] * slices),
  ];
  return geometry.images.map((_, k) => {
    const dz = (k + 0.5 - cz) / rz;
    if (dz * dz > 1) return undefined;
    const mask = new Uint8Array(rows * cols);
    let any = false;
    for (let j = 0; j < rows; j++) {
      for (let i = 0; i < cols; i++) {
        const dx = (i + 0.5 - cx) / rx;
        const dy = (j + 0.5 - cy) / ry;
        if (dx * dx + dy * dy + dz * dz <= 1) {
          mask[j * cols + i] = 1;
          any = true;
        }
      }
    }
    return any ? mask : undefined;
  });
}

/** A MedSAM-made neoplasm segment with the given masks. */
export function createLesionSegment(
  label: string,
  rgb: [number, number, number],
  masks: (Uint8Array | undefined)[],
): SegmentInput {
  return {
    label,
    category: SegmentCategory.MorphologicallyAbnormalStructure,
    type: SegmentType.Neoplasm,
    rgb,
    algorithmType: 'SEMIAUTOMATIC',
    algorithm: { name: 'MedSAM', version: '1.0.0-test', modelSha256: 'a1'.repeat(32) },
    masks,
  };
}

/** Two overlapping lesions and a separate third one. */
export function createThreeLesions(geometry: SeriesGeometry): SegmentInput[] {
  return [
    createLesionSegment(
      'Lesion 1',
      [230, 40, 40],
      createEllipsoidMasks(geometry, {
        centre: [0.45, 0.5, 0.5],
        radii: [0.2, 0.25, 0.3],
      }),
    ),
    createLesionSegment(
      'Lesion 2',
      [40, 200, 60],
      createEllipsoidMasks(geometry, {
        centre: [0.6, 0.5, 0.55],
        radii: [0.15, 0.15, 0.25],
      }),
    ),
    createLesionSegment(
      'Lesion 3',
      [40, 80, 230],
      createEllipsoidMasks(geometry, {
        centre: [0.15, 0.15, 0.2],
        radii: [0.08, 0.08, 0.15],
      }),
    ),
  ];
}

export const TEST_EQUIPMENT: SegEquipment = {
  Manufacturer: 'medsam-ohif',
  ManufacturerModelName: 'medsam-ohif SEG writer',
  SoftwareVersions: '0.1.0',
  DeviceSerialNumber: 'TEST',
};
