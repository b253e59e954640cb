/**
 * Tumour burden over all measured lesions.
 */

import type { SegmentMeasurement } from './measureSegment';

export interface TumourBurdenTotals {
  /** Segments with at least one voxel; empty segments are not lesions. */
  lesionCount: number;
  totalVolumeMl: number;
  /**
   * Sum of the long axes of all lesions, mm (RECIST's sum of diameters, without
   * its lymph-node short-axis rule: the core does not know which lesion is a node).
   */
  sumOfLongestDiametersMm: number;
  /** Sum of the MTVs of the PET lesions, mL; null when there is none. */
  totalMtvMl: number | null;
  /**
   * Sum of the TLGs of the PET lesions, g; null when there is none or when a
   * PET lesion has no SUV (a partial sum would understate the burden).
   */
  totalTlgG: number | null;
  /** Segment numbers of PET lesions without SUV, which make totalTlgG null. */
  segmentsWithoutSuv: number[];
}

/** Adds up the lesions of one or more series. */
export function computeTumourBurdenTotals(
  measurements: readonly SegmentMeasurement[],
): TumourBurdenTotals {
  const lesions = measurements.filter((m) => m.voxelCount > 0);
  let totalVolumeMl = 0;
  let sumOfLongestDiametersMm = 0;
  let totalMtvMl: number | null = null;
  let totalTlgG: number | null = null;
  const segmentsWithoutSuv: number[] = [];
  for (const lesion of lesions) {
    totalVolumeMl += lesion.volumeMl;
    sumOfLongestDiametersMm += lesion.diameters?.longAxis.lengthMm ?? 0;
    const pet = lesion.pet;
    if (!pet) continue;
    totalMtvMl = (totalMtvMl ?? 0) + pet.mtvMl;
    if (pet.status === 'suv') totalTlgG = (totalTlgG ?? 0) + pet.tlgG;
    else segmentsWithoutSuv.push(lesion.segmentNumber);
  }
  return {
    lesionCount: lesions.length,
    totalVolumeMl,
    sumOfLongestDiametersMm,
    totalMtvMl,
    totalTlgG: segmentsWithoutSuv.length > 0 ? null : totalTlgG,
    segmentsWithoutSuv,
  };
}
