/**
 * One item of the SegmentSequence (Segment Description Macro, PS3.3 C.8.20.2).
 */
import { computeDicomLabFromRGB } from './cielab';
import type { NaturalDataset } from './dicomCodec';
import { ALGORITHM_FAMILY_AI, type CodedConcept } from './segCodes';
import type { SegmentDescription } from './segTypes';

/** Longest LO value, characters (PS3.5 Table 6.2-1). */
const MAX_LO_LENGTH = 64;
/** Prefix of the model checksum inside AlgorithmParameters. */
export const MODEL_SHA256_PARAMETER = 'sha256=';

function code(concept: CodedConcept): NaturalDataset[] {
  return [{ ...concept }];
}

function checkLO(value: string, what: string): string {
  if (value.length === 0 || value.length > MAX_LO_LENGTH) {
    throw new RangeError(`${what} must be 1..${MAX_LO_LENGTH} characters, got "${value}"`);
  }
  if (/[\\\r\n]/.test(value)) throw new RangeError(`${what} must not contain \\ or line breaks`);
  return value;
}

/**
 * Builds the naturalised item for one segment.
 *
 * @param segmentNumber 1-based SegmentNumber.
 * @throws RangeError for labels or names that do not fit their VR.
 * @throws TypeError when a non-MANUAL segment has no algorithm.
 */
export function createSegmentItem(
  segment: SegmentDescription,
  segmentNumber: number,
): NaturalDataset {
  const item: NaturalDataset = {
    SegmentNumber: segmentNumber,
    SegmentLabel: checkLO(segment.label, 'SegmentLabel'),
    SegmentAlgorithmType: segment.algorithmType,
    SegmentedPropertyCategoryCodeSequence: code(segment.category),
    SegmentedPropertyTypeCodeSequence: code(segment.type),
  };
  if (segment.description) item.SegmentDescription = segment.description;
  if (segment.rgb) item.RecommendedDisplayCIELabValue = computeDicomLabFromRGB(segment.rgb);
  if (segment.trackingID) {
    item.TrackingID = segment.trackingID;
    if (segment.trackingUID) item.TrackingUID = segment.trackingUID;
  }
  if (segment.algorithmType !== 'MANUAL') {
    const algorithm = segment.algorithm;
    if (!algorithm) {
      throw new TypeError(
        `Segment "${segment.label}": a ${segment.algorithmType} segment needs an algorithm`,
      );
    }
    item.SegmentAlgorithmName = checkLO(algorithm.name, 'SegmentAlgorithmName');
    const identification: NaturalDataset = {
      AlgorithmFamilyCodeSequence: code(ALGORITHM_FAMILY_AI),
      AlgorithmName: algorithm.name,
      AlgorithmVersion: checkLO(algorithm.version, 'AlgorithmVersion'),
    };
    // The checksum names the exact weights: two exports of one model version
    // can differ, and only the file hash tells which one made this segment.
    if (algorithm.modelSha256) {
      identification.AlgorithmParameters = `${MODEL_SHA256_PARAMETER}${algorithm.modelSha256}`;
    }
    item.SegmentationAlgorithmIdentificationSequence = [identification];
  }
  return item;
}
