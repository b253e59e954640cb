/**
 * Reads one slice as the core needs it: modality values and geometry, from the
 * viewer's own cache (loading the image when it is not cached yet).
 */
import { computeModalityValues } from '../../core/dicom/modalityValues';
import type { ImagePlane, Vec3 } from '../../core/dicom/seriesGeometry';
import type { CornerstoneLibraries } from '../host/cornerstoneLibraries';

export interface ViewerSlice {
  imageId: string;
  plane: ImagePlane;
  values: Float32Array;
  Modality: string;
}

interface ImageLike {
  rows: number;
  columns: number;
  slope: number;
  intercept: number;
  preScale?: { scaled?: boolean };
  getPixelData(): ArrayLike<number>;
}

interface PlaneModule {
  rows: number;
  columns: number;
  imagePositionPatient: Vec3;
  rowCosines: Vec3;
  columnCosines: Vec3;
  rowPixelSpacing: number;
  columnPixelSpacing: number;
}

export async function readSliceFromViewer(
  { cornerstone }: CornerstoneLibraries,
  imageId: string,
): Promise<ViewerSlice> {
  const cached = cornerstone.cache.getImage(imageId) as unknown as ImageLike | undefined;
  const image = cached ?? ((await cornerstone.imageLoader.loadAndCacheImage(imageId)) as unknown as ImageLike);
  const plane = cornerstone.metaData.get('imagePlaneModule', imageId) as PlaneModule | undefined;
  if (!plane) throw new Error(`No image plane metadata for ${imageId}`);
  const general = cornerstone.metaData.get('generalSeriesModule', imageId) as { modality?: string } | undefined;
  const values = computeModalityValues(image.getPixelData(), {
    alreadyRescaled: image.preScale?.scaled === true,
    RescaleSlope: image.slope ?? 1,
    RescaleIntercept: image.intercept ?? 0,
  });
  return {
    imageId,
    values,
    Modality: general?.modality ?? 'OT',
    plane: {
      Rows: image.rows,
      Columns: image.columns,
      ImagePositionPatient: plane.imagePositionPatient,
      ImageOrientationPatient: [...plane.rowCosines, ...plane.columnCosines] as ImagePlane['ImageOrientationPatient'],
      PixelSpacing: [plane.rowPixelSpacing ?? 1, plane.columnPixelSpacing ?? 1],
    },
  };
}
