/**
 * The Multi-frame Functional Groups, Multi-frame Dimension and Common Instance
 * Reference content of a SEG (PS3.3 C.7.6.16, C.7.6.17, C.12.2).
 */
import type { SeriesGeometry, SourceImage } from '../dicom/seriesGeometry';
import { tagNumberOf, type NaturalDataset } from './dicomCodec';
import { DERIVATION_SEGMENTATION, PURPOSE_SOURCE_IMAGE } from './segCodes';
import type { SegSourceHeader } from './segTypes';

/** Shared groups: Pixel Measures, as the source states them. */
export function createSharedFunctionalGroups(
  first: SourceImage,
  header: SegSourceHeader,
): NaturalDataset[] {
  const pixelMeasures: NaturalDataset = { PixelSpacing: [...first.PixelSpacing] };
  // Thickness and spacing are copied, never derived from each other: they
  // differ in overlapping reconstructions (ct-organs: 3 mm thick, 2 mm apart).
  if (header.SliceThickness !== undefined) pixelMeasures.SliceThickness = header.SliceThickness;
  if (header.SpacingBetweenSlices !== undefined) {
    pixelMeasures.SpacingBetweenSlices = header.SpacingBetweenSlices;
  }
  return [{ PixelMeasuresSequence: [pixelMeasures] }];
}

/** Everything one frame says about itself. */
export interface PerFrameInput {
  image: SourceImage;
  /** Absent for LABELMAP, whose frames hold every segment. */
  segmentNumber?: number;
  dimensionIndexValues: number[];
}

/** One item of the PerFrameFunctionalGroupsSequence. */
export function createPerFrameGroup(frame: PerFrameInput): NaturalDataset {
  const { image } = frame;
  const group: NaturalDataset = {
    DerivationImageSequence: [
      {
        DerivationCodeSequence: [{ ...DERIVATION_SEGMENTATION }],
        SourceImageSequence: [
          {
            ReferencedSOPClassUID: image.SOPClassUID,
            ReferencedSOPInstanceUID: image.SOPInstanceUID,
            PurposeOfReferenceCodeSequence: [{ ...PURPOSE_SOURCE_IMAGE }],
            SpatialLocationsPreserved: 'YES',
          },
        ],
      },
    ],
    FrameContentSequence: [{ DimensionIndexValues: frame.dimensionIndexValues }],
    PlanePositionSequence: [{ ImagePositionPatient: [...image.ImagePositionPatient] }],
    PlaneOrientationSequence: [{ ImageOrientationPatient: [...image.ImageOrientationPatient] }],
  };
  if (frame.segmentNumber !== undefined) {
    group.SegmentIdentificationSequence = [{ ReferencedSegmentNumber: frame.segmentNumber }];
  }
  return group;
}

/**
 * Dimension modules. BINARY frames are indexed by segment then position;
 * LABELMAP frames by position only.
 */
export function createDimensionModules(
  dimensionOrganizationUID: string,
  indexBySegment: boolean,
): NaturalDataset {
  const segmentDimension: NaturalDataset = {
    DimensionOrganizationUID: dimensionOrganizationUID,
    DimensionIndexPointer: tagNumberOf('ReferencedSegmentNumber'),
    FunctionalGroupPointer: tagNumberOf('SegmentIdentificationSequence'),
    DimensionDescriptionLabel: 'Segment Number',
  };
  const positionDimension: NaturalDataset = {
    DimensionOrganizationUID: dimensionOrganizationUID,
    DimensionIndexPointer: tagNumberOf('ImagePositionPatient'),
    FunctionalGroupPointer: tagNumberOf('PlanePositionSequence'),
    DimensionDescriptionLabel: 'Image Position Patient',
  };
  return {
    DimensionOrganizationSequence: [{ DimensionOrganizationUID: dimensionOrganizationUID }],
    DimensionIndexSequence: indexBySegment
      ? [segmentDimension, positionDimension]
      : [positionDimension],
  };
}

/**
 * ReferencedSeriesSequence of the Common Instance Reference module: the whole
 * source series, so that a viewer knows which images were looked at, including
 * those where the lesion is absent.
 */
export function createReferencedSeries(source: SeriesGeometry): NaturalDataset[] {
  return [
    {
      SeriesInstanceUID: source.SeriesInstanceUID,
      ReferencedInstanceSequence: source.images.map((image) => ({
        ReferencedSOPClassUID: image.SOPClassUID,
        ReferencedSOPInstanceUID: image.SOPInstanceUID,
      })),
    },
  ];
}
