/**
 * Finds the TransferSyntaxUID (0002,0010) of a DICOM Part 10 file by walking its
 * File Meta Information group, before dcmjs parses the file. dcmjs 0.52 reads
 * that element without checking it is there, so a file without it fails with a
 * JavaScript TypeError ("reading 'Value'") instead of a reason a user can act on.
 *
 * The group is always explicit VR little endian (PS3.10 7.1). The walk only
 * answers when it is sure: an element it cannot read leaves the verdict to dcmjs.
 */

/** Byte offset of the first meta element: 128-byte preamble plus "DICM" (PS3.10 7.1). */
const META_START = 132;
/** Group number of the File Meta Information elements. */
const META_GROUP = 0x0002;
/** Element number of TransferSyntaxUID in that group. */
const TRANSFER_SYNTAX_ELEMENT = 0x0010;
/** Bytes of tag, VR and 2-byte length (PS3.5 7.1.2). */
const SHORT_HEADER_BYTES = 8;
/** Bytes of tag, VR, 2 reserved bytes and 4-byte length (PS3.5 7.1.2). */
const LONG_HEADER_BYTES = 12;
/** VRs whose explicit-VR header has a 4-byte length (PS3.5 Table 7.1-1). */
const LONG_LENGTH_VRS = new Set([
  'OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV',
]);
const TWO_LETTER_VR = /^[A-Z]{2}$/;

/**
 * - `present`: the element is there with a non-empty value.
 * - `empty`: the element is there with no value.
 * - `absent`: the whole group was read and the element is not in it.
 * - `undetermined`: the group could not be walked (truncated, not explicit VR).
 */
export type TransferSyntaxPresence =
  | { state: 'present'; TransferSyntaxUID: string }
  | { state: 'empty' | 'absent' | 'undetermined' };

/**
 * Looks for TransferSyntaxUID in the File Meta Information of Part 10 bytes
 * (the caller has checked the "DICM" magic).
 */
export function findTransferSyntaxUID(bytes: Uint8Array): TransferSyntaxPresence {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = META_START;
  while (offset + SHORT_HEADER_BYTES <= bytes.byteLength) {
    if (view.getUint16(offset, true) !== META_GROUP) return { state: 'absent' };
    const element = view.getUint16(offset + 2, true);
    const vr = String.fromCharCode(bytes[offset + 4] ?? 0, bytes[offset + 5] ?? 0);
    if (!TWO_LETTER_VR.test(vr)) return { state: 'undetermined' };
    const long = LONG_LENGTH_VRS.has(vr);
    const headerBytes = long ? LONG_HEADER_BYTES : SHORT_HEADER_BYTES;
    if (offset + headerBytes > bytes.byteLength) return { state: 'undetermined' };
    const length = long ? view.getUint32(offset + 8, true) : view.getUint16(offset + 6, true);
    const valueStart = offset + headerBytes;
    // An undefined length (0xFFFFFFFF) runs past the end too: not walkable.
    if (valueStart + length > bytes.byteLength) return { state: 'undetermined' };
    if (element === TRANSFER_SYNTAX_ELEMENT) {
      const value = Buffer.from(bytes.buffer, bytes.byteOffset + valueStart, length)
        .toString('latin1')
        .replace(/[\0 ]+$/, '');
      return value === '' ? { state: 'empty' } : { state: 'present', TransferSyntaxUID: value };
    }
    offset = valueStart + length;
  }
  // The file ends inside, or right after, the meta group: there is no dataset.
  return { state: 'undetermined' };
}
