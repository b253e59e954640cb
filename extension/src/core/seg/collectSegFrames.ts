/**
 * Chooses the frames of a SEG from per-image masks: a frame exists only where a
 * segment has at least one pixel, so a 300-slice series with a 60-slice lesion
 * stores 60 frames, not 300.
 */
import { SegWriteError } from './segErrors';
import type { SegmentInput } from './segTypes';

/** One BINARY frame: a segment's mask on one source image. */
export interface BinaryFrame {
  /** 1-based SegmentNumber. */
  segmentNumber: number;
  /** 0-based index into `SeriesGeometry.images`. */
  imageIndex: number;
  mask: Uint8Array;
}

/** One LABELMAP frame: every segment's number painted on one source image. */
export interface LabelMapFrame {
  imageIndex: number;
  labels: Uint8Array | Uint16Array;
}

/** Largest segment count a byte label map holds (0 is background). */
const MAX_UINT8_LABEL = 255;
/** Largest SegmentNumber (US) and 16-bit label value. */
const MAX_UINT16_LABEL = 65535;

function hasAnyPixel(mask: Uint8Array): boolean {
  for (let i = 0; i < mask.length; i++) if (mask[i]) return true;
  return false;
}

function checkMasks(segments: readonly SegmentInput[], imageCount: number, pixels: number): void {
  segments.forEach((segment, s) => {
    if (segment.masks.length > imageCount) {
      throw new SegWriteError(
        'seg-mask-size',
        `Segment ${s + 1} has ${segment.masks.length} masks for ${imageCount} source images`,
      );
    }
    segment.masks.forEach((mask, i) => {
      if (mask && mask.length !== pixels) {
        throw new SegWriteError(
          'seg-mask-size',
          `Segment ${s + 1}, image ${i}: mask has ${mask.length} pixels, expected ${pixels}`,
        );
      }
    });
  });
}

/**
 * Frames of a BINARY SEG, ordered by segment then by image (the order of the
 * dimension index: ReferencedSegmentNumber, then ImagePositionPatient).
 *
 * @throws SegWriteError `seg-mask-size` when a mask does not fit the source.
 */
export function collectBinaryFrames(
  segments: readonly SegmentInput[],
  imageCount: number,
  pixelsPerImage: number,
): BinaryFrame[] {
  checkMasks(segments, imageCount, pixelsPerImage);
  const frames: BinaryFrame[] = [];
  segments.forEach((segment, s) => {
    segment.masks.forEach((mask, imageIndex) => {
      if (mask && hasAnyPixel(mask)) frames.push({ segmentNumber: s + 1, imageIndex, mask });
    });
  });
  return frames;
}

/** True when some pixel lies in two or more segments. */
export function computeSegmentsOverlap(segments: readonly SegmentInput[]): boolean {
  const imageCount = Math.max(0, ...segments.map((segment) => segment.masks.length));
  for (let imageIndex = 0; imageIndex < imageCount; imageIndex++) {
    const masks = segments
      .map((segment) => segment.masks[imageIndex])
      .filter((mask): mask is Uint8Array => Boolean(mask));
    if (masks.length < 2) continue;
    const counts = new Uint8Array(masks[0]?.length ?? 0);
    for (const mask of masks) {
      for (let p = 0; p < mask.length; p++) {
        if (!mask[p]) continue;
        if (counts[p]) return true;
        counts[p] = 1;
      }
    }
  }
  return false;
}

/**
 * Frames of a LABELMAP SEG: pixel value = SegmentNumber, 0 = no segment.
 *
 * @throws SegWriteError `seg-overlap-in-labelmap` when two segments share a pixel
 *   (a label map cannot say so; store BINARY instead), `seg-too-many-segments`.
 */
export function collectLabelMapFrames(
  segments: readonly SegmentInput[],
  imageCount: number,
  pixelsPerImage: number,
): { frames: LabelMapFrame[]; bitsAllocated: 8 | 16 } {
  checkMasks(segments, imageCount, pixelsPerImage);
  if (segments.length > MAX_UINT16_LABEL) {
    throw new SegWriteError(
      'seg-too-many-segments',
      `${segments.length} segments exceed ${MAX_UINT16_LABEL}`,
    );
  }
  const bitsAllocated = segments.length > MAX_UINT8_LABEL ? 16 : 8;
  const frames: LabelMapFrame[] = [];
  for (let imageIndex = 0; imageIndex < imageCount; imageIndex++) {
    let labels: Uint8Array | Uint16Array | undefined;
    segments.forEach((segment, s) => {
      const mask = segment.masks[imageIndex];
      if (!mask) return;
      for (let p = 0; p < mask.length; p++) {
        if (!mask[p]) continue;
        labels ??=
          bitsAllocated === 8 ? new Uint8Array(pixelsPerImage) : new Uint16Array(pixelsPerImage);
        if (labels[p]) {
          throw new SegWriteError(
            'seg-overlap-in-labelmap',
            `Segments ${labels[p]} and ${s + 1} overlap on image ${imageIndex}: use BINARY storage`,
          );
        }
        labels[p] = s + 1;
      }
    });
    if (labels) frames.push({ imageIndex, labels });
  }
  return { frames, bitsAllocated };
}
