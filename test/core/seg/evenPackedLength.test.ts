/**
 * The even-length workaround for OHIF 3.13: on 143 x 161 frames (23023 pixels,
 * the sarcoma CT's size) a 15-slice lesion packs to 43169 bytes, which the
 * viewer refuses once DICOM pads it to 43170; the writer adds one empty frame on
 * the slice next to the lesion. Masks read back unchanged, dciodvfy and pydicom
 * accept the file, and nothing changes where no frame is needed or wanted.
 */
import '../../support/quietDcmjs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SeriesGeometry } from '../../../extension/src/core/dicom/seriesGeometry';
import { alignSegToSeries } from '../../../extension/src/core/seg/alignSegToSeries';
import {
  getFirstItem,
  getItems,
  getNumber,
  getNumbers,
  getString,
} from '../../../extension/src/core/seg/datasetAccess';
import { readDicomFile } from '../../../extension/src/core/seg/dicomCodec';
import {
  computeEvenLengthFrameCount,
  computePackedByteLength,
} from '../../../extension/src/core/seg/evenPackedLength';
import { unpackBits } from '../../../extension/src/core/seg/packBits';
import { readSeg } from '../../../extension/src/core/seg/readSeg';
import type { SegmentInput } from '../../../extension/src/core/seg/segTypes';
import { writeSeg, type WrittenSeg } from '../../../extension/src/core/seg/writeSeg';
import { runDciodvfy } from '../../support/dciodvfy';
import { hashMask, readFramesWithPydicom } from '../../support/pydicomFrames';
import { createLesionSegment, TEST_EQUIPMENT } from '../../support/segFixtures';
import { createSyntheticGeometry, evenPositions } from '../../support/syntheticSeries';

const ROWS = 143;
const COLUMNS = 161;
const PIXELS = ROWS * COLUMNS;
const SLICES = 40;
/** First slice of the lesions below: far enough in for slices on both sides. */
const LESION_START = 12;

function createGeometry(rows = ROWS, columns = COLUMNS, slices = SLICES): SeriesGeometry {
  return createSyntheticGeometry({
    rows,
    columns,
    pixelSpacing: [0.8, 0.8],
    slicePositions: evenPositions(slices, -100, 2.5),
  });
}

/**
 * Masks on `count` slices from `start`: a disc that grows slice by slice, plus
 * the first and last pixel of the frame, so that the bits on both sides of
 * every frame boundary are set and a shifted frame would show.
 */
function createMasks(
  geometry: SeriesGeometry,
  start: number,
  count: number,
): (Uint8Array | undefined)[] {
  const { Rows, Columns } = geometry.images[0]!;
  return geometry.images.map((_, k) => {
    if (k < start || k >= start + count) return undefined;
    const mask = new Uint8Array(Rows * Columns);
    const radius = 6 + (k - start);
    for (let r = 0; r < Rows; r++) {
      for (let c = 0; c < Columns; c++) {
        if ((r - Rows / 2) ** 2 + (c - Columns / 3) ** 2 <= radius ** 2) mask[r * Columns + c] = 1;
      }
    }
    mask[0] = 1;
    mask[mask.length - 1] = 1;
    return mask;
  });
}

function lesion(masks: (Uint8Array | undefined)[]): SegmentInput {
  return createLesionSegment('Lesion 1', [230, 40, 40], masks);
}

function write(
  geometry: SeriesGeometry,
  segments: SegmentInput[],
  evenPackedLength?: boolean,
): WrittenSeg {
  return writeSeg({
    source: geometry,
    header: { PatientID: 'EVEN-LENGTH', PatientName: 'Even^Length', SliceThickness: 2.5 },
    segments,
    equipment: TEST_EQUIPMENT,
    SeriesDescription: 'even packed length',
    ContentCreatorName: 'Doe^Jane',
    ...(evenPackedLength === undefined ? {} : { evenPackedLength }),
  });
}

/** What the file holds, frame by frame, read without our SEG reader. */
interface StoredFrame {
  segmentNumber: number;
  imageIndex: number;
  dimension: number[];
  position: number[];
  nonzero: number;
}

interface StoredSeg {
  numberOfFrames: number | undefined;
  /** PixelData length as stored, pad byte included. */
  byteLength: number;
  frames: StoredFrame[];
}

function readStored(written: WrittenSeg, geometry: SeriesGeometry): StoredSeg {
  const { dataset, pixelData } = readDicomFile(written.bytes);
  const bytes = new Uint8Array(pixelData[0]!);
  const pixels = Number(dataset.Rows) * Number(dataset.Columns);
  const frames: StoredFrame[] = getItems(dataset, 'PerFrameFunctionalGroupsSequence').map(
    (group, f) => {
      const source = getFirstItem(
        getFirstItem(group, 'DerivationImageSequence')!,
        'SourceImageSequence',
      )!;
      const uid = getString(source, 'ReferencedSOPInstanceUID');
      return {
        segmentNumber: getNumber(
          getFirstItem(group, 'SegmentIdentificationSequence')!,
          'ReferencedSegmentNumber',
        )!,
        imageIndex: geometry.images.findIndex((image) => image.SOPInstanceUID === uid),
        dimension: getNumbers(getFirstItem(group, 'FrameContentSequence')!, 'DimensionIndexValues'),
        position: getNumbers(getFirstItem(group, 'PlanePositionSequence')!, 'ImagePositionPatient'),
        nonzero: unpackBits(bytes, f * pixels, pixels).reduce((n, v) => n + v, 0),
      };
    },
  );
  return { numberOfFrames: getNumber(dataset, 'NumberOfFrames'), byteLength: bytes.length, frames };
}

async function expectSameMasks(
  written: WrittenSeg,
  geometry: SeriesGeometry,
  segments: SegmentInput[],
): Promise<void> {
  const aligned = alignSegToSeries(await readSeg(written.bytes), geometry);
  expect(aligned).toHaveLength(segments.length);
  aligned.forEach((segment, s) => {
    expect(segment.unplacedCount).toBe(0);
    segment.masks.forEach((mask, k) => {
      const want = segments[s]!.masks[k];
      if (!want) expect(mask).toBeUndefined();
      else expect(Buffer.from(mask!).equals(Buffer.from(want))).toBe(true);
    });
  });
}

describe('computeEvenLengthFrameCount', () => {
  it('finds the fewest frames that make ceil(frames * pixels / 8) even', () => {
    expect(computePackedByteLength(15, PIXELS)).toBe(43169);
    expect(computeEvenLengthFrameCount(15, PIXELS)).toBe(1);
    expect(computeEvenLengthFrameCount(16, PIXELS)).toBe(0);
    // 23023 = -1 mod 16 bits: 8 frames end at bit 8 of a 16-bit pair, 8 more are needed.
    expect(computePackedByteLength(8, PIXELS)).toBe(23023);
    expect(computeEvenLengthFrameCount(8, PIXELS)).toBe(8);
    for (const pixels of [PIXELS, 27 * 30, 23 * 38, 90 * 115, 3, 5, 1]) {
      for (let frames = 0; frames < 40; frames++) {
        const extra = computeEvenLengthFrameCount(frames, pixels);
        expect(computePackedByteLength(frames + extra, pixels) % 2).toBe(0);
        for (let fewer = 0; fewer < extra; fewer++)
          expect(computePackedByteLength(frames + fewer, pixels) % 2).toBe(1);
        expect(extra).toBeLessThanOrEqual(8);
      }
    }
  });

  it('adds nothing for frames of whole bytes (512 x 512, or 8 x 13 with odd 13 bytes)', () => {
    expect(computeEvenLengthFrameCount(15, 512 * 512)).toBe(0);
    expect(computeEvenLengthFrameCount(3, 8 * 13)).toBe(0);
  });
});

describe('writeSeg: even packed PixelData on 143 x 161 frames', () => {
  const geometry = createGeometry();

  it('15 slices: one empty frame on the slice before the lesion makes 46046 bytes', async () => {
    const segments = [lesion(createMasks(geometry, LESION_START, 15))];
    const written = write(geometry, segments);
    const stored = readStored(written, geometry);
    expect(written.numberOfFrames).toBe(16);
    expect(stored.numberOfFrames).toBe(16);
    expect(stored.byteLength).toBe(46046);
    expect(stored.byteLength).toBe(computePackedByteLength(16, PIXELS)); // no pad byte
    const empty = stored.frames.filter((frame) => frame.nonzero === 0);
    expect(empty).toHaveLength(1);
    const added = empty[0]!;
    const image = geometry.images[LESION_START - 1]!;
    expect(added.imageIndex).toBe(LESION_START - 1);
    expect(added.segmentNumber).toBe(1);
    expect(added.dimension).toEqual([1, LESION_START]);
    expect(added.position).toEqual(image.ImagePositionPatient);
    // Dimension order kept: the added frame comes first, the lesion after it.
    expect(stored.frames.map((frame) => frame.imageIndex)).toEqual(
      Array.from({ length: 16 }, (_, i) => LESION_START - 1 + i),
    );
    await expectSameMasks(written, geometry, segments);
  });

  it('15 slices with the option off: 15 frames, 43169 bytes padded to 43170', async () => {
    const segments = [lesion(createMasks(geometry, LESION_START, 15))];
    const written = write(geometry, segments, false);
    const stored = readStored(written, geometry);
    expect(written.numberOfFrames).toBe(15);
    expect(computePackedByteLength(15, PIXELS)).toBe(43169);
    expect(stored.byteLength).toBe(43170);
    expect(stored.frames.every((frame) => frame.nonzero > 0)).toBe(true);
    await expectSameMasks(written, geometry, segments);
  });

  it('16 slices are already even: 16 frames, 46046 bytes, with or without the option', async () => {
    const segments = [lesion(createMasks(geometry, LESION_START, 16))];
    for (const option of [true, false]) {
      const written = write(geometry, segments, option);
      const stored = readStored(written, geometry);
      expect(written.numberOfFrames).toBe(16);
      expect(stored.byteLength).toBe(46046);
      expect(stored.frames.every((frame) => frame.nonzero > 0)).toBe(true);
      await expectSameMasks(written, geometry, segments);
    }
  });

  it('8 slices need 8 frames: the 4 slices on each side, nearest first', async () => {
    const segments = [lesion(createMasks(geometry, LESION_START, 8))];
    const written = write(geometry, segments);
    const stored = readStored(written, geometry);
    expect(stored.numberOfFrames).toBe(16);
    expect(stored.byteLength % 2).toBe(0);
    const added = stored.frames.filter((frame) => frame.nonzero === 0).map((f) => f.imageIndex);
    const end = LESION_START + 8;
    expect(added).toEqual([
      ...[4, 3, 2, 1].map((d) => LESION_START - d),
      ...[0, 1, 2, 3].map((d) => end + d),
    ]);
    await expectSameMasks(written, geometry, segments);
  });

  it('at the end of the series the added frames go the only way there is', () => {
    const segments = [lesion(createMasks(geometry, 0, 8))];
    const stored = readStored(write(geometry, segments), geometry);
    const added = stored.frames.filter((frame) => frame.nonzero === 0).map((f) => f.imageIndex);
    expect(added).toEqual([8, 9, 10, 11, 12, 13, 14, 15]);
  });

  it('uses a free slice of another segment when one segment covers the series', async () => {
    // 17 + 14 = 31 frames: 31 * 23023 bits end 1 bit into a 16-bit pair, one frame short.
    const short = createGeometry(ROWS, COLUMNS, 17);
    const segments = [
      lesion(createMasks(short, 0, 17)),
      createLesionSegment('Lesion 2', [40, 230, 40], createMasks(short, 2, 14)),
    ];
    expect(computeEvenLengthFrameCount(31, PIXELS)).toBe(1);
    const written = write(short, segments);
    const stored = readStored(written, short);
    expect(stored.numberOfFrames).toBe(32);
    expect(stored.byteLength).toBe(computePackedByteLength(32, PIXELS));
    expect(stored.byteLength % 2).toBe(0);
    const added = stored.frames.filter((frame) => frame.nonzero === 0);
    // Slices 1 and 16 are both next to Lesion 2; the lower one is taken.
    expect(added.map((frame) => [frame.segmentNumber, frame.imageIndex])).toEqual([[2, 1]]);
    await expectSameMasks(written, short, segments);
  });

  it('leaves the file as it is when every slice has a frame for every segment', () => {
    const short = createGeometry(ROWS, COLUMNS, 15);
    const segments = [lesion(createMasks(short, 0, 15))];
    const written = write(short, segments);
    expect(written.numberOfFrames).toBe(15);
    expect(readStored(written, short).byteLength).toBe(43170);
  });

  it('512 x 512: 15 slices stay 15 frames', () => {
    const large = createGeometry(512, 512, 30);
    const segments = [lesion(createMasks(large, 5, 15))];
    const written = write(large, segments);
    expect(written.numberOfFrames).toBe(15);
    expect(readStored(written, large).byteLength).toBe((15 * 512 * 512) / 8);
  });
});

describe('the 15-slice SEG with its added frame (dciodvfy + pydicom)', () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'seg-even-length-'));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('is valid and decodes to the lesion plus one empty frame', () => {
    const geometry = createGeometry();
    const masks = createMasks(geometry, LESION_START, 15);
    const written = write(geometry, [lesion(masks)]);
    const file = path.join(folder, 'even-length-143x161x15.dcm');
    writeFileSync(file, new Uint8Array(written.bytes));
    expect(runDciodvfy(file).errors).toEqual([]);
    const pydicom = readFramesWithPydicom(file);
    const images = geometry.images;
    const expected = [
      `1|${images[LESION_START - 1]!.SOPInstanceUID}|${hashMask(new Uint8Array(PIXELS))}`,
      ...masks.flatMap((mask, k) =>
        mask ? [`1|${images[k]!.SOPInstanceUID}|${hashMask(mask)}`] : [],
      ),
    ];
    expect(pydicom.frames.map((f) => `${f.segment}|${f.source}|${f.sha256}`)).toEqual(expected);
  });
});
