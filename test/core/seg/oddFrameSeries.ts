/**
 * Helpers of the tests on frame sizes OHIF 3.13 mishandles (evenPackedLength,
 * computeViewerSegStorage, viewerSegDecode): a synthetic series of 143 x 161
 * images (23023 pixels, the sarcoma CT's size), lesions on chosen slices, and
 * what a written SEG holds frame by frame, read without our SEG reader.
 */
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
import { unpackBits } from '../../../extension/src/core/seg/packBits';
import { readSeg } from '../../../extension/src/core/seg/readSeg';
import type { SegmentInput, SegStorage } from '../../../extension/src/core/seg/segTypes';
import { writeSeg, type WrittenSeg } from '../../../extension/src/core/seg/writeSeg';
import { createLesionSegment, TEST_EQUIPMENT } from '../../support/segFixtures';
import { createSyntheticGeometry, evenPositions } from '../../support/syntheticSeries';

export const ROWS = 143;
export const COLUMNS = 161;
export const PIXELS = ROWS * COLUMNS;
const SLICES = 40;
/** First slice of the test lesions: far enough in for slices on both sides. */
export const LESION_START = 12;

export function createGeometry(rows = ROWS, columns = COLUMNS, slices = SLICES): SeriesGeometry {
  return createSyntheticGeometry({
    rows,
    columns,
    pixelSpacing: [0.8, 0.8],
    slicePositions: evenPositions(slices, -100, 2.5),
  });
}

/**
 * Masks on `count` slices from `start`: a disc that grows slice by slice, plus
 * the first and last pixel of the frame, so that the values on both sides of
 * every frame boundary are set and a shifted frame would show.
 */
export function createMasks(
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

export function lesion(masks: (Uint8Array | undefined)[], label = 'Lesion 1'): SegmentInput {
  return createLesionSegment(label, [230, 40, 40], masks);
}

export function write(
  geometry: SeriesGeometry,
  segments: SegmentInput[],
  storage: SegStorage,
  evenPackedLength?: boolean,
): WrittenSeg {
  return writeSeg({
    source: geometry,
    header: { PatientID: 'ODD-FRAMES', PatientName: 'Odd^Frames', SliceThickness: 2.5 },
    segments,
    equipment: TEST_EQUIPMENT,
    SeriesDescription: 'odd frame sizes',
    ContentCreatorName: 'Doe^Jane',
    storage,
    ...(evenPackedLength === undefined ? {} : { evenPackedLength }),
  });
}

/** What the file holds, frame by frame. */
export interface StoredFrame {
  segmentNumber: number;
  imageIndex: number;
  sourceUID: string;
  dimension: number[];
  position: number[];
  /** Pixels with a non-zero value. */
  nonzero: number;
  /** Distinct pixel values, ascending. */
  values: number[];
}

export interface StoredSeg {
  SegmentationType: string | undefined;
  BitsAllocated: number | undefined;
  numberOfFrames: number | undefined;
  /** PixelData length as stored, pad byte included. */
  byteLength: number;
  frames: StoredFrame[];
}

function readFrameValues(bytes: Uint8Array, bitsAllocated: number, f: number): Uint8Array {
  return bitsAllocated === 1
    ? unpackBits(bytes, f * PIXELS, PIXELS)
    : bytes.subarray(f * PIXELS, (f + 1) * PIXELS);
}

/** Reads the frames of a 143 x 161 BINARY or FRACTIONAL SEG from the raw data set. */
export function readStored(written: WrittenSeg, geometry: SeriesGeometry): StoredSeg {
  const { dataset, pixelData } = readDicomFile(written.bytes);
  const bytes = new Uint8Array(pixelData[0]!);
  const bitsAllocated = getNumber(dataset, 'BitsAllocated');
  const groups = getItems(dataset, 'PerFrameFunctionalGroupsSequence');
  const frames = groups.map((group, f): StoredFrame => {
    const source = getFirstItem(
      getFirstItem(group, 'DerivationImageSequence')!,
      'SourceImageSequence',
    )!;
    const sourceUID = getString(source, 'ReferencedSOPInstanceUID') ?? '';
    const values = readFrameValues(bytes, bitsAllocated ?? 0, f);
    return {
      segmentNumber: getNumber(
        getFirstItem(group, 'SegmentIdentificationSequence')!,
        'ReferencedSegmentNumber',
      )!,
      imageIndex: geometry.images.findIndex((image) => image.SOPInstanceUID === sourceUID),
      sourceUID,
      dimension: getNumbers(getFirstItem(group, 'FrameContentSequence')!, 'DimensionIndexValues'),
      position: getNumbers(getFirstItem(group, 'PlanePositionSequence')!, 'ImagePositionPatient'),
      nonzero: values.reduce((n, v) => n + (v ? 1 : 0), 0),
      values: [...new Set(values)].sort((a, b) => a - b),
    };
  });
  return {
    SegmentationType: getString(dataset, 'SegmentationType'),
    BitsAllocated: bitsAllocated,
    numberOfFrames: getNumber(dataset, 'NumberOfFrames'),
    byteLength: bytes.length,
    frames,
  };
}

/** Our reader gives back exactly the masks written, on the right images. */
export async function expectSameMasks(
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
