/**
 * Reads a DICOM SEG (BINARY, FRACTIONAL or LABELMAP) into binary masks per
 * segment and per source image, with each segment's attributes. Frames of one
 * segment that land on the same source image are merged (logical OR); frames
 * with no pixel inside are skipped, so a segment has masks only where it has
 * pixels.
 */
import { getFirstItem, getItems, getNumber, getString } from './datasetAccess';
import { readDicomFile, type NaturalDataset, type ParsedDicomFile } from './dicomCodec';
import { createFrameSource, type FrameLayout, type FrameValues } from './segFrameSource';
import { createSourceKey, readFrameReference, type SegFrameReference } from './segFrameReference';
import { readSegmentAttributes, type SegmentAttributes } from './segmentAttributes';
import { SegReadError } from './segErrors';
import type { SegmentationType } from './segTypes';
import { LABEL_MAP_SEGMENTATION_STORAGE, SEGMENTATION_STORAGE } from './segUIDs';

/** Options of `readSeg`. */
export interface ReadSegOptions {
  /**
   * FRACTIONAL only: a pixel is inside when its value is at least this fraction
   * of MaximumFractionalValue. Default 0.5.
   */
  fractionalThreshold?: number;
}

/** One segment's mask on one source image. */
export interface SourceMask extends SegFrameReference {
  /** `createSourceKey` of the reference. */
  key: string;
  /** Rows * Columns values, 1 = inside. */
  mask: Uint8Array;
}

/** A segment and its masks, in frame order. */
export interface DecodedSegment extends SegmentAttributes {
  masks: SourceMask[];
}

/** A decoded SEG. */
export interface DecodedSeg {
  SOPClassUID: string;
  SOPInstanceUID: string;
  SeriesInstanceUID?: string;
  StudyInstanceUID?: string;
  FrameOfReferenceUID?: string;
  SegmentationType: SegmentationType;
  transferSyntaxUID: string;
  Rows: number;
  Columns: number;
  /** SeriesInstanceUIDs of ReferencedSeriesSequence. */
  referencedSeriesUIDs: string[];
  segments: DecodedSegment[];
}

const DEFAULT_FRACTIONAL_THRESHOLD = 0.5;
/** MaximumFractionalValue when a file omits it: the 8-bit maximum. */
const DEFAULT_MAX_FRACTIONAL = 255;

function readLayout(ds: NaturalDataset, type: SegmentationType): FrameLayout {
  const rows = getNumber(ds, 'Rows');
  const columns = getNumber(ds, 'Columns');
  const bits = getNumber(ds, 'BitsAllocated');
  if (!rows || !columns)
    throw new SegReadError('seg-missing-attribute', 'The SEG has no Rows or Columns');
  if (bits !== 1 && bits !== 8 && bits !== 16) {
    throw new SegReadError(
      'seg-missing-attribute',
      `BitsAllocated ${String(bits)} is not 1, 8 or 16`,
    );
  }
  if ((type === 'BINARY') !== (bits === 1)) {
    throw new SegReadError(
      'seg-unsupported-segmentation-type',
      `${type} SEG with BitsAllocated ${bits}`,
    );
  }
  return {
    rows,
    columns,
    bitsAllocated: bits,
    numberOfFrames: getNumber(ds, 'NumberOfFrames') ?? 1,
  };
}

function readType(ds: NaturalDataset, SOPClassUID: string): SegmentationType {
  const type = getString(ds, 'SegmentationType');
  if (SOPClassUID === LABEL_MAP_SEGMENTATION_STORAGE) return 'LABELMAP';
  if (type === 'BINARY' || type === 'FRACTIONAL' || type === 'LABELMAP') return type;
  throw new SegReadError('seg-unsupported-segmentation-type', `SegmentationType ${String(type)}`);
}

/** The frame's values as a mask for `segmentNumber`. */
function toMask(
  values: FrameValues,
  type: SegmentationType,
  segmentNumber: number,
  cutoff: number,
): Uint8Array {
  if (type === 'BINARY') return values as Uint8Array;
  const mask = new Uint8Array(values.length);
  if (type === 'FRACTIONAL') {
    for (let i = 0; i < values.length; i++) mask[i] = (values[i] ?? 0) >= cutoff ? 1 : 0;
  } else {
    for (let i = 0; i < values.length; i++) mask[i] = values[i] === segmentNumber ? 1 : 0;
  }
  return mask;
}

function addMask(segment: DecodedSegment, reference: SegFrameReference, mask: Uint8Array): void {
  const key = createSourceKey(reference);
  const existing = segment.masks.find((entry) => entry.key === key);
  if (!existing) {
    segment.masks.push({ ...reference, key, mask });
    return;
  }
  for (let i = 0; i < mask.length; i++) if (mask[i]) existing.mask[i] = 1;
}

function hasAnyPixel(mask: Uint8Array): boolean {
  // A loop, not `some`: this runs on every frame, and lesions sit mid-frame.
  for (let i = 0; i < mask.length; i++) if (mask[i]) return true;
  return false;
}

/**
 * Decodes SEG bytes.
 *
 * @throws SegReadError with code `seg-invalid-dicom`, `seg-not-segmentation`,
 *   `seg-unsupported-transfer-syntax` (e.g. JPEG 2000 frames),
 *   `seg-missing-per-frame-groups`, `seg-unsupported-segmentation-type`,
 *   `seg-missing-attribute`, `seg-pixel-data-*`, `seg-invalid-rle`,
 *   `seg-invalid-deflate` or `seg-fragment-count`.
 */
export async function readSeg(
  bytes: ArrayBuffer,
  options: ReadSegOptions = {},
): Promise<DecodedSeg> {
  const file: ParsedDicomFile = readDicomFile(bytes);
  const ds = file.dataset;
  const SOPClassUID = getString(ds, 'SOPClassUID') ?? '';
  if (SOPClassUID !== SEGMENTATION_STORAGE && SOPClassUID !== LABEL_MAP_SEGMENTATION_STORAGE) {
    throw new SegReadError(
      'seg-not-segmentation',
      `SOP Class ${SOPClassUID || '(none)'} is not a Segmentation`,
    );
  }
  const type = readType(ds, SOPClassUID);
  const layout = readLayout(ds, type);
  const perFrame = getItems(ds, 'PerFrameFunctionalGroupsSequence');
  if (perFrame.length !== layout.numberOfFrames) {
    throw new SegReadError(
      'seg-missing-per-frame-groups',
      `PerFrameFunctionalGroupsSequence has ${perFrame.length} items ` +
        `for ${layout.numberOfFrames} frames`,
    );
  }
  const shared = getFirstItem(ds, 'SharedFunctionalGroupsSequence');
  const segments: DecodedSegment[] = getItems(ds, 'SegmentSequence').map((item) => ({
    ...readSegmentAttributes(item),
    masks: [],
  }));
  const byNumber = new Map(segments.map((segment) => [segment.segmentNumber, segment]));
  const threshold = options.fractionalThreshold ?? DEFAULT_FRACTIONAL_THRESHOLD;
  const cutoff = threshold * (getNumber(ds, 'MaximumFractionalValue') ?? DEFAULT_MAX_FRACTIONAL);
  const frameSource = createFrameSource(file, layout);

  for (let index = 0; index < perFrame.length; index++) {
    const group = perFrame[index]!;
    const reference = readFrameReference(group, shared);
    const values = await frameSource(index);
    if (type === 'LABELMAP') {
      for (const segment of segments) {
        const mask = toMask(values, type, segment.segmentNumber, cutoff);
        if (hasAnyPixel(mask)) addMask(segment, reference, mask);
      }
      continue;
    }
    const identification =
      getFirstItem(group, 'SegmentIdentificationSequence') ??
      (shared ? getFirstItem(shared, 'SegmentIdentificationSequence') : undefined);
    const number = identification
      ? getNumber(identification, 'ReferencedSegmentNumber')
      : undefined;
    const segment =
      number !== undefined ? byNumber.get(number) : segments.length === 1 ? segments[0] : undefined;
    if (!segment) {
      throw new SegReadError('seg-missing-attribute', `Frame ${index + 1} names no known segment`);
    }
    const mask = toMask(values, type, segment.segmentNumber, cutoff);
    // An empty frame means what no frame means, the segment is absent there:
    // skipped, as for label maps.
    // Our writer adds some to keep PixelData even (evenPackedLength.ts).
    if (hasAnyPixel(mask)) addMask(segment, reference, mask);
  }

  return {
    SOPClassUID,
    SOPInstanceUID: getString(ds, 'SOPInstanceUID') ?? '',
    SeriesInstanceUID: getString(ds, 'SeriesInstanceUID'),
    StudyInstanceUID: getString(ds, 'StudyInstanceUID'),
    FrameOfReferenceUID: getString(ds, 'FrameOfReferenceUID'),
    SegmentationType: type,
    transferSyntaxUID: file.transferSyntaxUID,
    Rows: layout.rows,
    Columns: layout.columns,
    referencedSeriesUIDs: getItems(ds, 'ReferencedSeriesSequence')
      .map((item) => getString(item, 'SeriesInstanceUID'))
      .filter((uid): uid is string => uid !== undefined),
    segments,
  };
}
