/**
 * The series a segmentation was drawn on, read from the viewer as the
 * quantification core wants it: geometry sorted along the slice normal, pixel
 * values in the modality's units, and on PET the SUV headers.
 *
 * PET: cornerstone may have multiplied PET pixels by its own SUVbw factor when
 * it decoded them (`preScale.scalingParameters.suvbw`). The core computes SUV
 * itself from the headers (and reports which are missing), so those pixels are
 * divided back to the stored activity: SUV is then applied exactly once, and
 * Units GML pixels, whose factor is 1, stay as stored.
 */
import { computeModalityValues } from '../../core/dicom/modalityValues';
import {
  sortAlongNormal,
  type SeriesGeometry,
  type SourceImage,
  type Vec3,
} from '../../core/dicom/seriesGeometry';
import { readPetSuvHeaders, type NominalSliceSpacing, type PetSuvHeaders } from '../../core/quant';
import type { CornerstoneLibraries } from '../host/cornerstoneLibraries';
import { BurdenError } from './burdenError';

const PET_MODALITY = 'PT';
/** Images requested from the viewer's loader at once. */
const LOAD_BATCH_SIZE = 8;

export interface SourceSeries {
  /** Source image ids in geometry order. */
  imageIds: string[];
  geometry: SeriesGeometry;
  nominalSpacing: NominalSliceSpacing;
  /** PET only, geometry order. */
  petHeaders?: PetSuvHeaders[];
}

interface PlaneModule {
  rows: number;
  columns: number;
  imagePositionPatient?: Vec3;
  rowCosines?: Vec3;
  columnCosines?: Vec3;
  rowPixelSpacing?: number;
  columnPixelSpacing?: number;
  frameOfReferenceUID?: string;
}

interface CachedImageLike {
  slope?: number;
  intercept?: number;
  preScale?: { scaled?: boolean; scalingParameters?: { suvbw?: number; modality?: string } };
  getPixelData(): ArrayLike<number>;
}

type Naturalized = Readonly<Record<string, unknown>>;

function positiveNumber(value: unknown): number | undefined {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  const n = typeof first === 'string' ? Number(first) : first;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : undefined;
}

function readImage(
  { cornerstone }: CornerstoneLibraries,
  imageId: string,
): SourceImage & { FrameOfReferenceUID: string; instance: Naturalized } {
  const plane = cornerstone.metaData.get('imagePlaneModule', imageId) as PlaneModule | undefined;
  const { imagePositionPatient: position, rowCosines, columnCosines } = plane ?? {};
  const rowSpacing = positiveNumber(plane?.rowPixelSpacing);
  const columnSpacing = positiveNumber(plane?.columnPixelSpacing);
  // Without a true spacing there is no volume or length to report: no guessing 1 mm.
  if (!plane || !position || !rowCosines || !columnCosines || !rowSpacing || !columnSpacing) {
    throw new BurdenError('source.noImagePlane', `No image plane or pixel spacing for ${imageId}`);
  }
  const sop = cornerstone.metaData.get('sopCommonModule', imageId) as
    | { sopClassUID?: string; sopInstanceUID?: string }
    | undefined;
  // OHIF's metadata provider answers 'instance' with the naturalized DICOM
  // instance: the PET SUV attributes are only there.
  const instance = (cornerstone.metaData.get('instance', imageId) as Naturalized | undefined) ?? {};
  return {
    Rows: plane.rows,
    Columns: plane.columns,
    ImagePositionPatient: position,
    ImageOrientationPatient: [
      ...rowCosines,
      ...columnCosines,
    ] as SourceImage['ImageOrientationPatient'],
    PixelSpacing: [rowSpacing, columnSpacing],
    SOPClassUID: sop?.sopClassUID ?? '',
    SOPInstanceUID: sop?.sopInstanceUID ?? imageId,
    FrameOfReferenceUID: plane.frameOfReferenceUID ?? '',
    instance,
  };
}

/**
 * Geometry (sorted along the normal) and headers of the source images, from
 * metadata only: no pixel is read.
 * @throws BurdenError `source.noImagePlane`
 */
export function describeSourceSeries(
  libraries: CornerstoneLibraries,
  imageIds: readonly string[],
): SourceSeries {
  const images = imageIds.map((imageId) => ({ imageId, ...readImage(libraries, imageId) }));
  const sorted = sortAlongNormal(images);
  const first = sorted[0];
  const series = libraries.cornerstone.metaData.get('generalSeriesModule', first?.imageId ?? '') as
    | { modality?: string; seriesInstanceUID?: string; studyInstanceUID?: string }
    | undefined;
  const Modality = series?.modality ?? 'OT';
  const patientId = first?.instance['PatientID'];
  const geometry: SeriesGeometry = {
    ...(typeof patientId === 'string' && patientId !== '' ? { PatientID: patientId } : {}),
    StudyInstanceUID: series?.studyInstanceUID ?? '',
    SeriesInstanceUID: series?.seriesInstanceUID ?? '',
    FrameOfReferenceUID: first?.FrameOfReferenceUID ?? '',
    Modality,
    images: sorted.map(
      ({ imageId: _id, instance: _instance, FrameOfReferenceUID: _for, ...image }) => image,
    ),
  };
  return {
    imageIds: sorted.map((image) => image.imageId),
    geometry,
    nominalSpacing: {
      SliceThickness: positiveNumber(first?.instance['SliceThickness']),
      SpacingBetweenSlices: positiveNumber(first?.instance['SpacingBetweenSlices']),
    },
    petHeaders:
      Modality === PET_MODALITY
        ? sorted.map((image) => readPetSuvHeaders(image.instance))
        : undefined,
  };
}

/** Pixel values in modality units, with any SUV scaling of the viewer undone (module comment). */
export function computeStoredUnitValues(image: CachedImageLike, modality: string): Float32Array {
  const scaled = image.preScale?.scaled === true;
  const values = computeModalityValues(image.getPixelData(), {
    alreadyRescaled: scaled,
    RescaleSlope: image.slope ?? 1,
    RescaleIntercept: image.intercept ?? 0,
  });
  const suvbw = image.preScale?.scalingParameters?.suvbw;
  if (scaled && modality === PET_MODALITY && typeof suvbw === 'number' && suvbw > 0) {
    for (let i = 0; i < values.length; i++) values[i] = (values[i] ?? 0) / suvbw;
  }
  return values;
}

async function loadImage(
  { cornerstone }: CornerstoneLibraries,
  imageId: string,
): Promise<CachedImageLike> {
  const cached = cornerstone.cache.getImage(imageId) as unknown as CachedImageLike | undefined;
  if (cached) return cached;
  try {
    return (await cornerstone.imageLoader.loadAndCacheImage(imageId)) as unknown as CachedImageLike;
  } catch (error) {
    throw new BurdenError('source.imageLoadFailed', `Image ${imageId} could not be loaded`, {
      cause: error,
    });
  }
}

/**
 * Pixel values of the slices in `needed` (geometry order). The core reads only
 * slices that hold mask voxels (or, for SUVpeak, lie near them), so the others
 * share one zero-filled array and are never loaded: a small lesion in a long
 * series costs a few images, not the whole series.
 * @throws BurdenError `source.imageLoadFailed`
 */
export async function readSourcePixels(
  libraries: CornerstoneLibraries,
  series: SourceSeries,
  needed: ReadonlySet<number>,
  onProgress: (done: number, total: number) => void,
  isStale: () => boolean,
): Promise<Float32Array[] | null> {
  const first = series.geometry.images[0];
  const unread = new Float32Array(first ? first.Rows * first.Columns : 0);
  const pixels: Float32Array[] = series.imageIds.map(() => unread);
  const wanted = [...needed].sort((a, b) => a - b);
  for (let start = 0; start < wanted.length; start += LOAD_BATCH_SIZE) {
    const batch = wanted.slice(start, start + LOAD_BATCH_SIZE);
    const images = await Promise.all(
      batch.map((k) => loadImage(libraries, series.imageIds[k] ?? '')),
    );
    if (isStale()) return null;
    images.forEach((image, j) => {
      pixels[batch[j] ?? 0] = computeStoredUnitValues(image, series.geometry.Modality);
    });
    onProgress(Math.min(start + LOAD_BATCH_SIZE, wanted.length), wanted.length);
  }
  return pixels;
}
