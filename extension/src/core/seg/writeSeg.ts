/**
 * Writes a DICOM Segmentation from our labelmaps: classic BINARY SEG
 * (Segmentation Storage) by default, pseudo-binary FRACTIONAL or Label Map SEG
 * on request. One frame per segment and source image where the segment has
 * pixels (BINARY and FRACTIONAL: plus one empty frame where OHIF 3.13 needs an
 * even frame count, evenPackedLength.ts); every frame names its source image,
 * position and orientation, so any viewer can place it without guessing.
 * BINARY PixelData is packed LSB first, frames bit-contiguous (packBits.ts).
 */
import type { SeriesGeometry } from '../dicom/seriesGeometry';
import {
  collectBinaryFrames,
  collectLabelMapFrames,
  computeSegmentsOverlap,
  type BinaryFrame,
} from './collectSegFrames';
import { copySourceHeader } from './copySourceHeader';
import { createSegmentItem } from './createSegmentItem';
import { createUID as createRandomUID } from './createUID';
import { formatDicomDate, formatDicomTime } from './dicomDateTime';
import { writeDicomFile, type NaturalDataset } from './dicomCodec';
import { addEvenLengthFrames } from './evenPackedLength';
import { packBinaryFrames } from './packBits';
import { SegWriteError } from './segErrors';
import {
  createDimensionModules,
  createPerFrameGroup,
  createReferencedSeries,
  createSharedFunctionalGroups,
} from './segFunctionalGroups';
import type { SegEquipment, SegmentInput, SegSourceHeader, SegStorage } from './segTypes';
import { LABEL_MAP_SEGMENTATION_STORAGE, SEGMENTATION_STORAGE } from './segUIDs';
import {
  BITS_ALLOCATED,
  createPixelData,
  createPseudoBinaryPixelData,
  describePixels,
  describeSegmentationType,
} from './segPixelData';

/** Everything `writeSeg` needs. */
export interface WriteSegInput {
  source: SeriesGeometry;
  header: SegSourceHeader;
  segments: readonly SegmentInput[];
  equipment: SegEquipment;
  /** SeriesDescription (LO), e.g. "MedSAM lesions". */
  SeriesDescription: string;
  /** ContentCreatorName (PN), the radiologist, `Family^Given`. */
  ContentCreatorName?: string;
  /** ContentLabel (CS: upper case, digits, space, underscore; 16 characters). */
  ContentLabel?: string;
  ContentDescription?: string;
  SeriesNumber?: number;
  InstanceNumber?: number;
  /**
   * 'binary' (default), 'fractional' or 'labelmap' (Label Map Segmentation
   * Storage). 'fractional' writes the same frames, groups and segments as
   * 'binary', but 8 bits per pixel, 0 or 255 (MaximumFractionalValue), with
   * SegmentationFractionalType PROBABILITY. It exists for OHIF 3.13, whose dcmjs
   * (`readUncompressedBitFrame`) reads BINARY frames that start mid-byte MSB
   * first and displays them scrambled; `computeViewerSegStorage` picks it.
   */
  storage?: SegStorage;
  /**
   * BINARY and FRACTIONAL, default true: when frames are whole bytes and the
   * PixelData would have an odd length with more than one frame, add one empty
   * frame (on a source image next to a segment's frames) so that OHIF 3.13's
   * SEG loader can split it (evenPackedLength.ts). BINARY frames that are not
   * whole bytes are never padded. False writes only the frames with pixels.
   */
  evenPackedLength?: boolean;
  /** Injectable for reproducible tests. */
  now?: Date;
  createUID?: () => string;
}

/** The written object and the identifiers the store and panel need. */
export interface WrittenSeg {
  bytes: ArrayBuffer;
  SOPClassUID: string;
  SOPInstanceUID: string;
  SeriesInstanceUID: string;
  StudyInstanceUID: string;
  numberOfFrames: number;
  segmentsOverlap: boolean;
}

/** SeriesNumber when the caller gives none; high to sort after acquisitions. */
const DEFAULT_SERIES_NUMBER = 300;
const DEFAULT_CONTENT_LABEL = 'MEDSAM';

function checkSource(source: SeriesGeometry): void {
  const first = source.images[0];
  if (!first) throw new SegWriteError('seg-inconsistent-source', 'The source series has no images');
  for (const image of source.images) {
    const sameGrid =
      image.Rows === first.Rows &&
      image.Columns === first.Columns &&
      image.PixelSpacing[0] === first.PixelSpacing[0] &&
      image.PixelSpacing[1] === first.PixelSpacing[1];
    if (!sameGrid) {
      throw new SegWriteError(
        'seg-inconsistent-source',
        `Image ${image.SOPInstanceUID} differs in size or pixel spacing from the first image`,
      );
    }
  }
}

/**
 * BINARY or FRACTIONAL frames with pixels, plus the empty one the viewer's
 * loader may need (evenPackedLength.ts).
 */
function collectSegmentFrames(
  input: WriteSegInput,
  pixelsPerImage: number,
  bitsAllocated: 1 | 8,
): BinaryFrame[] {
  const imageCount = input.source.images.length;
  const frames = collectBinaryFrames(input.segments, imageCount, pixelsPerImage);
  if (input.evenPackedLength === false) return frames;
  return addEvenLengthFrames(frames, imageCount, pixelsPerImage, bitsAllocated);
}

/** The frames in file order, and their PixelData. */
interface EncodedFrames {
  /** Per frame: its source image and, except in a label map, its segment. */
  frames: ReadonlyArray<{ imageIndex: number; segmentNumber?: number }>;
  pixelData: Uint8Array;
  bitsAllocated: 1 | 8 | 16;
}

function encodeFrames(
  input: WriteSegInput,
  storage: SegStorage,
  pixelsPerImage: number,
): EncodedFrames {
  if (storage === 'labelmap') {
    const imageCount = input.source.images.length;
    const { frames, bitsAllocated } = collectLabelMapFrames(
      input.segments,
      imageCount,
      pixelsPerImage,
    );
    const labels = frames.map((frame) => frame.labels);
    return { frames, pixelData: createPixelData(labels, bitsAllocated), bitsAllocated };
  }
  const bitsAllocated = BITS_ALLOCATED[storage];
  const frames = collectSegmentFrames(input, pixelsPerImage, bitsAllocated);
  const masks = frames.map((frame) => frame.mask);
  const pixelData =
    storage === 'binary'
      ? packBinaryFrames(masks, pixelsPerImage)
      : createPseudoBinaryPixelData(masks, pixelsPerImage);
  return { frames, pixelData, bitsAllocated };
}

function checkContentLabel(label: string): string {
  if (!/^[A-Z0-9_ ]{1,16}$/.test(label)) {
    throw new RangeError(`ContentLabel must be 1..16 of A-Z 0-9 _ space, got "${label}"`);
  }
  return label;
}

/**
 * Encodes the segments as a DICOM SEG file.
 *
 * @throws SegWriteError `seg-no-segments`, `seg-empty` (no pixel in any
 *   segment: nothing to store), `seg-mask-size`, `seg-inconsistent-source`,
 *   `seg-overlap-in-labelmap`.
 * @throws RangeError / TypeError for labels or attributes outside their VR.
 */
export function writeSeg(input: WriteSegInput): WrittenSeg {
  const { source, segments } = input;
  if (segments.length === 0) throw new SegWriteError('seg-no-segments', 'No segments to write');
  checkSource(source);
  const first = source.images[0]!;
  const createUID = input.createUID ?? (() => createRandomUID());
  const now = input.now ?? new Date();
  const storage = input.storage ?? 'binary';
  const pixelsPerImage = first.Rows * first.Columns;
  const segmentsOverlap = computeSegmentsOverlap(segments);

  const { frames, pixelData, bitsAllocated } = encodeFrames(input, storage, pixelsPerImage);
  if (frames.length === 0) {
    throw new SegWriteError('seg-empty', 'No segment has any pixel: there is nothing to store');
  }

  const SOPClassUID =
    storage === 'labelmap' ? LABEL_MAP_SEGMENTATION_STORAGE : SEGMENTATION_STORAGE;
  const SOPInstanceUID = createUID();
  const SeriesInstanceUID = createUID();
  const date = formatDicomDate(now);
  const time = formatDicomTime(now);
  const perFrame = frames.map((frame) => {
    const image = source.images[frame.imageIndex]!;
    const position = frame.imageIndex + 1;
    return frame.segmentNumber !== undefined
      ? createPerFrameGroup({
          image,
          segmentNumber: frame.segmentNumber,
          dimensionIndexValues: [frame.segmentNumber, position],
        })
      : createPerFrameGroup({ image, dimensionIndexValues: [position] });
  });

  const dataset: NaturalDataset = {
    SpecificCharacterSet: 'ISO_IR 192',
    SOPClassUID,
    SOPInstanceUID,
    InstanceCreationDate: date,
    InstanceCreationTime: time,
    ImageType: ['DERIVED', 'PRIMARY'],
    ...copySourceHeader(input.header),
    StudyInstanceUID: source.StudyInstanceUID,
    Modality: 'SEG',
    SeriesInstanceUID,
    SeriesNumber: input.SeriesNumber ?? DEFAULT_SERIES_NUMBER,
    SeriesDescription: input.SeriesDescription,
    SeriesDate: date,
    SeriesTime: time,
    FrameOfReferenceUID: source.FrameOfReferenceUID,
    PositionReferenceIndicator: '',
    ...input.equipment,
    InstanceNumber: input.InstanceNumber ?? 1,
    ContentDate: date,
    ContentTime: time,
    ContentLabel: checkContentLabel(input.ContentLabel ?? DEFAULT_CONTENT_LABEL),
    ContentDescription: input.ContentDescription ?? input.SeriesDescription,
    ContentCreatorName: input.ContentCreatorName ?? '',
    ...describePixels(first.Rows, first.Columns, bitsAllocated),
    ...describeSegmentationType(storage),
    SegmentsOverlap: segmentsOverlap ? 'YES' : 'NO',
    SegmentSequence: segments.map((segment, s) => createSegmentItem(segment, s + 1)),
    ...createDimensionModules(createUID(), storage !== 'labelmap'),
    NumberOfFrames: frames.length,
    SharedFunctionalGroupsSequence: createSharedFunctionalGroups(first, input.header),
    PerFrameFunctionalGroupsSequence: perFrame,
    ReferencedSeriesSequence: createReferencedSeries(source),
    PixelData: [
      pixelData.buffer.slice(pixelData.byteOffset, pixelData.byteOffset + pixelData.byteLength),
    ],
  };
  return {
    bytes: writeDicomFile(dataset, { SOPClassUID, SOPInstanceUID }),
    SOPClassUID,
    SOPInstanceUID,
    SeriesInstanceUID,
    StudyInstanceUID: source.StudyInstanceUID,
    numberOfFrames: frames.length,
    segmentsOverlap,
  };
}
