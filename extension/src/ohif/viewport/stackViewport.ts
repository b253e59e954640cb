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
