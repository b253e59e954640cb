/**
 * Keeps the PixelData of a SEG at a length the SEG loader of OHIF 3.13 can
 * split into frames, where that helps; never where it would make the viewer
 * display a wrong mask.
 *
 * That loader is dcmjs 0.52's AsyncDicomReader. Frames of whole bytes (8-bit
 * FRACTIONAL; BINARY when Rows x Columns is a multiple of 8) it splits with
 * `_emitSplitValues(frameLength)` after checking that the PixelData length is
 * a multiple of NumberOfFrames ("Invalid frame length"). The standard pads an
 * odd value with one byte (PS3.5 7.1.1), so with an odd byte count per frame
 * and an odd number of frames (more than one) that check fails and the viewer
 * refuses the file. One more frame makes the count even and the length
 * exact: this module adds it, an empty frame of a segment that already has
 * frames, on a source image where that segment has none, as near to the
 * segment's frames as the series allows. Readers that skip empty frames see
 * the same masks.
 *
 * BINARY frames that are not whole bytes (143 x 161, 27 x 30) are left alone.
 * `readUncompressedBitFrame` reads them MSB first where DICOM packs LSB first
 * (PS3.5 8.1.1), so every frame that starts mid-byte comes out scrambled. An
 * odd packed length makes it refuse the file ("The calculated length 43169
 * does not match the actual length 43170"); padding to an even length would
 * turn that loud refusal into a silently wrong display. Such series are
 * written as pseudo-binary FRACTIONAL for the viewer (computeViewerSegStorage.ts).
 */
import type { BinaryFrame } from './collectSegFrames';

const BITS_PER_BYTE = 8;
/** What the standard rounds a value's length up to (PS3.5 7.1.1). */
const EVEN = 2;

/** ceil(frames * pixels * bits / 8): the PixelData length before DICOM's pad byte. */
export function computePixelDataByteLength(
  frameCount: number,
  pixelsPerFrame: number,
  bitsAllocated: 1 | 8,
): number {
  return Math.ceil((frameCount * pixelsPerFrame * bitsAllocated) / BITS_PER_BYTE);
}

/**
 * How many empty frames the loader needs (see the module note): 1 when frames
 * are whole bytes, there is more than one frame and the length is odd (an odd
 * byte count per frame times an odd frame count; one more frame makes it
 * even); 0 otherwise, and always 0 for BINARY frames that are not whole bytes.
 *
 * @example computeEvenLengthFrameCount(15, 143 * 161, 8) // 1: 15 -> 16 frames, 368368 bytes
 * @example computeEvenLengthFrameCount(15, 143 * 161, 1) // 0: refused by the viewer, not scrambled
 */
export function computeEvenLengthFrameCount(
  frameCount: number,
  pixelsPerFrame: number,
  bitsAllocated: 1 | 8,
): number {
  const bitsPerFrame = pixelsPerFrame * bitsAllocated;
  if (bitsPerFrame % BITS_PER_BYTE !== 0) return 0;
  // A single frame is read whole, pad byte and all.
  if (frameCount <= 1) return 0;
  return computePixelDataByteLength(frameCount, pixelsPerFrame, bitsAllocated) % EVEN === 0 ? 0 : 1;
}

/** An empty-frame slot: segment `segmentNumber` on image `imageIndex`, `distance` slices out. */
interface Candidate {
  segmentNumber: number;
  imageIndex: number;
  distance: number;
}

/**
 * For each image, the distance in slices to the nearest image that holds a
 * frame (two sweeps, one from each end); Infinity when there is none.
 */
function computeSliceDistances(withFrame: ReadonlySet<number>, imageCount: number): number[] {
  const distances = new Array<number>(imageCount).fill(Infinity);
  let last = -Infinity;
  for (let i = 0; i < imageCount; i++) {
    if (withFrame.has(i)) last = i;
    distances[i] = i - last;
  }
  last = Infinity;
  for (let i = imageCount - 1; i >= 0; i--) {
    if (withFrame.has(i)) last = i;
    distances[i] = Math.min(distances[i]!, last - i);
  }
  return distances;
}

/** Free slots of every segment with frames, nearest to that segment's frames first. */
function findCandidates(frames: readonly BinaryFrame[], imageCount: number): Candidate[] {
  const imagesBySegment = new Map<number, Set<number>>();
  for (const frame of frames) {
    const images = imagesBySegment.get(frame.segmentNumber) ?? new Set<number>();
    images.add(frame.imageIndex);
    imagesBySegment.set(frame.segmentNumber, images);
  }
  const candidates: Candidate[] = [];
  for (const [segmentNumber, images] of imagesBySegment) {
    const distances = computeSliceDistances(images, imageCount);
    distances.forEach((distance, imageIndex) => {
      if (!images.has(imageIndex)) candidates.push({ segmentNumber, imageIndex, distance });
    });
  }
  // Adjacent slices first (the slice before a segment's first frame, or after
  // its last), then further out; ties go to the lower segment, then image.
  return candidates.sort(
    (a, b) =>
      a.distance - b.distance || a.segmentNumber - b.segmentNumber || a.imageIndex - b.imageIndex,
  );
}

/**
 * Adds the empty frame the loader needs, if any (see the module note), in
 * dimension order: by segment, then by image. Returns the frames unchanged
 * when none is needed or when no free (segment, image) slot is left, since a
 * frame on an image the segment already covers would be a duplicate.
 *
 * @param frames BINARY or FRACTIONAL frames in dimension order, from
 *   `collectBinaryFrames`.
 * @param imageCount number of source images (`SeriesGeometry.images.length`).
 * @param pixelsPerFrame Rows * Columns.
 * @param bitsAllocated 1 (BINARY) or 8 (FRACTIONAL).
 */
export function addEvenLengthFrames(
  frames: readonly BinaryFrame[],
  imageCount: number,
  pixelsPerFrame: number,
  bitsAllocated: 1 | 8,
): BinaryFrame[] {
  const needed = computeEvenLengthFrameCount(frames.length, pixelsPerFrame, bitsAllocated);
  if (needed === 0) return [...frames];
  const chosen = findCandidates(frames, imageCount).slice(0, needed);
  // No free slot: the viewer will refuse the file, as it would without this module.
  if (chosen.length < needed) return [...frames];
  const added: BinaryFrame[] = chosen.map(({ segmentNumber, imageIndex }) => ({
    segmentNumber,
    imageIndex,
    mask: new Uint8Array(pixelsPerFrame),
  }));
  return [...frames, ...added].sort(
    (a, b) => a.segmentNumber - b.segmentNumber || a.imageIndex - b.imageIndex,
  );
}
