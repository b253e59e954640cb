/**
 * Where accepted MedSAM results go: one labelmap segmentation per displayed
 * series, one segment per lesion, through the viewer's segmentation service so
 * that its own brush, eraser, undo and SEG export work on our results too.
 */
import type { SegmentRow } from '../medsamState';

export interface SegmentationServiceLike {
  createLabelmapForDisplaySet(displaySet: unknown, options: Record<string, unknown>): Promise<string>;
  addSegmentationRepresentation(viewportId: string, options: { segmentationId: string }): Promise<void>;
  getSegmentation(segmentationId: string): { segments: Record<string, SegmentLike | undefined> } | undefined;
  getSegmentations(): Array<{ segmentationId: string }>;
  addSegment(segmentationId: string, config: { label: string; segmentIndex?: number }): void;
  setActiveSegment(segmentationId: string, segmentIndex: number): void;
  setSegmentLabel(segmentationId: string, segmentIndex: number, label: string): void;
  setSegmentVisibility(viewportId: string, segmentationId: string, segmentIndex: number, visible: boolean): void;
  removeSegment(segmentationId: string, segmentIndex: number): void;
  getSegmentColor(viewportId: string, segmentationId: string, segmentIndex: number): number[] | undefined;
  getNextAvailableSegmentIndex(segmentationId: string): number;
  EVENTS: Record<string, string>;
  subscribe(event: string, callback: (event?: unknown) => void): { unsubscribe(): void };
}

interface SegmentLike {
  segmentIndex: number;
  label: string;
  active?: boolean;
}

/** Segment rows as the panel shows them. */
export function listSegmentRows(
  service: SegmentationServiceLike,
  segmentationId: string,
  viewportId: string | null,
  hidden: ReadonlySet<number>,
): SegmentRow[] {
  const segmentation = service.getSegmentation(segmentationId);
  if (!segmentation) return [];
  return Object.values(segmentation.segments)
    .filter((s): s is SegmentLike => !!s && s.segmentIndex > 0)
    .sort((a, b) => a.segmentIndex - b.segmentIndex)
    .map((s) => {
      const colour = viewportId ? service.getSegmentColor(viewportId, segmentationId, s.segmentIndex) : undefined;
      return {
        segmentIndex: s.segmentIndex,
        label: s.label,
        colour: colour ? [colour[0] ?? 0, colour[1] ?? 0, colour[2] ?? 0] : [255, 0, 0],
        visible: !hidden.has(s.segmentIndex),
        active: s.active === true,
      };
    });
}
