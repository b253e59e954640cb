/**
 * RLE Lossless frame decoding (PS3.5 Annex G). A frame is a 64-byte header (the
 * segment count, then 15 offsets) followed by byte segments, each a PackBits
 * run-length stream of one byte plane: the most significant plane first.
 */
import { SegReadError } from './segErrors';

/** Size of the RLE header: 16 unsigned 32-bit little-endian values. */
const RLE_HEADER_BYTES = 64;
/** Most segments an RLE header can list. */
const MAX_RLE_SEGMENTS = 15;

function decodeSegment(source: Uint8Array, start: number, end: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let read = start;
  let written = 0;
  while (written < length && read < end) {
    const header = source[read++]!;
    if (header < 128) {
      // 0..127: copy the next header + 1 bytes literally.
      const count = Math.min(header + 1, length - written, end - read);
      out.set(source.subarray(read, read + count), written);
      read += header + 1;
      written += count;
    } else if (header > 128) {
      // -127..-1 as a signed byte: repeat the next byte 257 - header times.
      const count = Math.min(257 - header, length - written);
      out.fill(source[read++] ?? 0, written, written + count);
      written += count;
    }
    // 128 (-128) is a no-op by definition.
  }
  if (written < length) {
    throw new SegReadError(
      'seg-invalid-rle',
      `RLE segment ended after ${written} of ${length} bytes`,
    );
  }
  return out;
}

/**
 * Decodes one RLE frame into its byte planes.
 *
 * @param planeLength bytes per plane: Rows * Columns, or ceil(Rows * Columns / 8)
 *   for Bits Allocated 1.
 * @returns one Uint8Array per segment, most significant first.
 * @throws SegReadError `seg-invalid-rle` for a malformed header or short data.
 */
export function decodeRleFrame(frame: Uint8Array, planeLength: number): Uint8Array[] {
  if (frame.length < RLE_HEADER_BYTES) {
    throw new SegReadError('seg-invalid-rle', `RLE frame of ${frame.length} bytes has no header`);
  }
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const segmentCount = view.getUint32(0, true);
  if (segmentCount < 1 || segmentCount > MAX_RLE_SEGMENTS) {
    throw new SegReadError('seg-invalid-rle', `RLE header lists ${segmentCount} segments`);
  }
  const offsets: number[] = [];
  for (let s = 0; s < segmentCount; s++) offsets.push(view.getUint32(4 + 4 * s, true));
  return offsets.map((offset, s) => {
    const end = offsets[s + 1] ?? frame.length;
    if (offset < RLE_HEADER_BYTES || offset > end || end > frame.length) {
      throw new SegReadError(
        'seg-invalid-rle',
        `RLE segment ${s + 1} has offsets ${offset}..${end}`,
      );
    }
    return decodeSegment(frame, offset, end, planeLength);
  });
}
