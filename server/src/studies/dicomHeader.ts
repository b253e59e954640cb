/**
 * Reads the identifying header of one file with dcmjs and decides whether it
 * can be offered to a PACS: a DICOM Part 10 file (preamble and "DICM") with a
 * TransferSyntaxUID, whose header parses and whose four identifying UIDs are
 * not empty. Every refusal says in words what is wrong, never a parser's
 * internal JavaScript error.
 */
// @ts-ignore -- dcmjs 0.52 ships no type declarations; DcmjsApi below types the calls we use.
import dcmjs from 'dcmjs';

import { findTransferSyntaxUID } from './fileMetaInformation';

/** The part of the dcmjs API this module uses. */
interface DcmjsApi {
  data: {
    DicomMessage: {
      readFile(
        buffer: ArrayBuffer,
        options: { untilTag: string; includeUntilTagValue: boolean; ignoreErrors: boolean },
      ): { dict: Record<string, unknown> };
    };
    DicomMetaDictionary: {
      naturalizeDataset(dict: Record<string, unknown>): Record<string, unknown>;
    };
  };
  log: { getLogger(name: string): { setLevel(level: string): void } };
}

const api: DcmjsApi = dcmjs;
// dcmjs reports every value-representation guess ("Invalid vr type xs - using
// US": its dictionary's word for US-or-SS) as an error, hundreds per study load;
// none is a fault of the file. Real parse failures still throw and are reported.
api.log.getLogger('validation.dcmjs').setLevel('silent');

const UNPARSABLE = 'DICOM header cannot be parsed';

/** Byte offset of "DICM" after the 128-byte preamble (PS3.10 7.1). */
const MAGIC_OFFSET = 128;
const MAGIC = 'DICM';
/** Tag of PixelData, where header parsing stops (the pixels are not needed). */
const PIXEL_DATA_TAG = '7FE00010';

/** The UIDs without which a PACS cannot file an instance. */
export const REQUIRED_UIDS = [
  'StudyInstanceUID',
  'SeriesInstanceUID',
  'SOPInstanceUID',
  'SOPClassUID',
] as const;

export type RequiredUID = (typeof REQUIRED_UIDS)[number];

export type InstanceUIDs = Record<RequiredUID, string>;

export type HeaderResult =
  | { ok: true; uids: InstanceUIDs }
  | { ok: false; reason: 'not-dicom' | 'unreadable' | 'missing-uids'; detail: string };

function hasPart10Magic(bytes: Uint8Array): boolean {
  if (bytes.length < MAGIC_OFFSET + MAGIC.length) return false;
  const magic = Buffer.from(bytes.buffer, bytes.byteOffset + MAGIC_OFFSET, MAGIC.length);
  return magic.toString('latin1') === MAGIC;
}

/** Why the file meta information rules the file out, or null to let dcmjs try. */
function fileMetaProblem(bytes: Uint8Array): string | null {
  const state = findTransferSyntaxUID(bytes).state;
  if (state === 'absent') return 'no TransferSyntaxUID (0002,0010) in the file meta information';
  if (state === 'empty') return 'empty TransferSyntaxUID (0002,0010) in the file meta information';
  return null;
}

/**
 * dcmjs's own errors name the problem; a TypeError or RangeError is the parser
 * tripping over data it did not expect, which means nothing to a user.
 */
function describeParseError(error: unknown): string {
  if (error instanceof TypeError || error instanceof RangeError) {
    return 'the header is malformed or truncated';
  }
  return error instanceof Error ? error.message : String(error);
}

function uidValue(dataset: Record<string, unknown>, keyword: RequiredUID): string {
  const value = dataset[keyword];
  // dcmjs gives a string for single-valued UI attributes; trailing NUL padding is not part of it.
  return typeof value === 'string' ? value.replace(/\0+$/, '').trim() : '';
}

/**
 * Classifies a file's bytes: its UIDs, or why it cannot be stored.
 * - `not-dicom`: no "DICM" at byte 128 (STOW-RS takes Part 10 files only).
 * - `unreadable`: "DICM" is there but the file meta information has no
 *   TransferSyntaxUID, or dcmjs cannot parse the header.
 * - `missing-uids`: one of REQUIRED_UIDS is empty or absent.
 */
export function readInstanceUIDs(bytes: Uint8Array): HeaderResult {
  if (!hasPart10Magic(bytes)) {
    const detail = 'no DICM preamble (not a DICOM Part 10 file)';
    return { ok: false, reason: 'not-dicom', detail };
  }
  const metaProblem = fileMetaProblem(bytes);
  if (metaProblem !== null) {
    return { ok: false, reason: 'unreadable', detail: `${UNPARSABLE}: ${metaProblem}` };
  }
  let dataset: Record<string, unknown>;
  try {
    const copy = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const message = api.data.DicomMessage.readFile(copy as ArrayBuffer, {
      untilTag: PIXEL_DATA_TAG,
      includeUntilTagValue: false,
      ignoreErrors: true,
    });
    dataset = api.data.DicomMetaDictionary.naturalizeDataset(message.dict);
  } catch (error) {
    const why = describeParseError(error);
    return { ok: false, reason: 'unreadable', detail: `${UNPARSABLE}: ${why}` };
  }
  const missing = REQUIRED_UIDS.filter((keyword) => uidValue(dataset, keyword) === '');
  if (missing.length > 0) {
    return { ok: false, reason: 'missing-uids', detail: `empty or absent: ${missing.join(', ')}` };
  }
  return {
    ok: true,
    uids: {
      StudyInstanceUID: uidValue(dataset, 'StudyInstanceUID'),
      SeriesInstanceUID: uidValue(dataset, 'SeriesInstanceUID'),
      SOPInstanceUID: uidValue(dataset, 'SOPInstanceUID'),
      SOPClassUID: uidValue(dataset, 'SOPClassUID'),
    },
  };
}
