/**
 * Bit packing of BINARY SEG pixel data. PS3.5 8.1.1 and 8.2: with Bits
 * Allocated 1 the first pixel sits in the least significant bit of the first
 * byte, and in native (uncompressed) encoding the frames follow one another bit
 * by bit, with no padding at frame ends; only the whole value is padded to an
 * even length. A 23 x 38 frame (874 bits) therefore starts the second frame at
 * bit 2 of byte 109. Encapsulated syntaxes (RLE, deflate) pad each frame to a
 * byte instead; the reader handles that with `bitOffset` 0 per frame.
 */

const BITS_PER_BYTE = 8;

/**
 * Packs binary masks into one continuous bit stream, LSB first.
 *
 * @param frames one mask per frame, non-zero = inside; each `pixelsPerFrame` long.
 * @returns ceil(frames * pixelsPerFrame / 8) bytes.
 * @throws RangeError when a frame has the wrong length.
 */
export function packBinaryFrames(
  frames: readonly Uint8Array[],
  pixelsPerFrame: number,
): Uint8Array {
  const packed = new Uint8Array(Math.ceil((frames.length * pixelsPerFrame) / BITS_PER_BYTE));
  let bit = 0;
  for (const frame of frames) {
    if (frame.length !== pixelsPerFrame) {
      throw new RangeError(
        `packBinaryFrames: frame has ${frame.length} pixels, expected ${pixelsPerFrame}`,
      );
    }
    packFrameAt(frame, packed, bit);
    bit += pixelsPerFrame;
  }
  return packed;
}

function packFrameAt(frame: Uint8Array, packed: Uint8Array, startBit: number): void {
  let i = 0;
  // Unaligned head: single bits until the next byte boundary.
  while (i < frame.length && (startBit + i) % BITS_PER_BYTE !== 0) {
    if (frame[i]) setBit(packed, startBit + i);
    i++;
  }
  // Aligned body: eight pixels make one byte.
  let byteIndex = (startBit + i) / BITS_PER_BYTE;
  for (; i + BITS_PER_BYTE <= frame.length; i += BITS_PER_BYTE) {
    let byte = 0;
    for (let b = 0; b < BITS_PER_BYTE; b++) if (frame[i + b]) byte |= 1 << b;
    packed[byteIndex++] = byte;
  }
  for (; i < frame.length; i++) if (frame[i]) setBit(packed, startBit + i);
}

function setBit(bytes: Uint8Array, bit: number): void {
  const index = bit >>> 3;
  bytes[index] = (bytes[index] ?? 0) | (1 << (bit & 7));
}

/**
 * Unpacks `count` bits starting at bit `bitOffset` into a 0/1 array.
 *
 * @throws RangeError when the bytes end before the last requested bit.
 */
export function unpackBits(packed: Uint8Array, bitOffset: number, count: number): Uint8Array {
  if (bitOffset + count > packed.length * BITS_PER_BYTE) {
    const available = packed.length * BITS_PER_BYTE;
    throw new RangeError(
      `unpackBits: need bits ${bitOffset}..${bitOffset + count - 1}, have ${available}`,
    );
  }
  const out = new Uint8Array(count);
  let i = 0;
  if (bitOffset % BITS_PER_BYTE === 0) {
    // Byte-aligned start (every frame of a byte-multiple size): 8 pixels per byte.
    const first = bitOffset / BITS_PER_BYTE;
    const wholeBytes = Math.floor(count / BITS_PER_BYTE);
    for (let b = 0; b < wholeBytes; b++) {
      const byte = packed[first + b] ?? 0;
      if (byte === 0) continue; // most of a mask is background
      for (let k = 0; k < BITS_PER_BYTE; k++) out[b * BITS_PER_BYTE + k] = (byte >> k) & 1;
    }
    i = wholeBytes * BITS_PER_BYTE;
  }
  for (; i < count; i++) {
    const bit = bitOffset + i;
    out[i] = ((packed[bit >>> 3] ?? 0) >> (bit & 7)) & 1;
  }
  return out;
}
