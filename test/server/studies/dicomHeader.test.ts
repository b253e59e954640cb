import '../../support/quietDcmjs';

import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

import { readInstanceUIDs } from '../../../server/src/studies/dicomHeader';
import { listFiles } from '../../../server/src/studies/listFiles';
import { ctFile, shortElement } from './part10Bytes';

const data = path.resolve(__dirname, '../../../../shared/data');
const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
/** Byte offset of the value of (0002,0000) FileMetaInformationGroupLength. */
const GROUP_LENGTH_VALUE_OFFSET = 140;
/** What V8's own TypeError and RangeError messages look like. */
const JS_ERROR_TEXT = new RegExp(
  [
    'Cannot read properties',
    'is not a function',
    'is not defined',
    'is not iterable',
    'of undefined',
    'of null',
    'outside the bounds',
    'Invalid array length',
  ].join('|'),
);
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

  it('names the missing transfer syntax, where dcmjs throws a TypeError', () => {
    expect(read('awkward/pydicom/meta_missing_tsyntax.dcm')).toEqual({
      ok: false,
      reason: 'unreadable',
      detail:
        'DICOM header cannot be parsed: ' +
        'no TransferSyntaxUID (0002,0010) in the file meta information',
    });
    expect(readInstanceUIDs(ctFile(null))).toMatchObject({ reason: 'unreadable' });
    const empty = readInstanceUIDs(ctFile(shortElement(0x0002, 0x0010, 'UI', '')));
    expect(empty).toEqual({
      ok: false,
      reason: 'unreadable',
      detail:
        'DICOM header cannot be parsed: ' +
        'empty TransferSyntaxUID (0002,0010) in the file meta information',
    });
  });

  it('reads a built file whose transfer syntax is there', () => {
    const syntax = shortElement(0x0002, 0x0010, 'UI', EXPLICIT_VR_LITTLE_ENDIAN);
    expect(readInstanceUIDs(ctFile(syntax))).toEqual({
      ok: true,
      uids: {
        StudyInstanceUID: '1.2.3',
        SeriesInstanceUID: '1.2.3.4',
        SOPInstanceUID: '1.2.3.4.5',
        SOPClassUID: '1.2.840.10008.5.1.4.1.1.2',
      },
    });
  });

  it('words a parser failure that is a JavaScript error', () => {
    // A group length of 0 hides the transfer syntax from dcmjs (TypeError in
    // dcmjs 0.52), though it is in the file.
    const file = Buffer.from(readFileSync(path.join(data, 'ct-sarcoma/ct/000000.dcm')));
    file.writeUInt32LE(0, GROUP_LENGTH_VALUE_OFFSET);
    expect(readInstanceUIDs(file)).toEqual({
      ok: false,
      reason: 'unreadable',
      detail: 'DICOM header cannot be parsed: the header is malformed or truncated',
    });
  });

  it('refuses no awkward file with a JavaScript error text as its reason', async () => {
    const files = await listFiles([path.join(data, 'awkward')]);
    const refusals: Array<{ file: string; detail: string }> = [];
    for (const file of files) {
      const result = readInstanceUIDs(readFileSync(file));
      if (!result.ok) refusals.push({ file: path.relative(data, file), detail: result.detail });
    }
    // Not-DICOM text files, the blanked UIDs and the missing transfer syntax at least.
    expect(refusals.length).toBeGreaterThanOrEqual(3);
    expect(refusals.filter(({ detail }) => JS_ERROR_TEXT.test(detail) || detail === '')).toEqual([]);
  });

  it('accepts a file whose pixel data is truncated: only the PACS can judge it', () => {
    expect(read('awkward/pydicom/MR_truncated.dcm').ok).toBe(true);
  });
});
