/**
 * What the quantification core measures: plain typed arrays aligned with a
 * SeriesGeometry. The host adapter fills these from the viewer's labelmaps and
 * image volumes; the core never sees cornerstone.
 */

import type { SeriesGeometry } from '../dicom/seriesGeometry';
import { QuantError } from './errors';
import type { PetSuvHeaders } from './petHeaders';
import type { NominalSliceSpacing, VoxelGrid } from './voxelGrid';

/**
 * A binary mask per image of the series, in the order of `geometry.images`.
 * Each slice is row-major (index = row × Columns + column); any non-zero byte
 * is inside. `null` marks a slice with nothing on it, so a sparse lesion in a
 * long series costs no memory for its empty slices.
 */
export type SliceMasks = ReadonlyArray<Uint8Array | null>;

/** One segment (one lesion) to measure. */
export interface SegmentInput {
  /** DICOM SEG SegmentNumber, 1-based. */
  segmentNumber: number;
  /** SegmentLabel, shown in the panel and the CSV. */
  label: string;
  mask: SliceMasks;
}

/** The image series a segment was drawn on. */
export interface SeriesInput {
  geometry: SeriesGeometry;
  /**
   * Pixel values in the modality's units with RescaleSlope and
   * RescaleIntercept applied (HU for CT, Bq/mL or SUV for PET, stored values
   * for MR), one row-major Float32Array per image, same order as the geometry.
   */
  pixels: ReadonlyArray<Float32Array>;
  /** Needed only when the series has a single slice. */
  nominalSpacing?: NominalSliceSpacing;
  /** PET only: the header fields needed for SUV, one entry per image. */
  petHeaders?: ReadonlyArray<PetSuvHeaders>;
}

/**
 * Checks that a mask (and the pixels, when given) match the grid's raster.
 * @throws QuantError `quant.shapeMismatch`
 */
export function assertAlignedWithGrid(
  grid: VoxelGrid,
  mask: SliceMasks,
  pixels?: ReadonlyArray<Float32Array>,
): void {
  const sliceCount = grid.slicePositionsMm.length;
  const pixelCount = grid.rows * grid.columns;
  if (mask.length !== sliceCount) {
    throw new QuantError(
      'quant.shapeMismatch',
      `The mask has ${mask.length} slices, the series ${sliceCount}`,
    );
  }
  for (const [i, slice] of mask.entries()) {
    if (slice !== null && slice.length !== pixelCount) {
      throw new QuantError(
        'quant.shapeMismatch',
        `Mask slice ${i} has ${slice.length} pixels, the series ${pixelCount}`,
      );
    }
  }
  if (!pixels) return;
  if (pixels.length !== sliceCount) {
    throw new QuantError(
      'quant.shapeMismatch',
      `There are ${pixels.length} pixel slices for ${sliceCount} images`,
    );
  }
  for (const [i, slice] of pixels.entries()) {
    if (slice.length !== pixelCount) {
      throw new QuantError(
        'quant.shapeMismatch',
        `Pixel slice ${i} has ${slice.length} values, the series ${pixelCount}`,
      );
    }
  }
}
