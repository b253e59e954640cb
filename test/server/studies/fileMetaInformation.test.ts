import { readFileSync } from 'node:fs';
import path from 'node:path';

import { findTransferSyntaxUID } from '../../../server/src/studies/fileMetaInformation';
import { ctFile, shortElement } from './part10Bytes';

const data = path.resolve(__dirname, '../../../../shared/data');
const read = (relative: string) => readFileSync(path.join(data, relative));
const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';

describe('findTransferSyntaxUID', () => {
  it('reads the transfer syntax of real files, past long-length meta elements', () => {
    // (0002,0001) FileMetaInformationVersion is OB: a 4-byte length the walk must skip.
    expect(findTransferSyntaxUID(read('ct-sarcoma/ct/000000.dcm'))).toEqual({
      state: 'present',
      TransferSyntaxUID: '1.2.840.10008.1.2',
    });
    const deflated =
      'awkward/cornerstone3D/' +
      'CTImage.dcm_DeflatedExplicitVRLittleEndianTransferSyntax_1.2.840.10008.1.2.1.99.dcm';
    expect(findTransferSyntaxUID(read(deflated))).toEqual({
      state: 'present',
      TransferSyntaxUID: '1.2.840.10008.1.2.1.99',
    });
  });

  it('says absent when the meta group ends without it', () => {
    expect(findTransferSyntaxUID(read('awkward/pydicom/meta_missing_tsyntax.dcm'))).toEqual({
      state: 'absent',
    });
    expect(findTransferSyntaxUID(ctFile(null))).toEqual({ state: 'absent' });
  });

  it('tells an empty value from a missing one, and strips UID padding', () => {
    const empty = shortElement(0x0002, 0x0010, 'UI', '');
    expect(findTransferSyntaxUID(ctFile(empty))).toEqual({ state: 'empty' });
    const odd = shortElement(0x0002, 0x0010, 'UI', EXPLICIT_VR_LITTLE_ENDIAN);
    expect(findTransferSyntaxUID(ctFile(odd))).toEqual({
      state: 'present',
      TransferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
    });
  });

  it('leaves the verdict to the parser when the group cannot be walked', () => {
    const file = read('ct-sarcoma/ct/000000.dcm');
    // Cut inside the 12-byte header of (0002,0001) OB at byte 144, inside the
    // value of (0002,0002) at byte 158, and right after the first element.
    for (const end of [154, 170, 144]) {
      expect(findTransferSyntaxUID(file.subarray(0, end))).toEqual({ state: 'undetermined' });
    }
    const implicitMeta = Buffer.from(file);
    implicitMeta.write('\x04\x00', 148, 'latin1'); // VR bytes that are no VR
    expect(findTransferSyntaxUID(implicitMeta)).toEqual({ state: 'undetermined' });
  });
});
