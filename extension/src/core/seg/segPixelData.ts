/**
 * Image Pixel module values of a SEG, and Label Map frame bytes.
 */
import type { NaturalDataset } from './dicomCodec';

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
