import { packBinaryFrames, unpackBits } from '../../../extension/src/core/seg/packBits';

describe('packBinaryFrames', () => {
  it('puts the first pixel in the least significant bit', () => {
    const frame = Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1]);
    expect([...packBinaryFrames([frame], 16)]).toEqual([0b00000001, 0b10000010]);
  });

  it('concatenates frames bit by bit when the frame size is not a multiple of 8', () => {
    // Two 3-pixel frames: 1,1,0 then 1,0,1 -> bits 0..5 = 1,1,0,1,0,1.
    const packed = packBinaryFrames([Uint8Array.from([1, 1, 0]), Uint8Array.from([1, 0, 1])], 3);
    expect(packed.length).toBe(1);
    expect(packed[0]).toBe(0b00101011);
  });

  it('treats any non-zero value as inside', () => {
    expect([...packBinaryFrames([Uint8Array.from([255, 0, 7, 0, 0, 0, 0, 1])], 8)]).toEqual([
      0b10000101,
    ]);
  });

  it('round-trips odd-sized frames through unpackBits at every offset', () => {
    const pixels = 23 * 38; // 874 bits: frame 2 starts at bit 2 of byte 109
    const frames = [0, 1, 2].map((f) =>
      Uint8Array.from({ length: pixels }, (_, i) => ((i * 7 + f) % 5 === 0 ? 1 : 0)),
    );
    const packed = packBinaryFrames(frames, pixels);
    expect(packed.length).toBe(Math.ceil((3 * pixels) / 8));
    frames.forEach((frame, f) => expect(unpackBits(packed, f * pixels, pixels)).toEqual(frame));
  });

  it('refuses a frame of the wrong length', () => {
    expect(() => packBinaryFrames([new Uint8Array(5)], 6)).toThrow(RangeError);
  });
});

describe('unpackBits', () => {
  it('reads LSB first', () => {
    expect([...unpackBits(Uint8Array.from([0b00000110]), 0, 8)]).toEqual([0, 1, 1, 0, 0, 0, 0, 0]);
  });

  it('refuses to read past the end', () => {
    expect(() => unpackBits(new Uint8Array(1), 4, 5)).toThrow(RangeError);
  });
});
