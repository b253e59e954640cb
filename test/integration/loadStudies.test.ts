/**
 * The study loader against a real Orthanc (Debian's, started once for this
 * file on a free port with a temporary folder): the shared studies, the
 * awkward folder, idempotency, and the CLI.
 */
import '../support/quietDcmjs';

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { runLoadStudiesCommand } from '../../server/src/cli/loadStudiesCommand';
import { loadStudies, type LoadReport } from '../../server/src/loadStudies';
import { findFreePort } from '../../server/src/net/ports';
import { startOrthanc, type OrthancHandle } from '../../server/src/orthanc/startOrthanc';
import { allInstanceUIDs, seriesCounts } from './dicomWebQueries';

const data = path.resolve(__dirname, '../../../shared/data');
const at = (...parts: string[]) => path.join(data, ...parts);

let orthanc: OrthancHandle;
let storage: string;

beforeAll(async () => {
  storage = mkdtempSync(path.join(tmpdir(), 'medsam-orthanc-load-'));
  orthanc = await startOrthanc({ httpPort: await findFreePort(), storageDir: storage });
});

afterAll(async () => {
  await orthanc?.stop();
  rmSync(storage, { recursive: true, force: true });
});

const load = (...paths: string[]): Promise<LoadReport> =>
  loadStudies({ pacs: { url: orthanc.dicomWebUrl }, paths });

const filesOf = (entries: Array<{ file: string }>) =>
  entries.map((entry) => path.relative(data, entry.file));

function refusalsOf(report: LoadReport): Record<string, string> {
  return Object.fromEntries(report.refused.map((r) => [path.relative(data, r.file), r.reason]));
}

describe('the shared studies', () => {
  it('stores ct-sarcoma: 48 CT, 35 MR, 48 PET slices and three RTSTRUCTs', async () => {
    const report = await load(at('ct-sarcoma'));
    expect(report.stored).toHaveLength(48 + 35 + 48 + 3);
    expect(report.alreadyPresent).toHaveLength(0);
    expect(refusalsOf(report)).toEqual({
      'ct-sarcoma/LICENSE-CC-BY-3.0.md': 'not-dicom',
      'ct-sarcoma/UPSTREAM-README.md': 'not-dicom',
      'ct-sarcoma/ct-nifti/image.nii.gz': 'not-dicom',
      'ct-sarcoma/ct-nifti/mask.nii.gz': 'not-dicom',
      'ct-sarcoma/mr-nifti/image.nii.gz': 'not-dicom',
      'ct-sarcoma/mr-nifti/mask.nii.gz': 'not-dicom',
      'ct-sarcoma/pet-nifti/image.nii.gz': 'not-dicom',
      'ct-sarcoma/pet-nifti/mask.nii.gz': 'not-dicom',
    });
    // CT, MR and PET share one study here (MIRP kept the Study UID).
    expect(report.StudyInstanceUIDs).toHaveLength(1);
    const study = report.StudyInstanceUIDs[0] as string;
    expect(await seriesCounts(orthanc.dicomWebUrl, study)).toEqual([
      'CT:48',
      'MR:35',
      'PT:48',
      'RTSTRUCT:1',
      'RTSTRUCT:1',
      'RTSTRUCT:1',
    ]);
  });

  it('stores ct-organs: 20 CT slices, and refuses its label files', async () => {
    const report = await load(at('ct-organs'));
    expect(report.stored).toHaveLength(20);
    expect(refusalsOf(report)).toEqual({
      'ct-organs/labels/example_seg_dicom.nii.gz': 'not-dicom',
      'ct-organs/labels/present_labels.tsv': 'not-dicom',
      'ct-organs/labels/total_class_map.json': 'not-dicom',
    });
    const [study] = report.StudyInstanceUIDs;
    expect(await seriesCounts(orthanc.dicomWebUrl, study as string)).toEqual(['CT:20']);
  });

  it('stores pet-raw: 47 PET slices and its RTSTRUCT', async () => {
    const report = await load(at('pet-raw'));
    expect(report.stored).toHaveLength(48);
    expect(refusalsOf(report)).toEqual({ 'pet-raw/LICENSE-TCIA.txt': 'not-dicom' });
    const [study] = report.StudyInstanceUIDs;
    expect(await seriesCounts(orthanc.dicomWebUrl, study as string)).toEqual(['PT:47', 'RTSTRUCT:1']);
  });

  it('stores nothing new when the same folders are loaded again', async () => {
    const before = await allInstanceUIDs(orthanc.dicomWebUrl);
    expect(before).toHaveLength(134 + 20 + 48);
    const report = await load(at('ct-sarcoma'), at('ct-organs'), at('pet-raw'));
    expect(report.stored).toHaveLength(0);
    expect(report.alreadyPresent).toHaveLength(134 + 20 + 48);
    expect(report.alreadyPresent.every((entry) => entry.sameAs === null)).toBe(true);
    expect(report.refused).toHaveLength(8 + 3 + 1);
    expect(await allInstanceUIDs(orthanc.dicomWebUrl)).toEqual(before);
  });
});

describe('the awkward folder', () => {
  const awkward = at('awkward');
  let first: LoadReport;

  beforeAll(async () => {
    first = await load(awkward);
  });

  it('refuses what is not DICOM, unreadable, unidentified or rejected by Orthanc, naming why', () => {
    const reasons = refusalsOf(first);
    expect(reasons).toEqual({
      'awkward/blank-uids/CT.1.3.12.2.1107.5.1.4.60064.30000022120808113428000016573': 'missing-uids',
      'awkward/cornerstone3D/LICENSE-dicomImageLoader.txt': 'not-dicom',
      'awkward/cornerstone3D/wadors/CTImageEvenAligned.dat': 'not-dicom',
      'awkward/cornerstone3D/wadors/CTImageOddAligned.dat': 'not-dicom',
      'awkward/cornerstone3D/wadors/metadata': 'not-dicom',
      'awkward/dcm_qa_ts/LICENSE-dcm_qa_ts.txt': 'not-dicom',
      'awkward/dcm_qa_ts/UPSTREAM-README.md': 'not-dicom',
      'awkward/dcmjs/LICENSE-dcmjs.txt': 'not-dicom',
      'awkward/pydicom/LICENSE-pydicom.txt': 'not-dicom',
      'awkward/pydicom/UPSTREAM-README.txt': 'not-dicom',
      'awkward/pydicom/no_meta.dcm': 'not-dicom',
      'awkward/pydicom-data/LICENSE-pydicom-data.txt': 'not-dicom',
      'awkward/pydicom/meta_missing_tsyntax.dcm': 'unreadable',
      'awkward/pydicom/MR_truncated.dcm': 'rejected-by-pacs',
    });
    const detail = (name: string) =>
      first.refused.find((r) => r.file.endsWith(name))?.detail ?? '';
    expect(detail('16573')).toBe(
      'empty or absent: StudyInstanceUID, SeriesInstanceUID, SOPInstanceUID, SOPClassUID',
    );
    expect(detail('no_meta.dcm')).toBe('no DICM preamble (not a DICOM Part 10 file)');
    expect(detail('meta_missing_tsyntax.dcm')).toMatch(/^DICOM header cannot be parsed: /);
    // Orthanc 1.10 answers 400 and lists the file neither as stored nor as failed.
    expect(detail('MR_truncated.dcm')).toBe(
      'the PACS answered HTTP 400 with no failure reason for this file',
    );
  });

  it('stores the odd but valid files Orthanc accepts', () => {
    const stored = filesOf(first.stored);
    expect(stored).toHaveLength(37);
    expect(stored).toEqual(
      expect.arrayContaining([
        'awkward/pydicom/badVR.dcm',
        'awkward/pydicom/image_dfl.dcm',
        'awkward/pydicom/JPEG2000-embedded-sequence-delimiter.dcm',
        'awkward/dcmjs/no-meta-length-test.dcm',
        'awkward/dcmjs/cine-test.dcm',
        'awkward/cornerstone3D/no-pixel-data.dcm',
        'awkward/cornerstone3D/CT0012.fragmented_no_bot_jpeg_baseline.51.dcm',
        'awkward/cornerstone3D/CTImage.dcm',
        'awkward/pydicom-data/eCT_Supplemental.dcm',
        'awkward/pydicom-data/emri_small.dcm',
        ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => `awkward/dcm_qa_ts/${n}.dcm`),
      ]),
    );
  });

  it('treats files that share a SOPInstanceUID as one instance, offering only the first', () => {
    const twins = first.alreadyPresent.map((entry) => [
      path.relative(data, entry.file),
      entry.sameAs === null ? null : path.relative(data, entry.sameAs),
    ]);
    expect(twins).toHaveLength(15);
    expect(twins).toEqual(
      expect.arrayContaining([
        ['awkward/pydicom-data/emri_small_jpeg_2k_lossless_too_short.dcm', 'awkward/pydicom-data/emri_small.dcm'],
        ['awkward/dcmjs/invalid-vr-length-test.dcm', 'awkward/dcmjs/cine-test.dcm'],
        [
          'awkward/cornerstone3D/CTImage.dcm_RLELosslessTransferSyntax_1.2.840.10008.1.2.5.dcm',
          'awkward/cornerstone3D/CTImage.dcm',
        ],
      ]),
    );
    expect(twins.filter(([, sameAs]) => sameAs === 'awkward/cornerstone3D/CTImage.dcm')).toHaveLength(9);
  });

  it('stores nothing new the second time, and refuses the same files for the same reasons', async () => {
    const before = await allInstanceUIDs(orthanc.dicomWebUrl);
    const second = await load(awkward);
    expect(second.stored).toHaveLength(0);
    expect(second.alreadyPresent).toHaveLength(37 + 15);
    expect(second.refused).toEqual(first.refused);
    expect(await allInstanceUIDs(orthanc.dicomWebUrl)).toEqual(before);
  });
});

describe('the command line', () => {
  it('prints the counts and every refused file, and exits 1 when files were refused', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const status = await runLoadStudiesCommand(['--pacs', orthanc.dicomWebUrl, at('pet-raw')], {
      out: (line) => out.push(line),
      err: (line) => err.push(line),
      env: {},
      cwd: data,
    });
    expect(status).toBe(1);
    expect(err).toEqual([]);
    expect(out).toContain('49 files: 0 stored, 48 already present, 1 refused');
    expect(out).toContain('  pet-raw/LICENSE-TCIA.txt: not-dicom: no DICM preamble (not a DICOM Part 10 file)');
  });

  it('explains bad arguments and exits 2', async () => {
    const err: string[] = [];
    const io = { out: () => undefined, err: (line: string) => err.push(line), env: {} };
    expect(await runLoadStudiesCommand(['--pacs', 'ftp://x', at('pet-raw')], io)).toBe(2);
    expect(err[0]).toBe("--pacs: not an http(s) URL: 'ftp://x'");
    expect(await runLoadStudiesCommand(['--pacs', orthanc.dicomWebUrl, at('none')], io)).toBe(2);
    expect(err).toContain(`${at('none')}: no such file or folder`);
  });
});
