/**
 * Writes a DICOM Segmentation from our labelmaps: classic BINARY SEG
 * (Segmentation Storage) by default, Label Map SEG on request. One frame per
 * segment and source image where the segment has pixels (BINARY: plus up to 8
 * empty frames that keep PixelData at an even length for OHIF 3.13,
 * evenPackedLength.ts); every frame names its source image, position and
 * orientation, so any viewer can place it without guessing. PixelData is packed
 * LSB first, frames bit-contiguous (packBits.ts).
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
import { createPixelData, describePixels } from './segPixelData';

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
  /** 'binary' (default) or 'labelmap' (Label Map Segmentation Storage). */
  storage?: SegStorage;
  /**
   * BINARY only, default true: when Rows x Columns is not a multiple of 8 and
   * the packed PixelData would have an odd length, add the fewest empty frames
   * (on source images next to a segment's frames) to make it even. OHIF 3.13's
   * SEG loader refuses the pad byte DICOM adds to an odd length
   * (evenPackedLength.ts). False writes only the frames with pixels.
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

/** BINARY frames with pixels, plus the empty ones an even PixelData length needs. */
function collectWrittenBinaryFrames(input: WriteSegInput, pixelsPerImage: number): BinaryFrame[] {
  const imageCount = input.source.images.length;
  const frames = collectBinaryFrames(input.segments, imageCount, pixelsPerImage);
  if (input.evenPackedLength === false) return frames;
  return addEvenLengthFrames(frames, imageCount, pixelsPerImage);
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

  const frames =
    storage === 'binary'
      ? collectWrittenBinaryFrames(input, pixelsPerImage)
      : collectLabelMapFrames(segments, source.images.length, pixelsPerImage);
  const frameList = 'frames' in frames ? frames.frames : frames;
  if (frameList.length === 0) {
    throw new SegWriteError('seg-empty', 'No segment has any pixel: there is nothing to store');
  }

  const SOPClassUID = storage === 'binary' ? SEGMENTATION_STORAGE : LABEL_MAP_SEGMENTATION_STORAGE;
  const SOPInstanceUID = createUID();
  const SeriesInstanceUID = createUID();
  const date = formatDicomDate(now);
  const time = formatDicomTime(now);
  const perFrame = frameList.map((frame) => {
    const image = source.images[frame.imageIndex]!;
    const position = frame.imageIndex + 1;
    return 'segmentNumber' in frame
      ? createPerFrameGroup({
          image,
          segmentNumber: frame.segmentNumber,
          dimensionIndexValues: [frame.segmentNumber, position],
        })
      : createPerFrameGroup({ image, dimensionIndexValues: [position] });
  });
  const pixelData =
    'frames' in frames
      ? createPixelData(
          frames.frames.map((frame) => frame.labels),
          frames.bitsAllocated,
        )
      : packBinaryFrames(
          frames.map((frame) => frame.mask),
          pixelsPerImage,
        );

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
    ...describePixels(first.Rows, first.Columns, 'frames' in frames ? frames.bitsAllocated : 1),
    SegmentationType: storage === 'binary' ? 'BINARY' : 'LABELMAP',
    SegmentsOverlap: segmentsOverlap ? 'YES' : 'NO',
    SegmentSequence: segments.map((segment, s) => createSegmentItem(segment, s + 1)),
    ...createDimensionModules(createUID(), storage === 'binary'),
    NumberOfFrames: frameList.length,
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
    numberOfFrames: frameList.length,
    segmentsOverlap,
  };
}
