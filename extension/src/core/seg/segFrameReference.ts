/**
 * Where a SEG frame belongs: the source image it was derived from (by SOP
 * Instance UID and, for multi-frame sources, frame number) or, when a writer
 * left the references out, the plane position.
 */
import type { Vec3 } from '../dicom/seriesGeometry';
import { getFirstItem, getItems, getNumber, getNumbers, getString } from './datasetAccess';
import type { NaturalDataset } from './dicomCodec';

/** The identifiers of one frame's source. */
export interface SegFrameReference {
  ReferencedSOPInstanceUID?: string;
  /** 1-based frame of a multi-frame source, when the SEG states one. */
  ReferencedFrameNumber?: number;
  ImagePositionPatient?: Vec3;
}

/** Positions are rounded to this many decimals (mm) for keys: 1 µm. */
const POSITION_KEY_DECIMALS = 3;

/**
 * A string key for maps: `sop:<uid>`, `sop:<uid>:<frame>`, or
 * `pos:<x>,<y>,<z>` when there is no UID.
 */
export function createSourceKey(reference: SegFrameReference): string {
  if (reference.ReferencedSOPInstanceUID) {
    const frame = reference.ReferencedFrameNumber;
    return `sop:${reference.ReferencedSOPInstanceUID}${frame ? `:${frame}` : ''}`;
  }
  const position = reference.ImagePositionPatient;
  if (position) {
    // Round, and turn -0 into 0, so equal positions give equal keys.
    const rounded = position.map((v) =>
      (Number(v.toFixed(POSITION_KEY_DECIMALS)) || 0).toFixed(POSITION_KEY_DECIMALS),
    );
    return `pos:${rounded.join(',')}`;
  }
  return 'unknown';
}

/** Reads the reference of one frame from its per-frame (or the shared) groups. */
export function readFrameReference(
  perFrame: NaturalDataset,
  shared: NaturalDataset | undefined,
): SegFrameReference {
  const reference: SegFrameReference = {};
  const derivation = getFirstItem(perFrame, 'DerivationImageSequence');
  const source = derivation ? getItems(derivation, 'SourceImageSequence')[0] : undefined;
  if (source) {
    reference.ReferencedSOPInstanceUID = getString(source, 'ReferencedSOPInstanceUID');
    const frame = getNumber(source, 'ReferencedFrameNumber');
    if (frame !== undefined) reference.ReferencedFrameNumber = frame;
  }
  const plane =
    getFirstItem(perFrame, 'PlanePositionSequence') ??
    (shared ? getFirstItem(shared, 'PlanePositionSequence') : undefined);
  const position = plane ? getNumbers(plane, 'ImagePositionPatient') : [];
  if (position.length === 3)
    reference.ImagePositionPatient = [position[0]!, position[1]!, position[2]!];
  return reference;
}
