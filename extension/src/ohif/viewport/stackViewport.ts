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
