/**
 * Every SEG of ../shared/data/seg-reference decodes to the masks of its
 * reference: the NRRD label map that dcmqi wrote beside it, or pydicom's own
 * decoding of the same (or the uncompressed twin) file.
 */
import '../../support/quietDcmjs';
import path from 'node:path';
import { readSeg, type DecodedSeg } from '../../../extension/src/core/seg/readSeg';
import { SegReadError } from '../../../extension/src/core/seg/segErrors';
import { readArrayBuffer, SHARED_DATA } from '../../support/loadSourceSeries';
import { readNrrd, sliceMaskAt, type Nrrd } from '../../support/readNrrd';
import { hashMask, readFramesWithPydicom } from '../../support/pydicomFrames';

const REFERENCE = path.join(SHARED_DATA, 'seg-reference');
const ref = (...parts: string[]): string => path.join(REFERENCE, ...parts);

async function decode(file: string, fractionalThreshold?: number): Promise<DecodedSeg> {
  return readSeg(readArrayBuffer(file), { fractionalThreshold });
}

function count(mask: Uint8Array): number {
  return mask.reduce((sum, value) => sum + value, 0);
}

/** Compares one segment with `label` voxels of the NRRDs, slice by slice and in total. */
function expectSegmentMatchesNrrd(
  seg: DecodedSeg,
  segmentNumber: number,
  nrrd: Nrrd,
  label: number,
): void {
  const segment = seg.segments.find((s) => s.segmentNumber === segmentNumber);
  expect(segment).toBeDefined();
  let voxels = 0;
  for (const { mask, ImagePositionPatient } of segment!.masks) {
    expect(ImagePositionPatient).toBeDefined();
    const expected = sliceMaskAt(nrrd, ImagePositionPatient!, label);
    expect(expected).toBeDefined();
    expect(Buffer.compare(Buffer.from(mask), Buffer.from(expected!))).toBe(0);
    voxels += count(mask);
  }
  // Slices of the NRRD that no frame covers must hold no voxel of the segment.
  expect(voxels).toBe(nrrd.data.reduce((sum, value) => sum + (value === label ? 1 : 0), 0));
}

function expectAxisAligned(nrrd: Nrrd): void {
  nrrd.spaceDirections.forEach((direction, axis) =>
    direction.forEach((value, i) =>
      i === axis ? expect(value).toBeGreaterThan(0) : expect(value).toBe(0),
    ),
  );
}

describe('readSeg on dcmqi references (NRRD ground truth)', () => {
  const liverNrrd = readNrrd(ref('dcmqi', 'liver_seg.nrrd'));

  it.each([
    ['dcmqi/liver.dcm', 'explicit VR'],
    ['pydicom-data/liver_rle.dcm', 'RLE Lossless'],
    ['pydicom-data/liver_deflate.dcm', 'Deflated Image Frame Compression'],
    ['pydicom-data/liver_expb.dcm', 'explicit VR big endian'],
  ])('%s (%s) equals liver_seg.nrrd', async (file) => {
    expectAxisAligned(liverNrrd);
    const seg = await decode(ref(file));
    expect(seg.SegmentationType).toBe('BINARY');
    expect(seg.segments.map((s) => s.label)).toEqual(['Liver']);
    expectSegmentMatchesNrrd(seg, 1, liverNrrd, 1);
  });

  it.each(['23x38x3', '24x38x3'])(
    '%s label.seg (odd and even width) equals its NRRD',
    async (folder) => {
      const nrrd = readNrrd(ref('dcmqi', folder, 'nrrd', 'label.nrrd'));
      expectAxisAligned(nrrd);
      const seg = await decode(ref('dcmqi', folder, 'seg', 'label.seg'));
      expect(seg.Columns).toBe(Number(folder.slice(0, 2)));
      expectSegmentMatchesNrrd(seg, 1, nrrd, 1);
    },
  );

  it('partial_overlaps.dcm: five overlapping segments equal labels of three NRRDs', async () => {
    const nrrds = [1, 2, 3].map((n) => readNrrd(ref('dcmqi', `partial_overlaps-${n}.nrrd`)));
    const seg = await decode(ref('dcmqi', 'partial_overlaps.dcm'));
    expect(seg.segments.map((s) => s.segmentNumber)).toEqual([1, 2, 3, 4, 5]);
    for (const segment of seg.segments) {
      // dcmqi wrote segment n as label value n, in one of the three files.
      const holders = nrrds.filter((nrrd) => nrrd.data.includes(segment.segmentNumber));
      expect(holders).toHaveLength(1);
      expectSegmentMatchesNrrd(seg, segment.segmentNumber, holders[0]!, segment.segmentNumber);
    }
  });

  it('sparse-labelmap-ppv5.dcm: Label Map SEG equals its NRRD on the frames it has', async () => {
    const nrrd = readNrrd(ref('dcmqi', 'sparse_labelmap_ppv5_seg.nrrd'));
    const seg = await decode(ref('dcmqi', 'sparse-labelmap-ppv5.dcm'));
    expect(seg.SegmentationType).toBe('LABELMAP');
    expect(seg.segments.map((s) => [s.segmentNumber, s.label])).toEqual([
      [0, 'Background'],
      [1, 'Liver'],
    ]);
    // The middle NRRD slice is padding (value 5): no frame, no voxel of a segment.
    expectSegmentMatchesNrrd(seg, 1, nrrd, 1);
    const background = seg.segments[0]!;
    expect(background.masks).toHaveLength(2);
    for (const { mask, ImagePositionPatient } of background.masks) {
      expect(
        Buffer.from(mask).equals(Buffer.from(sliceMaskAt(nrrd, ImagePositionPatient!, 0)!)),
      ).toBe(true);
    }
  });
});

/** Our masks against pydicom's frames, matched by (segment, source SOP Instance UID). */
function expectMatchesPydicom(
  seg: DecodedSeg,
  pydicomFile: string,
  fractionalThreshold?: number,
): void {
  const summary = readFramesWithPydicom(pydicomFile, fractionalThreshold);
  const ours = new Map<string, string>();
  for (const segment of seg.segments) {
    for (const mask of segment.masks)
      ours.set(`${segment.segmentNumber}|${mask.ReferencedSOPInstanceUID}`, hashMask(mask.mask));
  }
  expect(summary.frames.length).toBeGreaterThan(0);
  expect(ours.size).toBe(summary.frames.length);
  for (const frame of summary.frames) {
    expect(ours.get(`${frame.segment}|${frame.source}`)).toBe(frame.sha256);
  }
}

describe('readSeg on highdicom and pydicom-data files (pydicom as reference)', () => {
  it.each([
    ['seg_image_ct_binary.dcm', undefined],
    ['seg_image_ct_binary_overlap.dcm', undefined],
    ['seg_image_ct_binary_single_frame.dcm', undefined],
    ['seg_image_ct_binary_fractional.dcm', 0.5],
    ['seg_image_ct_true_fractional.dcm', 0.5],
    ['seg_image_ct_true_fractional.dcm', 0.2],
  ])('highdicom %s (implicit VR, threshold %s)', async (file, threshold) => {
    const seg = await decode(ref('highdicom', file), threshold);
    expect(seg.transferSyntaxUID).toBe('1.2.840.10008.1.2');
    expectMatchesPydicom(seg, ref('highdicom', file), threshold);
  });

  it('a lower FRACTIONAL threshold takes in more pixels', async () => {
    const file = ref('highdicom', 'seg_image_ct_true_fractional.dcm');
    const total = (seg: DecodedSeg): number =>
      seg.segments[0]!.masks.reduce((sum, m) => sum + count(m.mask), 0);
    expect(total(await decode(file, 0.2))).toBeGreaterThan(total(await decode(file, 0.8)));
  });

  it.each([
    'liver_nonbyte_aligned.dcm',
    'liver_nonbyte_aligned_rle.dcm',
    'liver_nonbyte_aligned_deflate.dcm',
  ])(
    '%s (510 x 510: frames not byte-aligned) equals pydicom on the uncompressed file',
    async (file) => {
      const seg = await decode(ref('pydicom-data', file));
      expect(seg.Columns).toBe(510);
      expectMatchesPydicom(seg, ref('pydicom-data', 'liver_nonbyte_aligned.dcm'));
    },
  );
});

describe('readSeg refusals', () => {
  it.each(['liver_j2k.dcm', 'liver_nonbyte_aligned_j2k.dcm'])(
    '%s: JPEG 2000 frames are refused as an unsupported transfer syntax',
    async (file) => {
      const attempt = decode(ref('pydicom-data', file));
      await expect(attempt).rejects.toBeInstanceOf(SegReadError);
      await expect(attempt).rejects.toMatchObject({
        code: 'seg-unsupported-transfer-syntax',
        message: expect.stringContaining('JPEG 2000'),
      });
    },
  );

  it('a CT image is not a segmentation', async () => {
    await expect(decode(ref('dcmqi', 'ct-3slice', '01.dcm'))).rejects.toMatchObject({
      code: 'seg-not-segmentation',
    });
  });

  it('bytes that are not DICOM', async () => {
    await expect(readSeg(new TextEncoder().encode('hello').buffer)).rejects.toMatchObject({
      code: 'seg-invalid-dicom',
    });
  });
});
