/**
 * The viewer's labelmap, as plain data, to a DICOM SEG the viewer displays as
 * drawn: classic BINARY, or pseudo-binary FRACTIONAL when a frame is not a
 * whole number of bytes (computeViewerSegStorage.ts: OHIF 3.13 scrambles such
 * BINARY frames). The viewer keeps one labelmap image per source image, holding
 * segment indices; each segment becomes one SEG segment with one mask per
 * source image. Pure (no viewer import): the host part only reads the labelmap
 * images and the source instances (readViewerSegmentation.ts).
 */
import type { RGB } from '../../core/seg/cielab';
import { computeViewerSegStorage } from '../../core/seg/computeViewerSegStorage';
import { SegmentCategory, SegmentType } from '../../core/seg/segCodes';
import { SegWriteError } from '../../core/seg/segErrors';
import {
  chooseSegSeriesNumber,
  createSegSeriesDescription,
} from '../../core/seg/segSeriesIdentity';
import type { SegEquipment, SegmentAlgorithm, SegmentInput } from '../../core/seg/segTypes';
import { writeSeg, type WrittenSeg } from '../../core/seg/writeSeg';
import { sortAlongNormal, type SourceImage } from '../../core/dicom/seriesGeometry';
import {
  readNumber,
  readSegSourceHeader,
  readSourceImage,
  readText,
  requireText,
  type NaturalInstance,
} from './naturalInstance';
import { SegSaveError } from './segSaveError';

/** One source image and its labelmap. */
export interface LabelmapSlice {
  /** The source image's naturalized DICOM metadata. */
  instance: NaturalInstance;
  /** Segment index per pixel, row-major, Rows × Columns; 0 = none. */
  labels: ArrayLike<number>;
}

/** A segment as the panel lists it. */
export interface SegmentToSave {
  segmentIndex: number;
  label: string;
  rgb: RGB;
}

export interface SegFromLabelmapsInput {
  slices: readonly LabelmapSlice[];
  segments: readonly SegmentToSave[];
  /** The model that outlined the segments. */
  algorithm: SegmentAlgorithm;
  equipment: SegEquipment;
  /**
   * What the SEG holds, in the user's language ("MedSAM lesions"): the start
   * of its SeriesDescription, which then names the source (segSeriesIdentity.ts).
   */
  seriesDescriptionPrefix: string;
  /** SeriesNumbers the source's study already uses, as far as the viewer knows. */
  takenSeriesNumbers?: (StudyInstanceUID: string) => Iterable<number>;
  /** Injectable for reproducible tests. */
  now?: Date;
  createUID?: () => string;
}

/** The written SEG and the name it has in the study's series list. */
export interface CreatedSeg extends WrittenSeg {
  SeriesDescription: string;
  SeriesNumber: number;
}

interface SortedSlice extends SourceImage {
  labels: ArrayLike<number>;
  instance: NaturalInstance;
}

/** The 0/1 mask of one segment on one image, or null when it has no pixel there. */
function extractMask(labels: ArrayLike<number>, segmentIndex: number): Uint8Array | null {
  let mask: Uint8Array | null = null;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== segmentIndex) continue;
    mask ??= new Uint8Array(labels.length);
    mask[i] = 1;
  }
  return mask;
}

function sortSlices(slices: readonly LabelmapSlice[]): SortedSlice[] {
  const seen = new Set<string>();
  const images = slices.map(({ instance, labels }) => {
    const image = readSourceImage(instance);
    // One SOP instance behind several labelmap images means frames of a
    // multi-frame source, which need per-frame references we do not write.
    if (seen.has(image.SOPInstanceUID)) {
      throw new SegSaveError(
        'save-multiframe-source',
        `Image ${image.SOPInstanceUID} is listed twice: a multi-frame source`,
      );
    }
    seen.add(image.SOPInstanceUID);
    return { ...image, labels, instance };
  });
  return sortAlongNormal(images);
}

/**
 * Builds the SEG. Segments without any pixel are left out (a "new lesion"
 * the user never drew in); their numbering in the SEG is consecutive.
 *
 * @throws SegSaveError `save-no-segmentation`, `save-missing-metadata`,
 *   `save-multiframe-source`.
 * @throws SegWriteError from the writer, notably `seg-empty` when no segment
 *   has a pixel.
 */
export function createSegFromLabelmaps(input: SegFromLabelmapsInput): CreatedSeg {
  const sorted = sortSlices(input.slices);
  const firstSlice = sorted[0];
  if (!firstSlice) throw new SegSaveError('save-no-segmentation', 'The segmentation has no images');
  const first = firstSlice.instance;
  const segments: SegmentInput[] = [];
  for (const segment of input.segments) {
    const masks = sorted.map((slice) => extractMask(slice.labels, segment.segmentIndex));
    if (!masks.some((mask) => mask !== null)) continue;
    segments.push({
      label: segment.label,
      category: SegmentCategory.MorphologicallyAbnormalStructure,
      // A box-prompted outline says where a lesion is, not what it is.
      type: SegmentType.Lesion,
      rgb: segment.rgb,
      algorithmType: 'SEMIAUTOMATIC',
      algorithm: input.algorithm,
      masks,
    });
  }
  if (segments.length === 0) {
    // The same answer as the writer gives for segments without pixels, so
    // the panel has one message for "nothing outlined yet".
    throw new SegWriteError('seg-empty', 'No segment has any pixel: there is nothing to store');
  }
  const StudyInstanceUID = requireText(first, 'StudyInstanceUID');
  const Modality = readText(first, 'Modality') ?? '';
  // Each SEG names its source, so that a CT SEG and a PET SEG of one study
  // differ in the viewer's series list (description and number).
  const SeriesDescription = createSegSeriesDescription(input.seriesDescriptionPrefix, {
    Modality,
    SeriesDescription: readText(first, 'SeriesDescription'),
  });
  const SeriesNumber = chooseSegSeriesNumber(
    readNumber(first, 'SeriesNumber'),
    input.takenSeriesNumbers?.(StudyInstanceUID) ?? [],
  );
  const written = writeSeg({
    source: {
      StudyInstanceUID,
      SeriesInstanceUID: requireText(first, 'SeriesInstanceUID'),
      FrameOfReferenceUID: requireText(first, 'FrameOfReferenceUID'),
      Modality,
      images: sorted.map(({ labels: _labels, instance: _instance, ...image }) => image),
    },
    header: readSegSourceHeader(first),
    segments,
    equipment: input.equipment,
    SeriesDescription,
    SeriesNumber,
    storage: computeViewerSegStorage(firstSlice),
    now: input.now,
    createUID: input.createUID,
  });
  return { ...written, SeriesDescription, SeriesNumber };
}
