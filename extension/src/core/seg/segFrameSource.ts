/**
 * Turns the PixelData of a SEG into per-frame values, whatever its transfer
 * syntax: native (little or big endian), RLE Lossless, or Deflated Image Frame
 * Compression. Other encapsulated syntaxes (JPEG 2000, JPEG-LS...) are refused
 * with a clear error rather than handed to a codec we do not ship.
 */
import type { ParsedDicomFile } from './dicomCodec';
import { decodeRleFrame } from './decodeRle';
import { inflateFrame } from './inflateFrame';
import { unpackBits } from './packBits';
import { SegReadError } from './segErrors';
import { TransferSyntax } from './segUIDs';

/** Pixel values of one frame: 0/1 for BINARY, stored values otherwise. */
export type FrameValues = Uint8Array | Uint16Array;

/** Shape of the pixel data. */
export interface FrameLayout {
  rows: number;
  columns: number;
  bitsAllocated: 1 | 8 | 16;
  numberOfFrames: number;
}

/** Names for the refusal message of syntaxes a SEG reader meets in the wild. */
const UNSUPPORTED_NAMES: Record<string, string> = {
  '1.2.840.10008.1.2.4.50': 'JPEG Baseline',
  '1.2.840.10008.1.2.4.57': 'JPEG Lossless',
  '1.2.840.10008.1.2.4.70': 'JPEG Lossless SV1',
  '1.2.840.10008.1.2.4.80': 'JPEG-LS Lossless',
  '1.2.840.10008.1.2.4.81': 'JPEG-LS Near-Lossless',
  '1.2.840.10008.1.2.4.90': 'JPEG 2000 Lossless',
  '1.2.840.10008.1.2.4.91': 'JPEG 2000',
  '1.2.840.10008.1.2.4.201': 'HTJ2K Lossless',
  '1.2.840.10008.1.2.4.203': 'HTJ2K',
};

const NATIVE_SYNTAXES = new Set<string>([
  TransferSyntax.ImplicitVRLittleEndian,
  TransferSyntax.ExplicitVRLittleEndian,
  TransferSyntax.DeflatedExplicitVRLittleEndian,
  TransferSyntax.ExplicitVRBigEndian,
]);

function pixelCount(layout: FrameLayout): number {
  return layout.rows * layout.columns;
}

/** Bytes one frame occupies when each frame starts on a byte (encapsulated). */
function frameByteLength(layout: FrameLayout): number {
  const pixels = pixelCount(layout);
  return layout.bitsAllocated === 1 ? Math.ceil(pixels / 8) : pixels * (layout.bitsAllocated / 8);
}

function toValues(
  bytes: Uint8Array,
  layout: FrameLayout,
  bitOffset: number,
  bigEndian: boolean,
): FrameValues {
  const pixels = pixelCount(layout);
  if (layout.bitsAllocated === 1) return unpackBits(bytes, bitOffset, pixels);
  const byteOffset = bitOffset / 8;
  if (layout.bitsAllocated === 8) return bytes.slice(byteOffset, byteOffset + pixels);
  const view = new DataView(bytes.buffer, bytes.byteOffset + byteOffset, pixels * 2);
  const values = new Uint16Array(pixels);
  for (let i = 0; i < pixels; i++) values[i] = view.getUint16(2 * i, !bigEndian);
  return values;
}

/** OW data in big endian is stored as swapped 16-bit words; undo that for bit and byte data. */
function swapWordBytes(bytes: Uint8Array): Uint8Array {
  const swapped = new Uint8Array(bytes.length);
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    swapped[i] = bytes[i + 1]!;
    swapped[i + 1] = bytes[i]!;
  }
  return swapped;
}

function nativeSource(
  file: ParsedDicomFile,
  layout: FrameLayout,
): (index: number) => Promise<FrameValues> {
  const buffer = file.pixelData[0];
  if (!buffer) throw new SegReadError('seg-pixel-data-missing', 'The SEG has no PixelData');
  const bigEndian = file.transferSyntaxUID === TransferSyntax.ExplicitVRBigEndian;
  let bytes: Uint8Array = new Uint8Array(buffer);
  if (bigEndian && file.pixelDataVR === 'OW' && layout.bitsAllocated !== 16)
    bytes = swapWordBytes(bytes);
  const bitsPerFrame = pixelCount(layout) * layout.bitsAllocated;
  const needed = Math.ceil((bitsPerFrame * layout.numberOfFrames) / 8);
  if (bytes.length < needed) {
    throw new SegReadError(
      'seg-pixel-data-short',
      `PixelData has ${bytes.length} bytes, ${needed} needed`,
    );
  }
  // Native BINARY frames are bit-contiguous: frame i starts at bit i * pixels.
  return async (index) => toValues(bytes, layout, index * bitsPerFrame, bigEndian);
}

function encapsulatedSource(
  file: ParsedDicomFile,
  layout: FrameLayout,
  decode: (frame: Uint8Array) => Promise<Uint8Array>,
): (index: number) => Promise<FrameValues> {
  if (file.pixelData.length !== layout.numberOfFrames) {
    throw new SegReadError(
      'seg-fragment-count',
      `${file.pixelData.length} pixel data fragments for ${layout.numberOfFrames} frames`,
    );
  }
  return async (index) => {
    const bytes = await decode(new Uint8Array(file.pixelData[index]!));
    if (bytes.length < frameByteLength(layout)) {
      throw new SegReadError(
        'seg-pixel-data-short',
        `Frame ${index + 1} decodes to ${bytes.length} bytes`,
      );
    }
    return toValues(bytes, layout, 0, false);
  };
}

async function decodeRle(frame: Uint8Array, layout: FrameLayout): Promise<Uint8Array> {
  const planeLength = layout.bitsAllocated === 1 ? frameByteLength(layout) : pixelCount(layout);
  const planes = decodeRleFrame(frame, planeLength);
  if (layout.bitsAllocated !== 16) return planes[0]!;
  // 16-bit: plane 0 holds the high bytes; interleave to little endian.
  const [high, low] = planes;
  if (!high || !low)
    throw new SegReadError('seg-invalid-rle', 'A 16-bit RLE frame needs two segments');
  const bytes = new Uint8Array(planeLength * 2);
  for (let i = 0; i < planeLength; i++) {
    bytes[2 * i] = low[i]!;
    bytes[2 * i + 1] = high[i]!;
  }
  return bytes;
}

/**
 * Returns a function that decodes frame `index` (0-based) on demand, so that
 * only one decoded frame at a time needs to be held.
 *
 * @throws SegReadError `seg-unsupported-transfer-syntax`, `seg-pixel-data-missing`,
 *   `seg-pixel-data-short`, `seg-fragment-count`; the returned function may throw
 *   `seg-invalid-rle` or `seg-invalid-deflate`.
 */
export function createFrameSource(
  file: ParsedDicomFile,
  layout: FrameLayout,
): (index: number) => Promise<FrameValues> {
  const syntax = file.transferSyntaxUID;
  if (NATIVE_SYNTAXES.has(syntax)) return nativeSource(file, layout);
  if (syntax === TransferSyntax.RLELossless) {
    return encapsulatedSource(file, layout, async (frame) => decodeRle(frame, layout));
  }
  if (syntax === TransferSyntax.DeflatedImageFrameCompression) {
    return encapsulatedSource(file, layout, inflateFrame);
  }
  const name = UNSUPPORTED_NAMES[syntax] ?? 'unknown';
  throw new SegReadError(
    'seg-unsupported-transfer-syntax',
    `Unsupported transfer syntax ${syntax} (${name}): SEG frames can be read only when ` +
      'uncompressed, RLE Lossless or deflated',
  );
}
