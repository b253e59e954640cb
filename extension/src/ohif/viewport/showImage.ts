/**
 * Brings a source image into view in a viewport of either kind. OHIF turns
 * stack viewports into volume viewports once a segmentation is shown on several
 * series of one frame of reference (the sarcoma study's CT and PET after a
 * lesion on each), and a volume viewport has no setImageIdIndex: there the
 * image is reached through the view-reference API, which moves the camera to
 * the plane of a referenced image when the view is in the acquisition plane.
 */
import { readImageIds, type StackViewportLike } from './stackViewport';

/** What a volume viewport offers for this (cornerstone3D's ViewReference). */
interface ViewReferenceViewport {
  setViewReference(reference: { FrameOfReferenceUID: string; referencedImageId: string }): void;
  getFrameOfReferenceUID(): string;
  render(): void;
}

function asViewReference(viewport: unknown): ViewReferenceViewport | null {
  const v = viewport as Partial<ViewReferenceViewport>;
  return typeof v.setViewReference === 'function' && typeof v.getFrameOfReferenceUID === 'function'
    ? (v as ViewReferenceViewport)
    : null;
}

/**
 * Shows `imageId` in `viewport`; false when the viewport does not hold that image
 * or can be moved neither way.
 */
export async function showImage(viewport: StackViewportLike, imageId: string): Promise<boolean> {
  const index = readImageIds(viewport).indexOf(imageId);
  if (index < 0) return false;
  if (viewport.setImageIdIndex) {
    await viewport.setImageIdIndex(index);
    return true;
  }
  const volume = asViewReference(viewport);
  if (!volume) return false;
  volume.setViewReference({ FrameOfReferenceUID: volume.getFrameOfReferenceUID(), referencedImageId: imageId });
  volume.render();
  return true;
}
