/**
 * The one place that talks to dcmjs: Part 10 bytes <-> naturalised data sets
 * (attribute keywords as keys). Everything above it works on plain objects.
 */
import { data, type DcmjsDict } from 'dcmjs';
import { SegReadError } from './segErrors';
import { IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION_NAME, TransferSyntax } from './segUIDs';

/** A data set keyed by DICOM keyword, values as dcmjs naturalises them. */
export type NaturalDataset = Record<string, unknown>;

/** Hex tag of PixelData in dcmjs's denaturalised dictionaries. */
const PIXEL_DATA_TAG = '7FE00010';
/** FileMetaInformationVersion is the two bytes 00 01 (PS3.10 7.1). */
const FILE_META_VERSION = [0, 1];

/** A parsed Part 10 file. */
export interface ParsedDicomFile {
  dataset: NaturalDataset;
  transferSyntaxUID: string;
  /** VR of PixelData as encoded (OB, OW) or undefined when absent. */
  pixelDataVR: string | undefined;
  /**
   * PixelData as dcmjs returns it: one buffer for native encodings, one per
   * fragment (or per frame when a Basic Offset Table is present) otherwise.
   */
  pixelData: ArrayBuffer[];
}

/**
 * Parses DICOM Part 10 bytes.
 *
 * @throws SegReadError `seg-invalid-dicom` when dcmjs cannot parse the bytes.
 */
export function readDicomFile(bytes: ArrayBuffer): ParsedDicomFile {
  let dict: DcmjsDict;
  let meta: DcmjsDict;
  try {
    const parsed = data.DicomMessage.readFile(bytes);
    dict = parsed.dict;
    meta = parsed.meta;
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new SegReadError('seg-invalid-dicom', `Not a readable DICOM file: ${detail}`, { cause });
  }
  const pixelElement = dict[PIXEL_DATA_TAG];
  const pixelData = (pixelElement?.Value ?? []).filter(
    (value): value is ArrayBuffer => value instanceof ArrayBuffer,
  );
  // Naturalising copies nothing large, but PixelData is taken from the raw dict
  // above, so drop it here to keep one owner of the frames.
  delete dict[PIXEL_DATA_TAG];
  const transferSyntaxUID = meta['00020010']?.Value[0];
  return {
    dataset: data.DicomMetaDictionary.naturalizeDataset(dict),
    transferSyntaxUID:
      typeof transferSyntaxUID === 'string'
        ? transferSyntaxUID.replace(/\0/g, '').trim()
        : TransferSyntax.ImplicitVRLittleEndian,
    pixelDataVR: pixelElement?.vr,
    pixelData,
  };
}

/** What the file meta information needs besides the fixed values. */
export interface FileMetaInput {
  SOPClassUID: string;
  SOPInstanceUID: string;
}

/**
 * Encodes a naturalised data set as Explicit VR Little Endian Part 10 bytes.
 * `PixelData`, when present, must be `[ArrayBuffer]` and is written as OB.
 */
export function writeDicomFile(dataset: NaturalDataset, fileMeta: FileMetaInput): ArrayBuffer {
  const meta = data.DicomMetaDictionary.denaturalizeDataset({
    FileMetaInformationVersion: new Uint8Array(FILE_META_VERSION).buffer,
    MediaStorageSOPClassUID: fileMeta.SOPClassUID,
    MediaStorageSOPInstanceUID: fileMeta.SOPInstanceUID,
    TransferSyntaxUID: TransferSyntax.ExplicitVRLittleEndian,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: IMPLEMENTATION_VERSION_NAME,
  });
  const dicomDict = new data.DicomDict(meta);
  // PixelData's VR is "OB or OW" in the dictionary: state it (OB for bit and
  // byte data, which has no byte order to swap).
  dicomDict.dict = data.DicomMetaDictionary.denaturalizeDataset({
    ...dataset,
    _vrMap: { PixelData: 'OB' },
  });
  return dicomDict.write();
}

/**
 * The tag of a keyword as the number an AT value holds, looked up in dcmjs's
 * dictionary so that no hex tag is typed by hand.
 *
 * @throws RangeError for a keyword the dictionary does not know.
 */
export function tagNumberOf(keyword: string): number {
  const entry = data.DicomMetaDictionary.nameMap[keyword];
  const match = entry ? /^\(([0-9A-Fa-f]{4}),([0-9A-Fa-f]{4})\)$/.exec(entry.tag) : null;
  if (!match) throw new RangeError(`tagNumberOf: unknown keyword ${keyword}`);
  return parseInt(`${match[1]}${match[2]}`, 16);
}
