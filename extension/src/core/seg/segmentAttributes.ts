/**
 * Reads one SegmentSequence item back into the attributes a panel shows.
 */
import { computeRGBFromDicomLab, type RGB } from './cielab';
import { MODEL_SHA256_PARAMETER } from './createSegmentItem';
import { getFirstItem, getNumber, getNumbers, getString } from './datasetAccess';
import type { NaturalDataset } from './dicomCodec';
import type { CodedConcept } from './segCodes';
import { SegReadError } from './segErrors';
import type { SegmentAlgorithmType } from './segTypes';

/** What a read SEG says about one segment. */
export interface SegmentAttributes {
  segmentNumber: number;
  label: string;
  description?: string;
  category?: CodedConcept;
  type?: CodedConcept;
  algorithmType?: SegmentAlgorithmType;
  algorithmName?: string;
  algorithmVersion?: string;
  /** AlgorithmParameters as written. */
  algorithmParameters?: string;
  /** The model checksum when AlgorithmParameters holds `sha256=<hex>`. */
  modelSha256?: string;
  /** RecommendedDisplayCIELabValue as stored, and converted to sRGB. */
  dicomLab?: [number, number, number];
  rgb?: RGB;
  trackingID?: string;
  trackingUID?: string;
}

function readCode(item: NaturalDataset | undefined): CodedConcept | undefined {
  if (!item) return undefined;
  const CodeValue =
    getString(item, 'CodeValue') ??
    getString(item, 'LongCodeValue') ??
    getString(item, 'URNCodeValue');
  const CodingSchemeDesignator = getString(item, 'CodingSchemeDesignator') ?? '';
  const CodeMeaning = getString(item, 'CodeMeaning') ?? '';
  return CodeValue ? { CodeValue, CodingSchemeDesignator, CodeMeaning } : undefined;
}

function readAlgorithmType(value: string | undefined): SegmentAlgorithmType | undefined {
  return value === 'AUTOMATIC' || value === 'SEMIAUTOMATIC' || value === 'MANUAL'
    ? value
    : undefined;
}

/**
 * @throws SegReadError `seg-missing-attribute` when SegmentNumber is absent.
 */
export function readSegmentAttributes(item: NaturalDataset): SegmentAttributes {
  const segmentNumber = getNumber(item, 'SegmentNumber');
  if (segmentNumber === undefined) {
    throw new SegReadError('seg-missing-attribute', 'A SegmentSequence item has no SegmentNumber');
  }
  const attributes: SegmentAttributes = {
    segmentNumber,
    label: getString(item, 'SegmentLabel') ?? `Segment ${segmentNumber}`,
    description: getString(item, 'SegmentDescription'),
    category: readCode(getFirstItem(item, 'SegmentedPropertyCategoryCodeSequence')),
    type: readCode(getFirstItem(item, 'SegmentedPropertyTypeCodeSequence')),
    algorithmType: readAlgorithmType(getString(item, 'SegmentAlgorithmType')),
    algorithmName: getString(item, 'SegmentAlgorithmName'),
    trackingID: getString(item, 'TrackingID'),
    trackingUID: getString(item, 'TrackingUID'),
  };
  const identification = getFirstItem(item, 'SegmentationAlgorithmIdentificationSequence');
  if (identification) {
    attributes.algorithmName ??= getString(identification, 'AlgorithmName');
    attributes.algorithmVersion = getString(identification, 'AlgorithmVersion');
    const parameters = getString(identification, 'AlgorithmParameters');
    attributes.algorithmParameters = parameters;
    if (parameters?.startsWith(MODEL_SHA256_PARAMETER)) {
      attributes.modelSha256 = parameters.slice(MODEL_SHA256_PARAMETER.length);
    }
  }
  const lab = getNumbers(item, 'RecommendedDisplayCIELabValue');
  if (lab.length === 3) {
    attributes.dicomLab = [lab[0]!, lab[1]!, lab[2]!];
    attributes.rgb = computeRGBFromDicomLab(lab);
  }
  return attributes;
}
