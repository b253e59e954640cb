/**
 * The storage the viewer can display, and SEGs written with it: 143 x 161
 * lesions on 15 and 16 slices come out as pseudo-binary FRACTIONAL with an
 * even frame count and an even PixelData length, values 0 or 255 only, the
 * added frame on a real source slice next to the lesion; our reader gives the
 * masks back voxel for voxel and dciodvfy finds no error. 512 x 512 stays
 * BINARY, with no added frame.
 */
import '../../support/quietDcmjs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { computeViewerSegStorage } from '../../../extension/src/core/seg/computeViewerSegStorage';
import { getNumber, getString } from '../../../extension/src/core/seg/datasetAccess';
import { readDicomFile } from '../../../extension/src/core/seg/dicomCodec';
import { readSeg } from '../../../extension/src/core/seg/readSeg';
import { SEGMENTATION_STORAGE } from '../../../extension/src/core/seg/segUIDs';
import { runDciodvfy } from '../../support/dciodvfy';
import {
  createGeometry,
  createMasks,
  expectSameMasks,
  LESION_START,
  lesion,
  PIXELS,
  readStored,
  write,
} from './oddFrameSeries';

describe('computeViewerSegStorage', () => {
  it('is FRACTIONAL where a frame is not whole bytes, BINARY where it is', () => {
    expect(computeViewerSegStorage({ Rows: 143, Columns: 161 })).toBe('fractional'); // CT
    expect(computeViewerSegStorage({ Rows: 27, Columns: 30 })).toBe('fractional'); // PET, 810
    expect(computeViewerSegStorage({ Rows: 90, Columns: 115 })).toBe('fractional'); // MR
    expect(computeViewerSegStorage({ Rows: 23, Columns: 38 })).toBe('fractional');
    expect(computeViewerSegStorage({ Rows: 512, Columns: 512 })).toBe('binary');
    expect(computeViewerSegStorage({ Rows: 16, Columns: 16 })).toBe('binary');
    // 104 pixels, 13 bytes: whole bytes, split at byte offsets (padded if odd).
    expect(computeViewerSegStorage({ Rows: 8, Columns: 13 })).toBe('binary');
  });
});

describe('SEGs written for the viewer', () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'seg-viewer-storage-'));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  const geometry = createGeometry();
  const storage = computeViewerSegStorage(geometry.images[0]!);

  it.each([15, 16])('143 x 161, lesion on %i slices: FRACTIONAL, 16 frames', async (slices) => {
    const segments = [lesion(createMasks(geometry, LESION_START, slices))];
    const written = write(geometry, segments, storage);
    expect(written.SOPClassUID).toBe(SEGMENTATION_STORAGE);

    const { dataset } = readDicomFile(written.bytes);
    expect(getString(dataset, 'SegmentationType')).toBe('FRACTIONAL');
    expect(getString(dataset, 'SegmentationFractionalType')).toBe('PROBABILITY');
    expect(getNumber(dataset, 'MaximumFractionalValue')).toBe(255);
    expect(getNumber(dataset, 'BitsAllocated')).toBe(8);
    expect(getNumber(dataset, 'BitsStored')).toBe(8);
    expect(getNumber(dataset, 'HighBit')).toBe(7);

    const stored = readStored(written, geometry);
    expect(stored.numberOfFrames).toBe(16);
    expect(stored.byteLength).toBe(16 * PIXELS);
    expect(stored.byteLength % 2).toBe(0);
    for (const frame of stored.frames) expect([[0], [0, 255]]).toContainEqual(frame.values);

    const empty = stored.frames.filter((frame) => frame.nonzero === 0);
    if (slices === 15) {
      const before = geometry.images[LESION_START - 1]!;
      expect(empty.map((frame) => [frame.sourceUID, frame.position])).toEqual([
        [before.SOPInstanceUID, before.ImagePositionPatient],
      ]);
    } else {
      expect(empty).toEqual([]);
    }
    await expectSameMasks(written, geometry, segments);

    const file = path.join(folder, `viewer-143x161x${slices}.dcm`);
    writeFileSync(file, new Uint8Array(written.bytes));
    const check = runDciodvfy(file);
    expect(check.output).toContain('Segmentation');
    expect(check.errors).toEqual([]);
  });

  it('512 x 512 stays BINARY, 1 bit a pixel, with no added frame', async () => {
    const large = createGeometry(512, 512, 30);
    const segments = [lesion(createMasks(large, 5, 15))];
    const written = write(large, segments, computeViewerSegStorage(large.images[0]!));
    const seg = await readSeg(written.bytes);
    expect(seg.SegmentationType).toBe('BINARY');
    expect(written.numberOfFrames).toBe(15);
    const { dataset, pixelData } = readDicomFile(written.bytes);
    expect(getNumber(dataset, 'BitsAllocated')).toBe(1);
    expect(pixelData[0]!.byteLength).toBe((15 * 512 * 512) / 8);
    await expectSameMasks(written, large, segments);
  });
});
