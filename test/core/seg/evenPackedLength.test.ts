/**
 * The empty frame OHIF 3.13's loader needs, and only where it helps. With
 * whole-byte frames (8-bit FRACTIONAL, or BINARY with an odd byte count per
 * frame) an odd frame count makes an odd PixelData length, which DICOM pads
 * and the loader then cannot split: the writer adds one empty frame on the
 * slice next to the lesion. BINARY frames that are not whole bytes are never
 * padded: the viewer scrambles them anyway, and an odd length at least makes
 * it refuse the file. Masks read back unchanged; dciodvfy and pydicom accept
 * the padded file.
 */
import '../../support/quietDcmjs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readDicomFile } from '../../../extension/src/core/seg/dicomCodec';
import {
  computeEvenLengthFrameCount,
  computePixelDataByteLength,
} from '../../../extension/src/core/seg/evenPackedLength';
import { runDciodvfy } from '../../support/dciodvfy';
import { hashMask, readFramesWithPydicom } from '../../support/pydicomFrames';
import {
  COLUMNS,
  createGeometry,
  createMasks,
  expectSameMasks,
  LESION_START,
  lesion,
  PIXELS,
  readStored,
  ROWS,
  write,
} from './oddFrameSeries';

/** 8 x 13 BINARY frames: whole bytes (104 bits), but 13 of them, an odd count. */
const ODD_BYTES = { rows: 8, columns: 13 };

describe('computeEvenLengthFrameCount', () => {
  it('adds one frame to an odd count of 143 x 161 FRACTIONAL frames', () => {
    expect(computePixelDataByteLength(15, PIXELS, 8)).toBe(345345);
    expect(computeEvenLengthFrameCount(15, PIXELS, 8)).toBe(1);
    expect(computeEvenLengthFrameCount(3, PIXELS, 8)).toBe(1);
    expect(computeEvenLengthFrameCount(16, PIXELS, 8)).toBe(0);
    // One frame is read whole, pad byte and all; no frame, nothing to split.
    expect(computeEvenLengthFrameCount(1, PIXELS, 8)).toBe(0);
    expect(computeEvenLengthFrameCount(0, PIXELS, 8)).toBe(0);
  });

  it('pads BINARY frames of whole bytes when the byte count per frame is odd', () => {
    const pixels = ODD_BYTES.rows * ODD_BYTES.columns;
    expect(computePixelDataByteLength(3, pixels, 1)).toBe(39);
    expect(computeEvenLengthFrameCount(3, pixels, 1)).toBe(1);
    expect(computeEvenLengthFrameCount(4, pixels, 1)).toBe(0);
    expect(computeEvenLengthFrameCount(15, 512 * 512, 1)).toBe(0); // 32768 bytes a frame
  });

  it('never pads BINARY frames that are not whole bytes', () => {
    expect(computePixelDataByteLength(15, PIXELS, 1)).toBe(43169); // odd: refused by the viewer
    for (const frames of [3, 8, 15, 31]) {
      expect(computeEvenLengthFrameCount(frames, PIXELS, 1)).toBe(0);
    }
    expect(computeEvenLengthFrameCount(7, 27 * 30, 1)).toBe(0);
  });

  it('leaves every count with more than one whole-byte frame at an even length', () => {
    for (const pixels of [PIXELS, 27 * 30, 23 * 38, 90 * 115, 104, 512 * 512, 3, 1]) {
      for (const bits of [1, 8] as const) {
        const wholeBytes = (pixels * bits) % 8 === 0;
        for (let frames = 0; frames < 40; frames++) {
          const extra = computeEvenLengthFrameCount(frames, pixels, bits);
          const length = computePixelDataByteLength(frames + extra, pixels, bits);
          if (!wholeBytes) expect(extra).toBe(0);
          else if (frames > 1) expect(length % 2).toBe(0);
          if (extra > 0) expect(computePixelDataByteLength(frames, pixels, bits) % 2).toBe(1);
          expect(extra).toBeLessThanOrEqual(1);
        }
      }
    }
  });
});

describe('writeSeg: an empty frame for 143 x 161 FRACTIONAL', () => {
  const geometry = createGeometry();

  it('15 slices: an empty frame on the slice before the lesion: 16 x 23023 bytes', async () => {
    const segments = [lesion(createMasks(geometry, LESION_START, 15))];
    const written = write(geometry, segments, 'fractional');
    const stored = readStored(written, geometry);
    expect(written.numberOfFrames).toBe(16);
    expect(stored.numberOfFrames).toBe(16);
    expect(stored.byteLength).toBe(16 * PIXELS); // 368368: even, no pad byte
    const empty = stored.frames.filter((frame) => frame.nonzero === 0);
    expect(empty).toHaveLength(1);
    const added = empty[0]!;
    const image = geometry.images[LESION_START - 1]!;
    expect(added.imageIndex).toBe(LESION_START - 1);
    expect(added.sourceUID).toBe(image.SOPInstanceUID);
    expect(added.segmentNumber).toBe(1);
    expect(added.dimension).toEqual([1, LESION_START]);
    expect(added.position).toEqual(image.ImagePositionPatient);
    // Dimension order kept: the added frame comes first, the lesion after it.
    expect(stored.frames.map((frame) => frame.imageIndex)).toEqual(
      Array.from({ length: 16 }, (_, i) => LESION_START - 1 + i),
    );
    await expectSameMasks(written, geometry, segments);
  });

  it('15 slices with the option off: 15 frames, 345345 bytes padded to 345346', async () => {
    const segments = [lesion(createMasks(geometry, LESION_START, 15))];
    const written = write(geometry, segments, 'fractional', false);
    const stored = readStored(written, geometry);
    expect(written.numberOfFrames).toBe(15);
    expect(stored.byteLength).toBe(345346);
    expect(stored.frames.every((frame) => frame.nonzero > 0)).toBe(true);
    await expectSameMasks(written, geometry, segments);
  });

  it('16 slices are already even: 16 frames, with or without the option', async () => {
    const segments = [lesion(createMasks(geometry, LESION_START, 16))];
    for (const option of [true, false]) {
      const written = write(geometry, segments, 'fractional', option);
      const stored = readStored(written, geometry);
      expect(written.numberOfFrames).toBe(16);
      expect(stored.byteLength).toBe(16 * PIXELS);
      expect(stored.frames.every((frame) => frame.nonzero > 0)).toBe(true);
      await expectSameMasks(written, geometry, segments);
    }
  });

  it('a single frame stays single', () => {
    const written = write(geometry, [lesion(createMasks(geometry, LESION_START, 1))], 'fractional');
    expect(written.numberOfFrames).toBe(1);
    expect(readStored(written, geometry).byteLength).toBe(PIXELS + 1);
  });

  it('at the start of the series the added frame goes the only way there is', () => {
    const stored = readStored(
      write(geometry, [lesion(createMasks(geometry, 0, 15))], 'fractional'),
      geometry,
    );
    const added = stored.frames.filter((frame) => frame.nonzero === 0).map((f) => f.imageIndex);
    expect(added).toEqual([15]);
  });

  it('uses a free slice of another segment when one segment covers the series', async () => {
    // 17 + 14 = 31 frames: odd.
    const short = createGeometry(ROWS, COLUMNS, 17);
    const segments = [
      lesion(createMasks(short, 0, 17)),
      lesion(createMasks(short, 2, 14), 'Lesion 2'),
    ];
    const written = write(short, segments, 'fractional');
    const stored = readStored(written, short);
    expect(stored.numberOfFrames).toBe(32);
    expect(stored.byteLength).toBe(32 * PIXELS);
    const added = stored.frames.filter((frame) => frame.nonzero === 0);
    // Slices 1 and 16 are both next to Lesion 2; the lower one is taken.
    expect(added.map((frame) => [frame.segmentNumber, frame.imageIndex])).toEqual([[2, 1]]);
    await expectSameMasks(written, short, segments);
  });

  it('leaves the file as it is when every slice has a frame for every segment', () => {
    const short = createGeometry(ROWS, COLUMNS, 15);
    const written = write(short, [lesion(createMasks(short, 0, 15))], 'fractional');
    expect(written.numberOfFrames).toBe(15);
    expect(readStored(written, short).byteLength).toBe(15 * PIXELS + 1);
  });
});

describe('writeSeg: BINARY padding only for whole-byte frames', () => {
  it('143 x 161 BINARY on request: no empty frame, the pad byte stays (15, 8 slices)', async () => {
    const geometry = createGeometry();
    for (const count of [15, 8]) {
      const segments = [lesion(createMasks(geometry, LESION_START, count))];
      const written = write(geometry, segments, 'binary');
      const stored = readStored(written, geometry);
      expect(stored.SegmentationType).toBe('BINARY');
      expect(written.numberOfFrames).toBe(count);
      expect(stored.byteLength % 2).toBe(0);
      expect(stored.byteLength - computePixelDataByteLength(count, PIXELS, 1)).toBe(1);
      expect(stored.frames.every((frame) => frame.nonzero > 0)).toBe(true);
      await expectSameMasks(written, geometry, segments);
    }
  });

  it('8 x 13 BINARY (13 bytes a frame): 3 slices get a 4th, empty frame', async () => {
    const geometry = createGeometry(ODD_BYTES.rows, ODD_BYTES.columns, 10);
    const pixels = ODD_BYTES.rows * ODD_BYTES.columns;
    const masks = geometry.images.map((_, k) =>
      k >= 4 && k < 7
        ? Uint8Array.from({ length: pixels }, (_, p) => Number(p % 3 === k % 3))
        : undefined,
    );
    const segments = [lesion(masks)];
    const written = write(geometry, segments, 'binary');
    expect(written.numberOfFrames).toBe(4);
    expect(readDicomFile(written.bytes).pixelData[0]!.byteLength).toBe(4 * 13);
    await expectSameMasks(written, geometry, segments);
  });

  it('512 x 512: 15 slices stay 15 frames', () => {
    const large = createGeometry(512, 512, 30);
    const written = write(large, [lesion(createMasks(large, 5, 15))], 'binary');
    expect(written.numberOfFrames).toBe(15);
  });
});

describe('the 15-slice FRACTIONAL SEG with its added frame (dciodvfy + pydicom)', () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'seg-even-length-'));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('is valid and decodes to the lesion plus one empty frame', () => {
    const geometry = createGeometry();
    const masks = createMasks(geometry, LESION_START, 15);
    const written = write(geometry, [lesion(masks)], 'fractional');
    const file = path.join(folder, 'even-length-143x161x15.dcm');
    writeFileSync(file, new Uint8Array(written.bytes));
    expect(runDciodvfy(file).errors).toEqual([]);
    const images = geometry.images;
    const expected = [
      `1|${images[LESION_START - 1]!.SOPInstanceUID}|${hashMask(new Uint8Array(PIXELS))}`,
      ...masks.flatMap((mask, k) =>
        mask ? [`1|${images[k]!.SOPInstanceUID}|${hashMask(mask)}`] : [],
      ),
    ];
    const pydicom = readFramesWithPydicom(file, 0.5);
    expect(pydicom.frames.map((f) => `${f.segment}|${f.source}|${f.sha256}`)).toEqual(expected);
  });
});
