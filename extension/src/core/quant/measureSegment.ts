/**
 * One entry point for the panel: measures segments drawn on one series.
 */

import {
  computeBidimensionalDiameters,
  type BidimensionalDiameters,
  type DiameterOptions,
} from './diameters';
import { computeIntensityStatistics, type IntensityStatistics } from './intensityStats';
import { QuantError } from './errors';
import { computeIntensityUnit } from './intensityUnit';
import { computePetMeasurement, type PetMetrics } from './petMetrics';
import { assertAlignedWithGrid, type SegmentInput, type SeriesInput } from './segmentInput';
import { computeSuvScaling, type SuvScaling } from './suv';
import { computeVolume } from './volume';
import { computeVoxelGrid, type SliceThicknessSource, type VoxelGrid } from './voxelGrid';

/** Modality value of PET series. */
const PET_MODALITY = 'PT';

/** Everything measured on one segment. */
export interface SegmentMeasurement {
  segmentNumber: number;
  label: string;
  Modality: string;
  /** Empty when the images do not say. */
  PatientID: string;
  StudyInstanceUID: string;
  SeriesInstanceUID: string;
  voxelCount: number;
  volumeMl: number;
  /** How the slab thickness behind volumeMl was obtained. */
  sliceThicknessSource: SliceThicknessSource;
  /** Null for an empty segment. */
  diameters: BidimensionalDiameters | null;
  /** In HU (CT), SUV g/mL (PET with SUV), the raw PET unit, or a.u. (MR, others). */
  intensity: IntensityStatistics | null;
  /** PET series only; null otherwise or when the segment is empty. */
  pet: PetMetrics | null;
}

export type MeasureOptions = DiameterOptions;

function measureOnGrid(
  series: SeriesInput,
  grid: VoxelGrid,
  scaling: SuvScaling | null,
  segment: SegmentInput,
  options: MeasureOptions,
): SegmentMeasurement {
  const { mask } = segment;
  assertAlignedWithGrid(grid, mask, series.pixels);
  const volume = computeVolume(mask, grid);
  const common = {
    segmentNumber: segment.segmentNumber,
    label: segment.label,
    Modality: series.geometry.Modality,
    PatientID: series.geometry.PatientID ?? '',
    StudyInstanceUID: series.geometry.StudyInstanceUID,
    SeriesInstanceUID: series.geometry.SeriesInstanceUID,
    voxelCount: volume.voxelCount,
    volumeMl: volume.volumeMl,
    sliceThicknessSource: grid.sliceThicknessSource,
    diameters:
      volume.voxelCount > 0
        ? computeBidimensionalDiameters(mask, grid, options, volume.voxelCountPerSlice)
        : null,
  };
  if (scaling) {
    const { intensity, pet } = computePetMeasurement(mask, series.pixels, grid, volume, scaling);
    return { ...common, intensity, pet };
  }
  const unit = computeIntensityUnit(series.geometry.Modality);
  const intensity = computeIntensityStatistics(
    mask,
    series.pixels,
    volume.voxelCount,
    unit,
    undefined,
    volume.voxelCountPerSlice,
  );
  return { ...common, intensity, pet: null };
}

/**
 * Measures each segment of one series: volume, bidimensional diameters,
 * intensity statistics and, on PET, SUV metrics. The grid and the SUV factors
 * are derived once for all segments.
 *
 * @throws QuantError when the geometry is unusable or a mask does not fit it
 *   (see computeVoxelGrid, assertAlignedWithGrid).
 */
export function measureSegments(
  series: SeriesInput,
  segments: readonly SegmentInput[],
  options: MeasureOptions = {},
): SegmentMeasurement[] {
  const grid = computeVoxelGrid(series.geometry, series.nominalSpacing);
  const headerCount = series.petHeaders?.length ?? grid.slicePositionsMm.length;
  if (headerCount !== grid.slicePositionsMm.length) {
    throw new QuantError(
      'quant.shapeMismatch',
      `There are ${headerCount} PET headers for ${grid.slicePositionsMm.length} images`,
    );
  }
  const scaling =
    series.geometry.Modality === PET_MODALITY ? computeSuvScaling(series.petHeaders ?? []) : null;
  return segments.map((segment) => measureOnGrid(series, grid, scaling, segment, options));
}

/** measureSegments for a single segment. */
export function measureSegment(
  series: SeriesInput,
  segment: SegmentInput,
  options: MeasureOptions = {},
): SegmentMeasurement {
  const [measurement] = measureSegments(series, [segment], options);
  if (!measurement) throw new RangeError('No measurement was produced');
  return measurement;
}
