/**
 * The stack viewport that shows a given source image's series: the active one
 * when it does, else the first that does.
 */
import type { CornerstoneLibraries } from '../host/cornerstoneLibraries';
import { isStackViewport, readImageIds, type StackViewportLike } from '../viewport/stackViewport';

export function findSeriesViewport(
  libraries: CornerstoneLibraries,
  imageId: string,
  activeViewportId: string | null,
): StackViewportLike | null {
  const showing = libraries.cornerstone
    .getEnabledElements()
    .map((e) => e.viewport as unknown)
    .filter((v): v is StackViewportLike => isStackViewport(v) && readImageIds(v).includes(imageId));
  return showing.find((v) => v.id === activeViewportId) ?? showing[0] ?? null;
}
