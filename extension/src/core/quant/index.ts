/**
 * Tumour-burden quantification core: pure TypeScript on plain typed arrays
 * and a SeriesGeometry, no viewer imports.
 *
 * Typical use by the panel:
 * @example
 * const rows = measureSegments(series, segments); // one series at a time
 * const totals = computeTumourBurdenTotals(allRows);
 * // Each CSV row pairs a measurement with where the viewer shows its long-axis slice.
 * const csv = createTumourBurdenCsv(csvRows, totals);
 * const format = createLocaleNumberFormatter(i18n.language);
 */

export {
  createTumourBurdenCsv,
  escapeCsvField,
  formatCsvNumber,
  type DiameterSliceReference,
  type TumourBurdenCsvRow,
} from './csv';
export type {
  BidimensionalDiameters,
  Diameter,
  DiameterEndpoint,
  DiameterOptions,
  ImageIndex,
} from './diameters';
export { computeBidimensionalDiameters } from './diameters';
export { QuantError, type QuantErrorCode } from './errors';
export {
  MISSING_VALUE_TEXT,
  createLocaleNumberFormatter,
  type LocaleNumberFormatter,
} from './formatNumber';
export { computeIntensityStatistics, type IntensityStatistics } from './intensityStats';
export { ARBITRARY_UNIT, HOUNSFIELD_UNIT, computeIntensityUnit } from './intensityUnit';
export {
  measureSegment,
  measureSegments,
  type MeasureOptions,
  type SegmentMeasurement,
} from './measureSegment';
export { readPetSuvHeaders, type PetSuvHeaders } from './petHeaders';
export type { PetMeasurement, PetMetrics } from './petMetrics';
export type { SegmentInput, SeriesInput, SliceMasks } from './segmentInput';
export {
  SUV_UNIT,
  computePetRawUnit,
  computeSuvScaling,
  type SuvHeaderProblem,
  type SuvScaling,
} from './suv';
export {
  SUV_PEAK_RADIUS_MM,
  SUV_PEAK_SPHERE_VOLUME_ML,
  computeSuvPeak,
  type SuvPeakResult,
} from './suvPeak';
export { computeTumourBurdenTotals, type TumourBurdenTotals } from './totals';
export { computeVolume, countMaskVoxels, type VolumeResult } from './volume';
export {
  computePatientPosition,
  computeVoxelGrid,
  type NominalSliceSpacing,
  type VoxelGrid,
} from './voxelGrid';
