/**
 * Reads a segmentation as the viewer holds it: one derived labelmap image per
 * source image (OHIF 3.13 stack segmentations), each naming its source by
 * `referencedImageId`, and the source's naturalized DICOM metadata from the
 * viewer's metadata provider.
 */
import type { CornerstoneLibraries } from '../host/cornerstoneLibraries';
import type { LabelmapSlice } from './createSegFromLabelmaps';
import type { NaturalInstance } from './naturalInstance';
import { SegSaveError } from './segSaveError';

/** OHIF's metadata provider answers this query with the naturalized instance. */
const INSTANCE_METADATA = 'instance';

interface LabelmapImage {
  referencedImageId?: string;
  getPixelData(): ArrayLike<number>;
}

/**
 * @throws SegSaveError `save-no-segmentation`, `save-unsupported-segmentation`
 *   or `save-missing-metadata`.
 */
export function readViewerSegmentation(
  libraries: CornerstoneLibraries,
  segmentationId: string,
): LabelmapSlice[] {
  const { cornerstone, cornerstoneTools } = libraries;
  const segmentation = cornerstoneTools.segmentation.state.getSegmentation(segmentationId);
  if (!segmentation) {
    throw new SegSaveError('save-no-segmentation', `Segmentation ${segmentationId} is gone`);
  }
  const labelmap = segmentation.representationData?.Labelmap;
  const imageIds = labelmap && 'imageIds' in labelmap ? (labelmap.imageIds as string[]) : [];
  if (imageIds.length === 0) {
    throw new SegSaveError(
      'save-unsupported-segmentation',
      `Segmentation ${segmentationId} has no labelmap images (a volume labelmap?)`,
    );
  }
  return imageIds.map((imageId) => {
    const image = cornerstone.cache.getImage(imageId) as unknown as LabelmapImage | undefined;
    const source = image?.referencedImageId;
    if (!image || !source) {
      throw new SegSaveError(
        'save-unsupported-segmentation',
        `Labelmap image ${imageId} is not loaded or names no source image`,
      );
    }
    const instance = cornerstone.metaData.get(INSTANCE_METADATA, source) as
      | NaturalInstance
      | undefined;
    if (!instance) {
      throw new SegSaveError(
        'save-missing-metadata',
        `The viewer has no DICOM metadata for ${source}`,
      );
    }
    return { instance, labels: image.getPixelData() };
  });
}
