/**
 * Voxel counts and volume of a segment from the true voxel geometry.
 */

import type { SliceMasks } from './segmentInput';
import type { VoxelGrid } from './voxelGrid';

/** 1 mL = 1 cm³ = 1000 mm³. */
const MM3_PER_ML = 1000;

export interface VolumeResult {
  /** Number of voxels inside the mask. */
  voxelCount: number;
  /** Σ over slices of count × row spacing × column spacing × slab thickness, mL. */
  volumeMl: number;
  /** Voxels inside the mask on each slice, in series order. */
  voxelCountPerSlice: Int32Array;
}

/** Bytes per word when skipping empty stretches of a mask. */
const WORD_BYTES = 4;

/** Number of non-zero bytes in one mask slice. */
export function countMaskVoxels(slice: Uint8Array): number {
  let count = 0;
  let i = 0;
  if (slice.byteOffset % WORD_BYTES === 0) {
    // Lesions fill a small part of a series, so most 4-byte words are zero:
    // testing a word at a time reads empty stretches four times faster.
    const words = new Uint32Array(slice.buffer, slice.byteOffset, slice.length >>> 2);
    for (let w = 0; w < words.length; w++) {
      if (words[w] === 0) continue;
      const base = w * WORD_BYTES;
      for (let b = base; b < base + WORD_BYTES; b++) count += slice[b] !== 0 ? 1 : 0;
    }
    i = words.length * WORD_BYTES;
  }
  for (; i < slice.length; i++) count += slice[i] !== 0 ? 1 : 0;
  return count;
}

/**
 * Counts a segment's voxels and converts them to mL with each slice's own slab
 * thickness (see computeVoxelGrid: distances between slice positions, a
 * midpoint rule for uneven gaps, SliceThickness for a lone slice).
 *
 * The caller checks alignment first (assertAlignedWithGrid).
 */
export function computeVolume(mask: SliceMasks, grid: VoxelGrid): VolumeResult {
  const perSlice = new Int32Array(mask.length);
  const pixelAreaMm2 = grid.rowSpacingMm * grid.columnSpacingMm;
  let voxelCount = 0;
  let volumeMm3 = 0;
  for (const [i, slice] of mask.entries()) {
    if (slice === null) continue;
    const count = countMaskVoxels(slice);
    perSlice[i] = count;
    voxelCount += count;
    volumeMm3 += count * pixelAreaMm2 * (grid.sliceThicknessesMm[i] ?? NaN);
  }
  return { voxelCount, volumeMl: volumeMm3 / MM3_PER_ML, voxelCountPerSlice: perSlice };
}
