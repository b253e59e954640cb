/**
 * The parts of a cornerstone stack viewport we use, and how to reach the one
 * the user is looking at. Typed narrowly here: the viewer's cornerstone is a
 * run-time object (see host/cornerstoneLibraries.ts).
 */
import type { Vec3 } from '../../core/dicom/seriesGeometry';

export interface StackViewportLike {
  id: string;
  element: HTMLDivElement;
  getImageIds(): string[];
  getCurrentImageId(): string;
  getCurrentImageIdIndex(): number;
  /** The slice as the viewer's scrollbar and overlay count it (0-based). */
  getSliceIndex?(): number;
  /** Stack viewports only: a volume viewport lacks it (see showImage.ts). */
  setImageIdIndex?(index: number): Promise<string>;
  worldToCanvas(world: Vec3): [number, number];
  render(): void;
}

export function isStackViewport(viewport: unknown): viewport is StackViewportLike {
  const v = viewport as Partial<StackViewportLike> | null;
  return !!v && typeof v.getImageIds === 'function' && typeof v.getCurrentImageId === 'function';
}

/**
 * The viewport's image ids; none while the viewer is still building a volume
 * viewport (cornerstone then throws "No actor found for the given volumeId").
 */
export function readImageIds(viewport: StackViewportLike): string[] {
  try {
    return viewport.getImageIds();
  } catch {
    return [];
  }
}

/** The image in view; null while a volume viewport is still being built. */
export function readCurrentImageId(viewport: StackViewportLike): string | null {
  try {
    return viewport.getCurrentImageId();
  } catch {
    return null;
  }
}

/**
 * 1-based place of the image at `at` in the viewport's images, as the viewer
 * numbers its slices ("(N/M)" in its overlay). A stack counts in image order; a
 * volume viewport counts along its view normal, which may run against its image
 * list: then its current slice index mirrors the current image's place (which
 * cannot be told on the middle slice of an odd count: image order then).
 */
export function viewerSlicePosition(viewport: StackViewportLike, images: readonly string[], at: number): number {
  const current = images.indexOf(readCurrentImageId(viewport) ?? '');
  let sliceIndex: number | undefined;
  try {
    sliceIndex = viewport.getSliceIndex?.();
  } catch {
    sliceIndex = undefined;
  }
  const mirrored =
    typeof sliceIndex === 'number' && current >= 0 && sliceIndex !== current && sliceIndex === images.length - 1 - current;
  return mirrored ? images.length - at : at + 1;
}
