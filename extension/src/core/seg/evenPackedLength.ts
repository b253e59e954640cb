/**
 * Keeps the packed PixelData of a BINARY SEG at an even byte count, for the
 * SEG loader of OHIF 3.13. When Rows x Columns is not a multiple of 8 and there
 * is more than one frame, that loader (dcmjs 0.52 `readUncompressedBitFrame`)
 * requires the PixelData length to equal ceil(frames * pixels / 8) exactly. The
 * standard pads an odd value with one byte (PS3.5 7.1.1), so an odd packed
 * length can never match and the viewer refuses the file ("The calculated length
 * 43169 does not match the actual length 43170" for 15 frames of 143 x 161).
 *
 * The workaround stays within the standard: it adds the fewest frames with no
 * pixel set, each a real frame of a segment that already has frames, on a
 * source image where that segment has none, as near to the segment's existing
 * frames as the series allows. Readers that skip empty frames see the same masks.
 */
import type { BinaryFrame } from './collectSegFrames';

const BITS_PER_BYTE = 8;
/**
 * Adding this many frames leaves frames * pixels unchanged modulo 16 bits, so
 * the parity of the packed byte count repeats: trying fewer extra frames is
 * enough. The answer is never more than 8 (a frame of 15 or 1 bits mod 16).
 */
const PARITY_PERIOD_FRAMES = 16;

/** ceil(frames * pixels / 8): the packed length before the DICOM pad byte. */
export function computePackedByteLength(frameCount: number, pixelsPerFrame: number): number {
  return Math.ceil((frameCount * pixelsPerFrame) / BITS_PER_BYTE);
}

/**
 * How many empty frames make the packed length even: 0 when it already is,
 * and 0 when frames are whole bytes: that loader reads those by another path
 * (`readUncompressed`), which this workaround leaves alone.
 *
 * @example computeEvenLengthFrameCount(15, 143 * 161) // 1: 43169 -> 46046 bytes
 */
export function computeEvenLengthFrameCount(frameCount: number, pixelsPerFrame: number): number {
  if (pixelsPerFrame % BITS_PER_BYTE === 0) return 0;
  for (let extra = 0; extra < PARITY_PERIOD_FRAMES; extra++) {
    if (computePackedByteLength(frameCount + extra, pixelsPerFrame) % 2 === 0) return extra;
  }
  // Not reached: a frame of k bits mod 16 (k not 0 or 8) reaches an even count
  // within 16 / gcd(k, 16) steps, as its remainders sweep a residue class mod 16.
  return 0;
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
 * Adds the fewest empty frames that make the packed PixelData length even (see
 * the module note), in dimension order: by segment, then by image. Returns the
 * frames unchanged when none are needed or when no free (segment, image) slot
 * is left, since a frame on an image the segment already covers would be a
 * duplicate.
 *
 * @param frames BINARY frames in dimension order, from `collectBinaryFrames`.
 * @param imageCount number of source images (`SeriesGeometry.images.length`).
 * @param pixelsPerFrame Rows * Columns.
 */
export function addEvenLengthFrames(
  frames: readonly BinaryFrame[],
  imageCount: number,
  pixelsPerFrame: number,
): BinaryFrame[] {
  const needed = computeEvenLengthFrameCount(frames.length, pixelsPerFrame);
  if (needed === 0) return [...frames];
  const chosen = findCandidates(frames, imageCount).slice(0, needed);
  // Fewer free slots than needed: the minimum cannot be met, nor any larger count.
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
