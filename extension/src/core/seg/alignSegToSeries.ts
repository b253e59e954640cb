/**
 * Places the masks of a read SEG on the images of a series: by referenced SOP
 * Instance UID first, by plane position when a SEG has no usable reference.
 */
import type { SeriesGeometry, Vec3 } from '../dicom/seriesGeometry';
import type { SegmentAttributes } from './segmentAttributes';
import { SegReadError } from './segErrors';
import type { DecodedSeg, SourceMask } from './readSeg';

/** A segment's masks indexed like `SeriesGeometry.images`; undefined = empty. */
export interface AlignedSegment {
  attributes: SegmentAttributes;
  masks: (Uint8Array | undefined)[];
  /** Masks that matched no image of the series (other series, or off-grid). */
  unplacedCount: number;
}

/** Largest distance (mm) between a frame's and an image's position that still matches. */
const DEFAULT_POSITION_TOLERANCE_MM = 0.05;

function distance(a: Vec3, b: Vec3): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

function findImageIndex(
  mask: SourceMask,
  geometry: SeriesGeometry,
  byUID: Map<string, number>,
  toleranceMm: number,
): number | undefined {
  const byReference = mask.ReferencedSOPInstanceUID
    ? byUID.get(mask.ReferencedSOPInstanceUID)
    : undefined;
  if (byReference !== undefined) return byReference;
  const position = mask.ImagePositionPatient;
  if (!position) return undefined;
  let best: number | undefined;
  let bestDistance = toleranceMm;
  geometry.images.forEach((image, index) => {
    const d = distance(position, image.ImagePositionPatient);
    if (d <= bestDistance) {
      best = index;
      bestDistance = d;
    }
  });
  return best;
}

/**
 * @throws SegReadError `seg-geometry-mismatch` when the SEG's frame size differs
 *   from the series' images.
 */
export function alignSegToSeries(
  seg: DecodedSeg,
  geometry: SeriesGeometry,
  toleranceMm = DEFAULT_POSITION_TOLERANCE_MM,
): AlignedSegment[] {
  const first = geometry.images[0];
  if (!first || first.Rows !== seg.Rows || first.Columns !== seg.Columns) {
    throw new SegReadError(
      'seg-geometry-mismatch',
      `SEG frames are ${seg.Rows}x${seg.Columns}, the series images ` +
        `${first ? `${first.Rows}x${first.Columns}` : 'absent'}`,
    );
  }
  const byUID = new Map(geometry.images.map((image, index) => [image.SOPInstanceUID, index]));
  return seg.segments.map(({ masks, ...attributes }) => {
    const aligned: (Uint8Array | undefined)[] = geometry.images.map(() => undefined);
    let unplacedCount = 0;
    for (const mask of masks) {
      const index = findImageIndex(mask, geometry, byUID, toleranceMm);
      if (index === undefined) {
        unplacedCount++;
        continue;
      }
      const target = aligned[index];
      if (!target) aligned[index] = mask.mask.slice();
      else for (let i = 0; i < target.length; i++) if (mask.mask[i]) target[i] = 1;
    }
    return { attributes, masks: aligned, unplacedCount };
  });
}
