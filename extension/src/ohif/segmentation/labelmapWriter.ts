/**
 * Writes model masks into the viewer's labelmap, one derived labelmap image per
 * source image (how OHIF 3.13 stores a stack segmentation), and records one
 * undo step for the whole write so the viewer's own Undo restores the state
 * before the MedSAM result.
 */
import type { CornerstoneLibraries } from '../host/cornerstoneLibraries';

export interface SliceMask {
  /** The source image the mask belongs to. */
  imageId: string;
  /** Row-major, source image size, non-zero = in the segment. */
  mask: Uint8Array;
}

interface LabelmapImage {
  imageId: string;
  referencedImageId?: string;
  voxelManager: { getAtIndex(i: number): number; setAtIndex(i: number, v: number): boolean };
}

interface Change {
  image: LabelmapImage;
  indices: Uint32Array;
  before: Uint8Array;
}

function findLabelmapImages(libraries: CornerstoneLibraries, segmentationId: string): Map<string, LabelmapImage> {
  const { cornerstone, cornerstoneTools } = libraries;
  const segmentation = cornerstoneTools.segmentation.state.getSegmentation(segmentationId);
  const imageIds = segmentation?.representationData?.Labelmap && 'imageIds' in segmentation.representationData.Labelmap
    ? (segmentation.representationData.Labelmap.imageIds as string[])
    : [];
  const bySource = new Map<string, LabelmapImage>();
  for (const id of imageIds) {
    const image = cornerstone.cache.getImage(id) as unknown as LabelmapImage | undefined;
    if (image?.referencedImageId) bySource.set(image.referencedImageId, image);
  }
  return bySource;
}

/** Reads one segment of one slice as a 0/1 mask (for propagation seeds and tests). */
export function readSegmentMask(
  libraries: CornerstoneLibraries,
  segmentationId: string,
  imageId: string,
  segmentIndex: number,
  size: number,
): Uint8Array {
  const image = findLabelmapImages(libraries, segmentationId).get(imageId);
  const mask = new Uint8Array(size);
  if (!image) return mask;
  for (let i = 0; i < size; i++) mask[i] = image.voxelManager.getAtIndex(i) === segmentIndex ? 1 : 0;
  return mask;
}

/** What one write did to the labelmap. */
export interface LabelmapWrite {
  /** Voxels that changed (none: no undo step was recorded). */
  changed: number;
  /** Of those, voxels that belonged to another segment before. */
  taken: number;
}

/** Told when the viewer's Undo (true) or Redo (false) replays a write. */
export type RestoreListener = (undone: boolean) => void;

/**
 * Adds the masks to `segmentIndex` (voxels of other segments under the mask are
 * taken over, as the viewer's brush does) and pushes one undo step when
 * anything changed.
 */
export function addMasksToSegment(
  libraries: CornerstoneLibraries,
  segmentationId: string,
  segmentIndex: number,
  masks: SliceMask[],
  onRestore?: RestoreListener,
): LabelmapWrite {
  const labelmaps = findLabelmapImages(libraries, segmentationId);
  const changes: Change[] = [];
  for (const { imageId, mask } of masks) {
    const image = labelmaps.get(imageId);
    if (!image) throw new Error(`The segmentation has no labelmap for image ${imageId}`);
    const indices: number[] = [];
    const before: number[] = [];
    for (let i = 0; i < mask.length; i++) {
      if (!mask[i]) continue;
      const value = image.voxelManager.getAtIndex(i);
      if (value === segmentIndex) continue;
      indices.push(i);
      before.push(value);
    }
    if (indices.length) changes.push({ image, indices: Uint32Array.from(indices), before: Uint8Array.from(before) });
  }
  const apply = (undo: boolean) => {
    for (const change of changes) {
      change.indices.forEach((index, k) => {
        change.image.voxelManager.setAtIndex(index, undo ? (change.before[k] as number) : segmentIndex);
      });
    }
    libraries.cornerstoneTools.segmentation.triggerSegmentationEvents.triggerSegmentationDataModified(segmentationId);
  };
  // nothing changed: no event (it would mark the work unsaved) and no undo step
  if (changes.length) {
    apply(false);
    libraries.cornerstone.utilities.HistoryMemo.DefaultHistoryMemo.push({
      restoreMemo: (undo?: boolean) => {
        apply(undo !== false);
        onRestore?.(undo !== false);
      },
    });
  }
  const changed = changes.reduce((sum, c) => sum + c.indices.length, 0);
  const taken = changes.reduce((sum, c) => sum + c.before.reduce((n, v) => n + (v !== 0 ? 1 : 0), 0), 0);
  return { changed, taken };
}

/** Voxels of `segmentIndex` on each source image, by imageId. */
export function countSegmentVoxels(
  libraries: CornerstoneLibraries,
  segmentationId: string,
  segmentIndex: number,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [imageId, image] of findLabelmapImages(libraries, segmentationId)) {
    const data = (image as unknown as { getPixelData(): ArrayLike<number> }).getPixelData();
    let n = 0;
    for (let i = 0; i < data.length; i++) if (data[i] === segmentIndex) n++;
    if (n > 0) counts.set(imageId, n);
  }
  return counts;
}
