/**
 * Image Pixel module values of a SEG, its Segmentation Type attributes, and the
 * frame bytes of Label Map and pseudo-binary FRACTIONAL SEGs.
 */
import type { NaturalDataset } from './dicomCodec';
import type { SegStorage } from './segTypes';

/**
 * MaximumFractionalValue of our FRACTIONAL SEGs, and the value of every pixel
 * inside a segment: the 8-bit maximum, so that "inside" means probability 1.
 */
export const PSEUDO_BINARY_MAXIMUM = 255;

/** BitsAllocated for each kind of SEG we write (LABELMAP: 8 or 16, by segment count). */
export const BITS_ALLOCATED = { binary: 1, fractional: 8 } as const;

/**
 * SegmentationType, plus the two attributes FRACTIONAL requires (PS3.3
 * C.8.20.2): PROBABILITY, since our masks say where a lesion is, not how much
 * of a voxel it fills.
 */
export function describeSegmentationType(storage: SegStorage): NaturalDataset {
  if (storage === 'binary') return { SegmentationType: 'BINARY' };
  if (storage === 'labelmap') return { SegmentationType: 'LABELMAP' };
  return {
    SegmentationType: 'FRACTIONAL',
    SegmentationFractionalType: 'PROBABILITY',
    MaximumFractionalValue: PSEUDO_BINARY_MAXIMUM,
  };
}

/** Image Pixel attributes for 1 (BINARY), 8 or 16 (LABELMAP) bits per pixel. */
export function describePixels(
  rows: number,
  columns: number,
  bitsAllocated: 1 | 8 | 16,
): NaturalDataset {
  return {
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: rows,
    Columns: columns,
    BitsAllocated: bitsAllocated,
    BitsStored: bitsAllocated,
    HighBit: bitsAllocated - 1,
    PixelRepresentation: 0,
    LossyImageCompression: '00',
  };
}

/** Concatenates label frames; 16-bit values little endian, as the file is. */
export function createPixelData(
  frames: ReadonlyArray<Uint8Array | Uint16Array>,
  bitsAllocated: 8 | 16,
): Uint8Array {
  const pixels = frames.reduce((sum, frame) => sum + frame.length, 0);
  const bytes = new Uint8Array(pixels * (bitsAllocated / 8));
  const view = new DataView(bytes.buffer);
  let offset = 0;
  for (const frame of frames) {
    if (bitsAllocated === 8) {
      bytes.set(frame, offset);
      offset += frame.length;
    } else {
      for (let i = 0; i < frame.length; i++, offset += 2)
        view.setUint16(offset, frame[i] ?? 0, true);
    }
  }
  return bytes;
}

/**
 * Pseudo-binary FRACTIONAL frames: one byte per pixel, PSEUDO_BINARY_MAXIMUM
 * inside (mask non-zero), 0 outside; frames one after another.
 *
 * @throws RangeError when a mask has the wrong length.
 */
export function createPseudoBinaryPixelData(
  masks: readonly Uint8Array[],
  pixelsPerFrame: number,
): Uint8Array {
  const bytes = new Uint8Array(masks.length * pixelsPerFrame);
  masks.forEach((mask, f) => {
    if (mask.length !== pixelsPerFrame) {
      throw new RangeError(
        `createPseudoBinaryPixelData: frame has ${mask.length} pixels, expected ${pixelsPerFrame}`,
      );
    }
    const offset = f * pixelsPerFrame;
    for (let p = 0; p < pixelsPerFrame; p++) if (mask[p]) bytes[offset + p] = PSEUDO_BINARY_MAXIMUM;
  });
  return bytes;
}
