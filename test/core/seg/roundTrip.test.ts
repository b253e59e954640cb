/**
 * mask -> our SEG bytes -> our reader -> the same masks, voxel for voxel, on
 * every source series and storage the writer supports (BINARY, pseudo-binary
 * FRACTIONAL, Label Map); plus the reader's fallbacks exercised on our own
 * SEGs (deflated data set, no references).
 */
import '../../support/quietDcmjs';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { data } from 'dcmjs';
import { alignSegToSeries } from '../../../extension/src/core/seg/alignSegToSeries';
import { readDicomFile, writeDicomFile } from '../../../extension/src/core/seg/dicomCodec';
import { readSeg } from '../../../extension/src/core/seg/readSeg';
import type { SegmentInput, SegStorage } from '../../../extension/src/core/seg/segTypes';
import { TransferSyntax } from '../../../extension/src/core/seg/segUIDs';
import { writeSeg } from '../../../extension/src/core/seg/writeSeg';
import { loadSourceSeries, SHARED_DATA, type LoadedSeries } from '../../support/loadSourceSeries';
import { createThreeLesions, TEST_EQUIPMENT } from '../../support/segFixtures';

function write(
  series: LoadedSeries,
  segments: SegmentInput[],
  storage: SegStorage = 'binary',
): ArrayBuffer {
  return writeSeg({
    source: series.geometry,
    header: series.header,
    segments,
    equipment: TEST_EQUIPMENT,
    SeriesDescription: 'round trip',
    storage,
  }).bytes;
}

function expectSameMasks(
  actual: (Uint8Array | undefined)[],
  expected: SegmentInput['masks'],
): void {
  // One entry per source image; the input may stop early (trailing empties).
  expect(expected.length).toBeLessThanOrEqual(actual.length);
  actual.forEach((mask, k) => {
    const want = expected[k];
    if (!want) {
      expect(mask).toBeUndefined();
      return;
    }
    expect(mask).toBeDefined();
    expect(Buffer.from(mask!).equals(Buffer.from(want))).toBe(true);
  });
}

const SOURCES = [
  'ct-sarcoma/ct',
  'ct-sarcoma/mr',
  'ct-sarcoma/pet',
  'seg-reference/dcmqi/23x38x3/image',
  'seg-reference/highdicom/source-ct2',
];

describe('SEG round trip', () => {
  it.each(SOURCES)('%s: three lesions (two overlapping) come back identical', async (folder) => {
    const series = loadSourceSeries(path.join(SHARED_DATA, folder));
    const segments = createThreeLesions(series.geometry);
    const seg = await readSeg(write(series, segments));
    const aligned = alignSegToSeries(seg, series.geometry);
    expect(aligned.map((a) => a.attributes.label)).toEqual(['Lesion 1', 'Lesion 2', 'Lesion 3']);
    aligned.forEach((segment, s) => {
      expect(segment.unplacedCount).toBe(0);
      expect(segment.attributes.rgb).toEqual(segments[s]!.rgb);
      expect(segment.attributes.modelSha256).toBe('a1'.repeat(32));
      expect(segment.attributes.algorithmType).toBe('SEMIAUTOMATIC');
      expectSameMasks(segment.masks, segments[s]!.masks);
    });
  });

  it.each(SOURCES)('%s: pseudo-binary FRACTIONAL comes back identical', async (folder) => {
    const series = loadSourceSeries(path.join(SHARED_DATA, folder));
    const segments = createThreeLesions(series.geometry);
    const seg = await readSeg(write(series, segments, 'fractional'));
    expect(seg.SegmentationType).toBe('FRACTIONAL');
    const aligned = alignSegToSeries(seg, series.geometry);
    expect(aligned).toHaveLength(3);
    aligned.forEach((segment, s) => {
      expect(segment.unplacedCount).toBe(0);
      expectSameMasks(segment.masks, segments[s]!.masks);
    });
  });

  it('Label Map SEG: non-overlapping lesions come back identical', async () => {
    const series = loadSourceSeries(path.join(SHARED_DATA, 'ct-sarcoma/ct'));
    const [first, , third] = createThreeLesions(series.geometry);
    const seg = await readSeg(write(series, [first!, third!], 'labelmap'));
    expect(seg.SegmentationType).toBe('LABELMAP');
    const aligned = alignSegToSeries(seg, series.geometry);
    expectSameMasks(aligned[0]!.masks, first!.masks);
    expectSameMasks(aligned[1]!.masks, third!.masks);
  });

  it('a deflated data set (1.2.840.10008.1.2.1.99) reads the same', async () => {
    const series = loadSourceSeries(path.join(SHARED_DATA, 'seg-reference/dcmqi/23x38x3/image'));
    const segments = createThreeLesions(series.geometry);
    const plain = write(series, segments);
    // Rewrite the file meta to announce deflate, then deflate all after it.
    const dict = data.DicomMessage.readFile(plain);
    dict.meta['00020010'] = { vr: 'UI', Value: [TransferSyntax.DeflatedExplicitVRLittleEndian] };
    const relabelled = new Uint8Array(dict.write());
    const metaEnd = 132 + 12 + new DataView(relabelled.buffer).getUint32(140, true);
    const deflated = Buffer.concat([
      relabelled.subarray(0, metaEnd),
      deflateRawSync(relabelled.subarray(metaEnd)),
    ]);
    const seg = await readSeg(
      deflated.buffer.slice(deflated.byteOffset, deflated.byteOffset + deflated.length),
    );
    expect(seg.transferSyntaxUID).toBe(TransferSyntax.DeflatedExplicitVRLittleEndian);
    alignSegToSeries(seg, series.geometry).forEach((segment, s) =>
      expectSameMasks(segment.masks, segments[s]!.masks),
    );
  });

  it('without source references, frames are keyed and placed by plane position', async () => {
    const series = loadSourceSeries(path.join(SHARED_DATA, 'ct-sarcoma/pet'));
    const segments = createThreeLesions(series.geometry);
    const parsed = readDicomFile(write(series, segments));
    const perFrame = parsed.dataset.PerFrameFunctionalGroupsSequence as Record<string, unknown>[];
    const stripped = perFrame.map(({ DerivationImageSequence: _dropped, ...rest }) => rest);
    const bytes = writeDicomFile(
      {
        ...parsed.dataset,
        PerFrameFunctionalGroupsSequence: stripped,
        PixelData: parsed.pixelData,
      },
      {
        SOPClassUID: String(parsed.dataset.SOPClassUID),
        SOPInstanceUID: String(parsed.dataset.SOPInstanceUID),
      },
    );
    const seg = await readSeg(bytes);
    expect(
      seg.segments[0]!.masks.every((m) => m.key.startsWith('pos:') && !m.ReferencedSOPInstanceUID),
    ).toBe(true);
    alignSegToSeries(seg, series.geometry).forEach((segment, s) => {
      expect(segment.unplacedCount).toBe(0);
      expectSameMasks(segment.masks, segments[s]!.masks);
    });
  });

  it('without PerFrameFunctionalGroupsSequence the SEG is refused with a reason', async () => {
    const series = loadSourceSeries(path.join(SHARED_DATA, 'seg-reference/highdicom/source-ct2'));
    const parsed = readDicomFile(write(series, createThreeLesions(series.geometry)));
    const { PerFrameFunctionalGroupsSequence: _dropped, ...rest } = parsed.dataset;
    const bytes = writeDicomFile(
      { ...rest, PixelData: parsed.pixelData },
      { SOPClassUID: String(rest.SOPClassUID), SOPInstanceUID: String(rest.SOPInstanceUID) },
    );
    await expect(readSeg(bytes)).rejects.toMatchObject({
      code: 'seg-missing-per-frame-groups',
      message: expect.stringContaining('PerFrameFunctionalGroupsSequence'),
    });
  });
});
