/**
 * STOW-RS of one SEG to a DICOMweb server with dicomweb-client. Succeeds only
 * when the server confirms: HTTP 200 (or 202 naming our instance) and no
 * FailedSOPSequence. Every failure becomes a PacsStoreError with a code.
 */
import { api } from 'dicomweb-client';
import { classifyHttpStatus, NO_RESPONSE_STATUS, PacsStoreError } from './pacsStoreError';
import { readStowResponse } from './stowResponse';

/** Where and how to store. */
export interface DicomWebTarget {
  /** DICOMweb root, e.g. "/dicom-web" or "http://pacs:8042/dicom-web". */
  root: string;
  /** Extra headers, e.g. `{ Authorization: 'Bearer …' }`; never persisted. */
  headers?: Record<string, string>;
  /** Gives up on a silent server after this long; default 120 s. */
  timeoutMs?: number;
  /** Injectable for Node tests; the browser's XMLHttpRequest by default. */
  createXMLHttpRequest?: () => XMLHttpRequest;
}

/** What the server confirmed. */
export interface StoreReceipt {
  status: number;
  SOPInstanceUID: string;
}

const DEFAULT_TIMEOUT_MS = 120_000;
/** The reachability probe must answer quickly or count as unreachable. */
const PROBE_TIMEOUT_MS = 10_000;

function createClient(target: DicomWebTarget): api.DICOMwebClient {
  return new api.DICOMwebClient({
    url: target.root.replace(/\/+$/, ''),
    headers: target.headers ?? {},
    verbose: false,
    singlepart: false,
  });
}

function newRequest(target: DicomWebTarget, timeoutMs: number): XMLHttpRequest {
  const request = target.createXMLHttpRequest?.() ?? new XMLHttpRequest();
  request.timeout = timeoutMs;
  return request;
}

function statusOf(error: unknown): number {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : NO_RESPONSE_STATUS;
}

/**
 * Whether the server answers at all: a one-study QIDO query. Tells a PACS that
 * is down from one whose answer to our upload was cut off.
 */
async function isReachable(target: DicomWebTarget): Promise<boolean> {
  try {
    // dicomweb-client 0.11 reads options.request here, though its .d.ts omits
    // it; a variable (not a literal) passes the narrower declared type.
    const options = {
      queryParams: { limit: 1 },
      request: { instance: newRequest(target, PROBE_TIMEOUT_MS) },
    };
    await createClient(target).searchForStudies(options);
    return true;
  } catch (error) {
    // Any HTTP status, even an error one, proves the server is there.
    return statusOf(error) !== NO_RESPONSE_STATUS;
  }
}

async function classifyFailure(error: unknown, target: DicomWebTarget): Promise<PacsStoreError> {
  const status = statusOf(error);
  if (status !== NO_RESPONSE_STATUS) {
    const code = classifyHttpStatus(status);
    return new PacsStoreError(code, `The PACS answered HTTP ${status}`, status, { cause: error });
  }
  const reachable = await isReachable(target);
  return reachable
    ? new PacsStoreError('network-interrupted', 'The upload was interrupted', undefined, {
        cause: error,
      })
    : new PacsStoreError('pacs-unreachable', `No answer from ${target.root}`, undefined, {
        cause: error,
      });
}

/**
 * Stores one Part 10 SEG.
 *
 * @throws PacsStoreError with code `pacs-unreachable`, `network-interrupted`,
 *   `pacs-too-large`, `pacs-server-error` or `pacs-refused`.
 */
export async function storeSeg(
  bytes: ArrayBuffer,
  ids: { StudyInstanceUID: string; SOPInstanceUID: string },
  target: DicomWebTarget,
): Promise<StoreReceipt> {
  const request = newRequest(target, target.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  let body: unknown;
  try {
    body = await createClient(target).storeInstances({
      datasets: [bytes],
      studyInstanceUID: ids.StudyInstanceUID,
      request: { instance: request },
    });
  } catch (error) {
    throw await classifyFailure(error, target);
  }
  const status = request.status;
  const outcome = readStowResponse(body, ids.SOPInstanceUID);
  if (outcome.failed) {
    const reason =
      outcome.failureReason === undefined ? '' : ` (FailureReason ${outcome.failureReason})`;
    throw new PacsStoreError(
      'pacs-refused',
      `The PACS listed the instance as failed${reason}`,
      status,
    );
  }
  // 202 means "some warnings or failures": accept it only if our instance is named.
  if (status !== 200 && !(status === 202 && outcome.referenced)) {
    throw new PacsStoreError(
      'pacs-refused',
      `The PACS answered HTTP ${status} without storing`,
      status,
    );
  }
  return { status, SOPInstanceUID: ids.SOPInstanceUID };
}
