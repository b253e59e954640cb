import { decodeRleFrame } from '../../../extension/src/core/seg/decodeRle';
import { SegReadError } from '../../../extension/src/core/seg/segErrors';

/** An RLE frame with the given segments (already PackBits-encoded). */
function rleFrame(segments: number[][]): Uint8Array {
  const header = new DataView(new ArrayBuffer(64));
  header.setUint32(0, segments.length, true);
  let offset = 64;
  segments.forEach((segment, s) => {
    header.setUint32(4 + 4 * s, offset, true);
    offset += segment.length;
  });
  return Uint8Array.from([...new Uint8Array(header.buffer), ...segments.flat()]);
}

describe('decodeRleFrame', () => {
  it('decodes literal and replicate runs', () => {
    // literal 3 bytes (header 2), then 0x09 repeated 4 times (header -3 = 253).
    const frame = rleFrame([[2, 1, 2, 3, 253, 9]]);
    expect([...decodeRleFrame(frame, 7)[0]!]).toEqual([1, 2, 3, 9, 9, 9, 9]);
  });

  it('skips the -128 no-op and ignores padding after the plane is full', () => {
    const frame = rleFrame([[128, 0, 5, 0]]);
    expect([...decodeRleFrame(frame, 1)[0]!]).toEqual([5]);
  });

  it('returns planes in header order (most significant first)', () => {
    const planes = decodeRleFrame(
      rleFrame([
        [255, 1],
        [255, 2],
      ]),
      2,
    );
    expect(planes.map((plane) => [...plane])).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });

  it('reports a short segment with a stable code', () => {
    expect(() => decodeRleFrame(rleFrame([[0, 1]]), 4)).toThrow(
      expect.objectContaining({ code: 'seg-invalid-rle' }) as SegReadError,
    );
  });

  it('reports a frame without header', () => {
    expect(() => decodeRleFrame(new Uint8Array(10), 4)).toThrow(SegReadError);
  });
});
