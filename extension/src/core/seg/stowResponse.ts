/**
 * Reads a STOW-RS response (PS3.18 10.5.3): did the PACS keep our instance?
 * DICOM JSON keys are tags, so the few we need are in one keyword -> tag table
 * (checked against dcmjs's dictionary in the tests).
 */

/** Tags of the Store Instances Response Module, as DICOM JSON keys. */
export const STOW_RESPONSE_TAGS = {
  FailedSOPSequence: '00081198',
  ReferencedSOPSequence: '00081199',
  ReferencedSOPInstanceUID: '00081155',
  FailureReason: '00081197',
  WarningReason: '00081196',
} as const;

/** What the response says about one instance. */
export interface StowOutcome {
  /** Our SOP Instance UID is in ReferencedSOPSequence. */
  referenced: boolean;
  /** A FailedSOPSequence item exists (for any instance: we send one). */
  failed: boolean;
  /** FailureReason of the first failed item (PS3.18 Table I.2-1), if given. */
  failureReason?: number;
}

function items(dataset: unknown, tag: string): unknown[] {
  if (typeof dataset !== 'object' || dataset === null) return [];
  const element = (dataset as Record<string, unknown>)[tag];
  if (typeof element !== 'object' || element === null) return [];
  const value = (element as { Value?: unknown }).Value;
  return Array.isArray(value) ? value : [];
}

function parse(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Interprets a response body: DICOM JSON text or object. A body that is not
 * JSON (an XML response, or none) is read by looking for the failed-SOP tag.
 */
export function readStowResponse(body: unknown, SOPInstanceUID: string): StowOutcome {
  const json = parse(body);
  if (json === undefined || json === null) {
    const text = typeof body === 'string' ? body : '';
    return { referenced: false, failed: text.includes(STOW_RESPONSE_TAGS.FailedSOPSequence) };
  }
  const failedItems = items(json, STOW_RESPONSE_TAGS.FailedSOPSequence);
  const reason = items(failedItems[0], STOW_RESPONSE_TAGS.FailureReason)[0];
  const referenced = items(json, STOW_RESPONSE_TAGS.ReferencedSOPSequence).some((item) =>
    items(item, STOW_RESPONSE_TAGS.ReferencedSOPInstanceUID).includes(SOPInstanceUID),
  );
  return {
    referenced,
    failed: failedItems.length > 0,
    failureReason: typeof reason === 'number' ? reason : undefined,
  };
}
