/**
 * Our SEGs through the viewer's own parser (viewerSegFrames.mjs runs OHIF
 * 3.13.2's SEG adapter and its dcmjs): a 143 x 161 FRACTIONAL file decodes,
 * frame by frame, to 0/255 values whose non-zero pixels are exactly our masks,
 * through dcmjs's DicomMessage.readFile plus the adapter's split (one PixelData
 * chunk cut by frame length) and through dcmjs's AsyncDicomReader, which
 * splits the frames itself. Then the bug the FRACTIONAL choice avoids: the
 * same lesion as BINARY is scrambled by AsyncDicomReader on every frame that
 * starts mid-byte, and odd lengths are refused.
 */
import '../../support/quietDcmjs';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SeriesGeometry } from '../../../extension/src/core/dicom/seriesGeometry';
import { computeViewerSegStorage } from '../../../extension/src/core/seg/computeViewerSegStorage';
import type { SegmentInput } from '../../../extension/src/core/seg/segTypes';
import { writeSeg, type WrittenSeg } from '../../../extension/src/core/seg/writeSeg';
import { loadSourceSeries, SHARED_DATA } from '../../support/loadSourceSeries';
import { hashMask } from '../../support/pydicomFrames';
import { createThreeLesions, TEST_EQUIPMENT } from '../../support/segFixtures';
import {
  createGeometry,
  createMasks,
  LESION_START,
  lesion,
  PIXELS,
  readStored,
  write,
} from './oddFrameSeries';

const SCRIPT = path.join(__dirname, 'viewerSegFrames.mjs');
const BITS_PER_BYTE = 8;

interface ViewerFrame {
  length: number;
  values: number[];
  nonzero: number;
  sha256: string;
  maskSha256: string;
}

interface ViewerRead {
  error?: string;
  /** Buffer reader only: how many chunks dcmjs returned for PixelData. */
  pixelDataChunks?: number;
  /** Buffer reader only: the adapter's isPseudoBinaryFractional on every frame. */
  pseudoBinary?: boolean;
  frames?: ViewerFrame[];
}

interface ViewerDecode {
  buffer: ViewerRead;
  stream: ViewerRead;
}

let folder: string;
beforeAll(() => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'seg-viewer-decode-'));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function decodeInViewer(written: WrittenSeg, name: string): ViewerDecode {
  const file = path.join(folder, `${name}.dcm`);
  writeFileSync(file, new Uint8Array(written.bytes));
  const output = execFileSync(process.execPath, [SCRIPT, file], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  // The JSON is the last line; dcmjs may log before it.
  return JSON.parse(output.trim().split('\n').pop()!) as ViewerDecode;
}

/** The mask each frame of the file should hold, from the input (empty where added). */
function expectedMasks(
  written: WrittenSeg,
  geometry: SeriesGeometry,
  segments: SegmentInput[],
): Uint8Array[] {
  return readStored(written, geometry).frames.map(
    (frame) => segments[frame.segmentNumber - 1]!.masks[frame.imageIndex] ?? new Uint8Array(PIXELS),
  );
}

function hashValues(mask: Uint8Array, inside: number): string {
  return createHash('sha256')
    .update(mask.map((v) => (v ? inside : 0)))
    .digest('hex');
}

function expectFramesEqual(read: ViewerRead, masks: Uint8Array[]): void {
  expect(read.error).toBeUndefined();
  expect(read.frames).toHaveLength(masks.length);
  read.frames!.forEach((frame, f) => {
    const mask = masks[f]!;
    expect(frame.length).toBe(PIXELS);
    expect(frame.values.every((v) => v === 0 || v === 255)).toBe(true);
    expect(frame.maskSha256).toBe(hashMask(mask));
    expect(frame.sha256).toBe(hashValues(mask, 255));
  });
}

describe('our FRACTIONAL SEGs in the viewer parser', () => {
  it('sarcoma CT 143 x 161, three lesions: every frame equals our mask', () => {
    const ct = loadSourceSeries(path.join(SHARED_DATA, 'ct-sarcoma', 'ct'));
    const segments = createThreeLesions(ct.geometry);
    const written = writeSeg({
      source: ct.geometry,
      header: ct.header,
      segments,
      equipment: TEST_EQUIPMENT,
      SeriesDescription: 'viewer decode',
      storage: computeViewerSegStorage(ct.geometry.images[0]!),
    });
    expect(written.numberOfFrames % 2).toBe(0);
    const decoded = decodeInViewer(written, 'ct-sarcoma-fractional');
    const masks = expectedMasks(written, ct.geometry, segments);
    expect(decoded.buffer.pixelDataChunks).toBe(1);
    expect(decoded.buffer.pseudoBinary).toBe(true);
    expectFramesEqual(decoded.buffer, masks);
    expectFramesEqual(decoded.stream, masks);
  });

  it('a lesion on 15 slices: 16 frames, the added one empty, the rest our masks', () => {
    const geometry = createGeometry();
    const segments = [lesion(createMasks(geometry, LESION_START, 15))];
    const written = write(geometry, segments, 'fractional');
    const decoded = decodeInViewer(written, 'fractional-15');
    const masks = expectedMasks(written, geometry, segments);
    expect(masks).toHaveLength(16);
    expect(decoded.buffer.pseudoBinary).toBe(true);
    expectFramesEqual(decoded.buffer, masks);
    expectFramesEqual(decoded.stream, masks);
    expect(decoded.stream.frames![0]!.nonzero).toBe(0);
  });

  it('without the added frame, AsyncDicomReader refuses 15 odd-sized frames', () => {
    const geometry = createGeometry();
    const segments = [lesion(createMasks(geometry, LESION_START, 15))];
    const written = write(geometry, segments, 'fractional', false);
    const decoded = decodeInViewer(written, 'fractional-15-unpadded');
    expect(decoded.stream.error).toBe(`Invalid frame length: ${15 * PIXELS + 1} for 15 frames`);
  });
});

describe('the bug avoided: 143 x 161 BINARY in the viewer parser', () => {
  it('16 frames: AsyncDicomReader scrambles every frame that starts mid-byte', () => {
    const geometry = createGeometry();
    const segments = [lesion(createMasks(geometry, LESION_START, 16))];
    const written = write(geometry, segments, 'binary');
    const decoded = decodeInViewer(written, 'binary-16');
    const masks = expectedMasks(written, geometry, segments);
    // The adapter's own split of one chunk is right; dcmjs's is not.
    decoded.buffer.frames!.forEach((frame, f) => {
      expect(frame.maskSha256).toBe(hashMask(masks[f]!));
    });
    const stream = decoded.stream.frames!;
    expect(stream).toHaveLength(16);
    stream.forEach((frame, f) => {
      const mask = masks[f]!;
      const startsOnByte = (f * PIXELS) % BITS_PER_BYTE === 0; // frames 0 and 8
      expect(frame.maskSha256 === hashMask(mask)).toBe(startsOnByte);
    });
    // Scrambled, not lost: the second frame keeps its voxel count.
    expect(stream[1]!.nonzero).toBe(masks[1]!.reduce((n, v) => n + v, 0));
  });

  it('15 frames: the odd packed length is refused', () => {
    const geometry = createGeometry();
    const written = write(geometry, [lesion(createMasks(geometry, LESION_START, 15))], 'binary');
    const decoded = decodeInViewer(written, 'binary-15');
    expect(decoded.stream.error).toBe(
      'The calculated length 43169 does not match the actual length 43170',
    );
  });
});
