/**
 * Every SEG the writer makes from real source series is valid for dciodvfy
 * (no "Error" line) and pydicom decodes exactly the pixels we meant, frame by
 * frame: two independent readers, one of them the standard's own checker. The
 * empty frames the writer adds for OHIF 3.13 are checked apart. FRACTIONAL
 * files are pseudo-binary: pydicom binarises them at half the maximum.
 */
import '../../support/quietDcmjs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readDicomFile, writeDicomFile } from '../../../extension/src/core/seg/dicomCodec';
import { SEGMENTATION_STORAGE } from '../../../extension/src/core/seg/segUIDs';
import { writeSeg, type WrittenSeg } from '../../../extension/src/core/seg/writeSeg';
import type { SegmentInput, SegStorage } from '../../../extension/src/core/seg/segTypes';
import { runDciodvfy } from '../../support/dciodvfy';
import {
  loadSourceSeries,
  readArrayBuffer,
  SHARED_DATA,
  type LoadedSeries,
} from '../../support/loadSourceSeries';
import { hashMask, readFramesWithPydicom, type PydicomFrame } from '../../support/pydicomFrames';
import { createThreeLesions, TEST_EQUIPMENT } from '../../support/segFixtures';

interface Case {
  name: string;
  folder: string;
  storage: SegStorage;
  /** Which of the three fixture lesions to write (label maps cannot overlap). */
  lesions: number[];
}

const CASES: Case[] = [
  {
    name: 'CT, three lesions, two overlapping',
    folder: 'ct-sarcoma/ct',
    storage: 'binary',
    lesions: [0, 1, 2],
  },
  { name: 'MR (explicit VR source)', folder: 'ct-sarcoma/mr', storage: 'binary', lesions: [0, 1] },
  { name: 'PET 27 x 30', folder: 'ct-sarcoma/pet', storage: 'binary', lesions: [0, 1, 2] },
  {
    name: 'odd width 23 x 38',
    folder: 'seg-reference/dcmqi/23x38x3/image',
    storage: 'binary',
    lesions: [0, 1, 2],
  },
  {
    name: 'highdicom CT2 16 x 16',
    folder: 'seg-reference/highdicom/source-ct2',
    storage: 'binary',
    lesions: [0, 1, 2],
  },
  { name: 'CT as Label Map SEG', folder: 'ct-sarcoma/ct', storage: 'labelmap', lesions: [0, 2] },
  {
    name: 'CT 143 x 161 as pseudo-binary FRACTIONAL',
    folder: 'ct-sarcoma/ct',
    storage: 'fractional',
    lesions: [0, 1, 2],
  },
  {
    name: 'PET 27 x 30 as FRACTIONAL',
    folder: 'ct-sarcoma/pet',
    storage: 'fractional',
    lesions: [0, 1, 2],
  },
  {
    name: 'MR 90 x 115 as FRACTIONAL',
    folder: 'ct-sarcoma/mr',
    storage: 'fractional',
    lesions: [0, 1],
  },
];

/** FRACTIONAL frames are 0 or 255; pydicom counts a pixel in from half of that. */
const FRACTIONAL_THRESHOLD = 0.5;
const PSEUDO_BINARY_INSIDE = 255;

/**
 * What a frame must hold: segment (absent for label maps), source and pixels,
 * `inside` where a segment's mask is set (1 as binarised, 255 as FRACTIONAL stores it).
 */
function expectedFrames(
  series: LoadedSeries,
  segments: SegmentInput[],
  storage: SegStorage,
  inside = 1,
): string[] {
  const images = series.geometry.images;
  if (storage === 'labelmap') {
    return images.flatMap((image, k) => {
      const labels = new Uint8Array(image.Rows * image.Columns);
      segments.forEach((segment, s) =>
        segment.masks[k]?.forEach((v, p) => v && (labels[p] = s + 1)),
      );
      return labels.some(Boolean) ? [`null|${image.SOPInstanceUID}|${hashMask(labels)}`] : [];
    });
  }
  return segments.flatMap((segment, s) =>
    images.flatMap((image, k) => {
      const mask = segment.masks[k];
      if (!mask) return [];
      const values = mask.map((v) => (v ? inside : 0));
      return [`${s + 1}|${image.SOPInstanceUID}|${hashMask(values)}`];
    }),
  );
}

/**
 * dicom3tools 2022-06 predates Supplement 243, so it knows no Label Map SOP
 * class. We check a Label Map SEG twice: as written (the tool can only say it
 * does not know the IOD) and re-labelled as Segmentation Storage, where every
 * error must be one of the two rules Supplement 243 changes for LABELMAP.
 */
const LABELMAP_UNKNOWN_IOD = 'Error - Information Object Not found';
const SUPPLEMENT_243_CHANGES = [
  /^Error - Unrecognized enumerated value <LABELMAP> for value 1 of attribute <Segmentation Type>$/,
  new RegExp(
    '^Error - Missing attribute Type 1 Required Element=<SegmentIdentificationSequence> ' +
      'Module=<SegmentationMacro>$',
  ),
];

function expectLabelMapConformance(file: string, check: ReturnType<typeof runDciodvfy>): void {
  expect(check.errors).toEqual([LABELMAP_UNKNOWN_IOD]);
  const parsed = readDicomFile(readArrayBuffer(file));
  const relabelled = path.join(path.dirname(file), `as-binary-iod-${path.basename(file)}`);
  const dataset = {
    ...parsed.dataset,
    SOPClassUID: SEGMENTATION_STORAGE,
    PixelData: parsed.pixelData,
  };
  const SOPInstanceUID = String(parsed.dataset.SOPInstanceUID);
  writeFileSync(
    relabelled,
    new Uint8Array(writeDicomFile(dataset, { SOPClassUID: SEGMENTATION_STORAGE, SOPInstanceUID })),
  );
  const asSegmentation = runDciodvfy(relabelled);
  expect(asSegmentation.output).toContain('Segmentation');
  const unexpected = asSegmentation.errors.filter(
    (line) => !SUPPLEMENT_243_CHANGES.some((rule) => rule.test(line)),
  );
  expect(unexpected).toEqual([]);
}

/**
 * Frames with no pixel are the writer's padding for OHIF 3.13
 * (evenPackedLength.ts): one, where frames are whole bytes (FRACTIONAL, or
 * BINARY of a multiple of 8 pixels) and more than one of them would make an
 * odd length; never for BINARY frames that are not whole bytes. The added
 * frame lies on a source image of the series where its segment has no frame.
 */
function expectEvenLengthFrames(
  frames: PydicomFrame[],
  withPixels: string[],
  series: LoadedSeries,
  storage: SegStorage,
): void {
  const empty = frames.filter((frame) => frame.nonzero === 0);
  const { Rows, Columns } = series.geometry.images[0]!;
  const pixels = Rows * Columns;
  const bits = storage === 'binary' ? 1 : 8;
  const length = (count: number): number => Math.ceil((count * pixels * bits) / 8);
  const wholeBytes = storage !== 'labelmap' && (pixels * bits) % 8 === 0;
  if (!wholeBytes || withPixels.length < 2 || length(withPixels.length) % 2 === 0) {
    expect(empty).toEqual([]);
    return;
  }
  expect(empty).toHaveLength(1);
  expect(length(frames.length) % 2).toBe(0);
  const taken = new Set(withPixels.map((key) => key.split('|').slice(0, 2).join('|')));
  const sources = new Set(series.geometry.images.map((image) => image.SOPInstanceUID));
  for (const frame of empty) {
    expect(sources.has(frame.source)).toBe(true);
    expect(taken.has(`${frame.segment}|${frame.source}`)).toBe(false);
  }
}

describe('writeSeg conformance (dciodvfy + pydicom)', () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'seg-conformance-'));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it.each(CASES)('$name', ({ name, folder: source, storage, lesions }) => {
    const series = loadSourceSeries(path.join(SHARED_DATA, source));
    const segments = createThreeLesions(series.geometry).filter((_, i) => lesions.includes(i));
    const written: WrittenSeg = writeSeg({
      source: series.geometry,
      header: series.header,
      segments,
      equipment: TEST_EQUIPMENT,
      SeriesDescription: `MedSAM test: ${name}`,
      ContentCreatorName: 'Doe^Jane',
      storage,
    });
    const file = path.join(folder, `${name.replace(/\W+/g, '_')}.dcm`);
    writeFileSync(file, new Uint8Array(written.bytes));

    const check = runDciodvfy(file);
    if (check.warnings.length > 0)
      console.log(`dciodvfy warnings for ${name}:\n${check.warnings.join('\n')}`);
    if (storage === 'labelmap') expectLabelMapConformance(file, check);
    else expect(check.errors).toEqual([]);

    const pydicom = readFramesWithPydicom(
      file,
      storage === 'fractional' ? FRACTIONAL_THRESHOLD : undefined,
    );
    const actual = pydicom.frames
      .filter((frame) => frame.nonzero > 0)
      .map((frame) => `${frame.segment}|${frame.source}|${frame.sha256}`);
    const expected = expectedFrames(series, segments, storage);
    expect(actual).toEqual(expected);
    expectEvenLengthFrames(pydicom.frames, expected, series, storage);
    expect(pydicom.frames).toHaveLength(written.numberOfFrames);
    if (storage === 'fractional') {
      // As stored, before any threshold: 255 inside, 0 outside, nothing else.
      const raw = readFramesWithPydicom(file)
        .frames.filter((frame) => frame.nonzero > 0)
        .map((frame) => `${frame.segment}|${frame.source}|${frame.sha256}`);
      expect(raw).toEqual(expectedFrames(series, segments, storage, PSEUDO_BINARY_INSIDE));
    }
  });
});
