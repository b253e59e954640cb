import '../../support/quietDcmjs';

import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

import { readInstanceUIDs } from '../../../server/src/studies/dicomHeader';

const data = path.resolve(__dirname, '../../../../shared/data');
const read = (relative: string) => readInstanceUIDs(readFileSync(path.join(data, relative)));

describe('readInstanceUIDs', () => {
  it('reads the four identifying UIDs of a good file', () => {
    const result = read('ct-sarcoma/ct/000000.dcm');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.uids.SOPClassUID).toBe('1.2.840.10008.5.1.4.1.1.2');
    expect(result.uids.StudyInstanceUID).toMatch(/^1\.3\.6\.1\.4\.1\.14519\.5\.2\.1\.5168\.1900\.\d+$/);
    expect(result.uids.SeriesInstanceUID).toMatch(/^[0-9.]+$/);
    expect(result.uids.SOPInstanceUID).toMatch(/^[0-9.]+$/);
  });

  it('names every empty UID of the blanked file', () => {
    const dir = path.join(data, 'awkward/blank-uids');
    const [name] = readdirSync(dir);
    const result = readInstanceUIDs(readFileSync(path.join(dir, name as string)));
    expect(result).toEqual({
      ok: false,
      reason: 'missing-uids',
      detail: 'empty or absent: StudyInstanceUID, SeriesInstanceUID, SOPInstanceUID, SOPClassUID',
    });
  });

  it('refuses files without the DICM preamble, DICOM datasets included', () => {
    for (const file of ['awkward/pydicom/no_meta.dcm', 'awkward/dcmjs/LICENSE-dcmjs.txt']) {
      expect(read(file)).toMatchObject({ ok: false, reason: 'not-dicom' });
    }
    expect(readInstanceUIDs(new Uint8Array(10))).toMatchObject({ ok: false, reason: 'not-dicom' });
  });

  it('calls a Part 10 file whose header does not parse unreadable', () => {
    const result = read('awkward/pydicom/meta_missing_tsyntax.dcm');
    expect(result).toMatchObject({ ok: false, reason: 'unreadable' });
    if (!result.ok) expect(result.detail).toMatch(/^DICOM header cannot be parsed: /);
  });

  it('accepts a file whose pixel data is truncated: only the PACS can judge it', () => {
    expect(read('awkward/pydicom/MR_truncated.dcm').ok).toBe(true);
  });
});
