/**
 * PET uptake metrics of one lesion: SUVmax, SUVmean, SUVpeak, metabolic
 * tumour volume (MTV) and total lesion glycolysis (TLG), or the raw values
 * with the reasons when SUV cannot be computed.
 */

import { computeIntensityStatistics, type IntensityStatistics } from './intensityStats';
import type { SliceMasks } from './segmentInput';
import { SUV_UNIT, type SuvHeaderProblem, type SuvScaling } from './suv';
import { computeSuvPeak, type SuvPeakResult } from './suvPeak';
import type { VolumeResult } from './volume';
import type { VoxelGrid } from './voxelGrid';

export type PetMetrics =
  | {
      status: 'suv';
      /** 'stored': the pixels already were SUVbw (Units GML) and were used as they are. */
      source: 'stored' | 'computed';
      unit: typeof SUV_UNIT;
      suvMax: number;
      suvMean: number;
      suvPeak: SuvPeakResult | null;
      /** Metabolic tumour volume: the segment's volume, mL. */
      mtvMl: number;
      /** Total lesion glycolysis, SUVmean × MTV: g/mL × mL = g. */
      tlgG: number;
    }
  | {
      status: 'raw';
      /** Unit of rawMax and rawMean (e.g. Bq/mL). */
      rawUnit: string;
      rawMax: number;
      rawMean: number;
      mtvMl: number;
      /** Header keywords that SUV needed and did not find. */
      missing: string[];
      invalid: SuvHeaderProblem[];
    };

export interface PetMeasurement {
  /** Statistics in SUV when available, else in the raw unit. */
  intensity: IntensityStatistics | null;
  pet: PetMetrics | null;
}

/**
 * SUV statistics, SUVpeak, MTV and TLG of a non-empty lesion; raw statistics
 * plus the missing or invalid headers when `scaling` is unavailable. The
 * segment's whole volume is its MTV: any SUV threshold is the segmentation's
 * business, not the measurement's.
 */
export function computePetMeasurement(
  mask: SliceMasks,
  pixels: ReadonlyArray<Float32Array>,
  grid: VoxelGrid,
  volume: VolumeResult,
  scaling: SuvScaling,
): PetMeasurement {
  if (scaling.status === 'unavailable') {
    const intensity = computeIntensityStatistics(
      mask,
      pixels,
      volume.voxelCount,
      scaling.rawUnit,
      undefined,
      volume.voxelCountPerSlice,
    );
    if (!intensity) return { intensity, pet: null };
    const { rawUnit, missing, invalid } = scaling;
    return {
      intensity,
      pet: {
        status: 'raw',
        rawUnit,
        rawMax: intensity.max,
        rawMean: intensity.mean,
        mtvMl: volume.volumeMl,
        missing,
        invalid,
      },
    };
  }
  const { factors, source } = scaling;
  const intensity = computeIntensityStatistics(
    mask,
    pixels,
    volume.voxelCount,
    SUV_UNIT,
    factors,
    volume.voxelCountPerSlice,
  );
  if (!intensity) return { intensity, pet: null };
  return {
    intensity,
    pet: {
      status: 'suv',
      source,
      unit: SUV_UNIT,
      suvMax: intensity.max,
      suvMean: intensity.mean,
      suvPeak: computeSuvPeak(mask, pixels, grid, factors, {
        voxelCountPerSlice: volume.voxelCountPerSlice,
      }),
      mtvMl: volume.volumeMl,
      tlgG: intensity.mean * volume.volumeMl,
    },
  };
}
