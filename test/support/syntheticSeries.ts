/**
 * Synthetic series for unit tests: axial geometry with chosen spacing and
 * slice positions, and masks drawn from an implicit shape.
 */

import type { SeriesGeometry, Vec3 } from '../../extension/src/core/dicom/seriesGeometry';

export interface SyntheticGridSpec {
  rows: number;
  columns: number;
  /** [row spacing, column spacing], mm (DICOM PixelSpacing order). */
  pixelSpacing: [number, number];
  /** z of each slice, ascending, mm. */
  slicePositions: number[];
  /** Patient position of pixel (0, 0) of slice 0, x and y, mm. */
  originXY?: [number, number];
  Modality?: string;
}

export function createSyntheticGeometry(spec: SyntheticGridSpec): SeriesGeometry {
  const [x0, y0] = spec.originXY ?? [0, 0];
  return {
    StudyInstanceUID: '2.25.1',
    SeriesInstanceUID: '2.25.2',
    FrameOfReferenceUID: '2.25.3',
    Modality: spec.Modality ?? 'CT',
    images: spec.slicePositions.map((z, i) => ({
      Rows: spec.rows,
      Columns: spec.columns,
      ImagePositionPatient: [x0, y0, z] as Vec3,
      ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
      PixelSpacing: [...spec.pixelSpacing] as [number, number],
      SOPClassUID: '1.2.840.10008.5.1.4.1.1.2',
      SOPInstanceUID: `2.25.${100 + i}`,
    })),
  };
}

/**
 * A mask with voxel (slice, row, column) inside when `inside(x, y, z)` holds
 * for its centre in patient mm; slices with no voxel inside are null.
 */
export function drawMask(
  spec: SyntheticGridSpec,
  inside: (x: number, y: number, z: number) => boolean,
): (Uint8Array | null)[] {
  const [x0, y0] = spec.originXY ?? [0, 0];
  const [rowSpacing, columnSpacing] = spec.pixelSpacing;
  return spec.slicePositions.map((z) => {
    const slice = new Uint8Array(spec.rows * spec.columns);
    let any = false;
    for (let r = 0; r < spec.rows; r++) {
      for (let c = 0; c < spec.columns; c++) {
        if (inside(x0 + c * columnSpacing, y0 + r * rowSpacing, z)) {
          slice[r * spec.columns + c] = 1;
          any = true;
        }
      }
    }
    return any ? slice : null;
  });
}

/** Pixel arrays filled by `value(x, y, z)` at each voxel centre. */
export function fillPixels(
  spec: SyntheticGridSpec,
  value: (x: number, y: number, z: number) => number,
): Float32Array[] {
  const [x0, y0] = spec.originXY ?? [0, 0];
  const [rowSpacing, columnSpacing] = spec.pixelSpacing;
  return spec.slicePositions.map((z) => {
    const slice = new Float32Array(spec.rows * spec.columns);
    for (let r = 0; r < spec.rows; r++) {
      for (let c = 0; c < spec.columns; c++) {
        slice[r * spec.columns + c] = value(x0 + c * columnSpacing, y0 + r * rowSpacing, z);
      }
    }
    return slice;
  });
}

/** Evenly spaced positions: count values from `start` by `step`. */
export function evenPositions(count: number, start: number, step: number): number[] {
  return Array.from({ length: count }, (_, i) => start + i * step);
}
