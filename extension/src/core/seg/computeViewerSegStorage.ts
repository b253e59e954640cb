/**
 * The Segmentation Type a SEG must have for OHIF 3.13 to display it as we wrote
 * it. That viewer's dcmjs (0.52, `readUncompressedBitFrame`) splits BINARY
 * PixelData into frames reading bits MSB first, while DICOM packs 1-bit data
 * LSB first (PS3.5 8.1.1). A frame that starts on a byte boundary comes through
 * intact; one that starts mid-byte, as most frames after the first do whenever
 * Rows x Columns is not a multiple of 8 (the sarcoma CT's 143 x 161, its PET's
 * 27 x 30), keeps its voxel count but scrambles their positions.
 *
 * Its SEG adapter does accept FRACTIONAL when every value is 0 or
 * MaximumFractionalValue (`isPseudoBinaryFractional`). Such frames are whole
 * bytes, split at byte offsets, so they reach the viewer unchanged. They cost
 * 8 times the bytes of BINARY, hence BINARY stays where frames are whole bytes.
 */
import type { SourceImage } from '../dicom/seriesGeometry';
import type { SegStorage } from './segTypes';

const BITS_PER_BYTE = 8;

/**
 * 'fractional' when a BINARY frame of this size would not be a whole number of
 * bytes, 'binary' otherwise (512 x 512: smallest files). A single-frame SEG
 * would be read right either way; the choice does not depend on the frame
 * count, so that one lesion saves the same way on one slice or on forty.
 *
 * @example computeViewerSegStorage({ Rows: 143, Columns: 161 }) // 'fractional'
 * @example computeViewerSegStorage({ Rows: 512, Columns: 512 }) // 'binary'
 */
export function computeViewerSegStorage(
  image: Pick<SourceImage, 'Rows' | 'Columns'>,
): Extract<SegStorage, 'binary' | 'fractional'> {
  return (image.Rows * image.Columns) % BITS_PER_BYTE === 0 ? 'binary' : 'fractional';
}
