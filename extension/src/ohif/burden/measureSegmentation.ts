/**
 * Measures every segment of one viewer segmentation with the quantification
 * core, reading only the images the measurements need and reporting progress.
 */
import { computeSliceNormal, computeSlicePosition } from '../../core/dicom/seriesGeometry';
import {
  SUV_PEAK_RADIUS_MM,
  measureSegments,
  type SegmentMeasurement,
  type SliceMasks,
} from '../../core/quant';
import type { CornerstoneLibraries } from '../host/cornerstoneLibraries';
import type { BurdenProgress } from './burdenState';
import { readSegmentMasks, type LabelmapSegmentation } from './labelmapSegments';
import { describeSourceSeries, readSourcePixels, type SourceSeries } from './sourceSeries';

const PET_MODALITY = 'PT';

export interface MeasureHooks {
  onProgress(progress: BurdenProgress): void;
  /** True once a newer measurement has been asked for: this one stops. */
  isStale(): boolean;
  /** Lets the page paint between steps. */
  yieldToPage(): Promise<void>;
}

export interface SegmentationMeasurement {
  series: SourceSeries;
  measurements: SegmentMeasurement[];
}

/**
 * Slices whose pixels a measurement reads: those with mask voxels and, on PET,
 * those within reach of the SUVpeak sphere centred on a lesion voxel.
 */
export function findSlicesToRead(series: SourceSeries, masks: Iterable<SliceMasks>): Set<number> {
  const withVoxels = new Set<number>();
  for (const mask of masks) mask.forEach((slice, k) => slice && withVoxels.add(k));
  const first = series.geometry.images[0];
  if (series.geometry.Modality !== PET_MODALITY || !first) return withVoxels;
  const normal = computeSliceNormal(first);
  const positions = series.geometry.images.map((image) => computeSlicePosition(image, normal));
  const needed = new Set(withVoxels);
  for (const k of withVoxels) {
    const centre = positions[k] ?? 0;
    positions.forEach((p, j) => Math.abs(p - centre) <= SUV_PEAK_RADIUS_MM && needed.add(j));
  }
  return needed;
}

/**
 * Volume, diameters, intensity and PET metrics of each segment, or null when
 * the measurement went stale on the way.
 * @throws BurdenError, QuantError (see sourceSeries.ts and the core)
 */
export async function measureSegmentation(
  libraries: CornerstoneLibraries,
  segmentation: LabelmapSegmentation,
  hooks: MeasureHooks,
): Promise<SegmentationMeasurement | null> {
  const series = describeSourceSeries(libraries, segmentation.sourceImageIds);
  const masks = readSegmentMasks(libraries, segmentation, series.imageIds);
  const needed = findSlicesToRead(series, masks.values());
  const pixels = await readSourcePixels(
    libraries,
    series,
    needed,
    (done, total) => hooks.onProgress({ phase: 'reading', done, total }),
    hooks.isStale,
  );
  if (!pixels) return null;
  const input = {
    geometry: series.geometry,
    pixels,
    nominalSpacing: series.nominalSpacing,
    petHeaders: series.petHeaders,
  };
  const measurements: SegmentMeasurement[] = [];
  const total = segmentation.segments.length;
  for (const [k, segment] of segmentation.segments.entries()) {
    hooks.onProgress({ phase: 'measuring', done: k, total });
    await hooks.yieldToPage();
    if (hooks.isStale()) return null;
    const mask = masks.get(segment.segmentIndex) ?? series.imageIds.map(() => null);
    const [measurement] = measureSegments(input, [
      { segmentNumber: segment.segmentIndex, label: segment.label, mask },
    ]);
    if (measurement) measurements.push(measurement);
  }
  hooks.onProgress({ phase: 'measuring', done: total, total });
  return { series, measurements };
}
