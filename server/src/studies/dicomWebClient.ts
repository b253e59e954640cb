/**
 * The two DICOMweb calls the study loader makes: QIDO-RS to list the instances
 * a series already has, and STOW-RS to store files.
 *
 * Why fetch and not dicomweb-client: dicomweb-client 0.11 sends every request
 * through XMLHttpRequest, which Node 20 lacks, and no polyfill is installed.
 * A STOW-RS body is simple (PS3.18 10.5): multipart/related parts of type
 * application/dicom, one Part 10 file each.
 */
import { randomBytes } from 'node:crypto';

import { maskCredentialsInText } from '../net/maskUrlCredentials';
import { ServerError } from '../serverError';
import { firstString, valuesOf } from './dicomJsonTags';

export interface DicomWebTarget {
  /** DICOMweb root, e.g. http://127.0.0.1:8042/dicom-web (no trailing slash). */
  url: string;
  /** Authorization header value, if the PACS needs one. */
  authorization?: string | null;
  /** Per-request limit in milliseconds; default 10 minutes (large STOW bodies). */
  timeoutMs?: number;
}

/** What the PACS said about each instance of one STOW-RS request. */
export interface StowAnswer {
  status: number;
  /** SOPInstanceUIDs listed as stored (ReferencedSOPSequence). */
  stored: Set<string>;
  /** SOPInstanceUID -> failure description (FailedSOPSequence). */
  failed: Map<string, string>;
  /** The PACS's own error text, when it gave one. */
  message: string | null;
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000;
/** QIDO page size; we page with offset until a page comes back short. */
const QIDO_PAGE_SIZE = 1000;
/** Statuses that concern the request itself, never one file: stop the load. */
const SETUP_FAILURES = new Set([401, 403, 404, 405, 406, 415]);
/** Longest PACS message quoted in a report. */
const MESSAGE_CHARS = 300;

/** Names of the STOW-RS failure reasons (PS3.18 table I.2-1; DIMSE status codes). */
const FAILURE_REASONS: Record<number, string> = {
  0x0110: 'processing failure',
  0x0111: 'duplicate SOP instance',
  0x0122: 'SOP class not supported',
  0x0124: 'not authorized',
  0xa700: 'out of resources',
  0xa900: 'data set does not match SOP class',
  0xc000: 'cannot understand',
  0xc122: 'transfer syntax not supported',
};

function describeFailureReason(value: unknown): string {
  if (typeof value !== 'number') return `FailureReason ${JSON.stringify(value ?? null)}`;
  const hex = `0x${value.toString(16).toUpperCase().padStart(4, '0')}`;
  const name = FAILURE_REASONS[value];
  return name ? `FailureReason ${hex} (${name})` : `FailureReason ${hex}`;
}

function headersFor(target: DicomWebTarget, extra: Record<string, string>): Headers {
  const headers = new Headers(extra);
  if (target.authorization) headers.set('Authorization', target.authorization);
  return headers;
}

async function request(target: DicomWebTarget, url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, {
      ...init,
      signal: AbortSignal.timeout(target.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    const what = `${init.method ?? 'GET'} ${url} failed: ${why}`;
    throw new ServerError('pacs-unreachable', maskCredentialsInText(what), { cause: error });
  }
}

/** The PACS's message from an error body: Orthanc's {Message, Details}, or plain text. */
function messageOf(text: string): string | null {
  try {
    const json: unknown = JSON.parse(text);
    if (typeof json === 'object' && json !== null && 'Message' in json) {
      const { Message, Details } = json as { Message: unknown; Details?: unknown };
      return [Message, Details].filter((part) => typeof part === 'string').join(': ');
    }
    return null; // a DICOM JSON answer carries its reasons in its sequences
  } catch {
    const trimmed = text.trim();
    return trimmed ? trimmed.slice(0, MESSAGE_CHARS) : null;
  }
}

function throwOnSetupFailure(response: Response, what: string, text: string): void {
  if (!SETUP_FAILURES.has(response.status)) return;
  const message = messageOf(text);
  const said = message ? ` (${message})` : '';
  const refusal = `${what}: the PACS answered HTTP ${response.status}${said}`;
  throw new ServerError('pacs-refused', maskCredentialsInText(refusal));
}

function concatenate(chunks: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const total = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** Builds a multipart/related body of application/dicom parts. */
export function createMultipartRelated(parts: readonly Uint8Array[]): {
  body: Uint8Array<ArrayBuffer>;
  contentType: string;
} {
  for (;;) {
    const boundary = `medsam-${randomBytes(16).toString('hex')}`;
    // A boundary must not occur inside a part; with 128 random bits it never
    // does in practice, but checking costs one scan.
    const clash = parts.some((part) =>
      Buffer.from(part.buffer, part.byteOffset, part.byteLength).includes(boundary),
    );
    if (clash) continue;
    const chunks: Uint8Array[] = [];
    for (const part of parts) {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`));
      chunks.push(part);
      chunks.push(Buffer.from('\r\n'));
    }
    chunks.push(Buffer.from(`--${boundary}--\r\n`));
    const contentType = `multipart/related; type="application/dicom"; boundary=${boundary}`;
    return { body: concatenate(chunks), contentType };
  }
}

/**
 * Stores Part 10 files with one STOW-RS request and reads the per-instance answer.
 * @throws {ServerError} `pacs-unreachable` (no answer), `pacs-refused` (401, 403,
 *   404, 405, 406, 415: a problem with the request, not with a file)
 */
export async function storeInstances(
  target: DicomWebTarget,
  files: readonly Uint8Array[],
): Promise<StowAnswer> {
  const { body, contentType } = createMultipartRelated(files);
  const url = `${target.url}/studies`;
  const response = await request(target, url, {
    method: 'POST',
    body,
    headers: headersFor(target, { 'Content-Type': contentType, Accept: 'application/dicom+json' }),
  });
  const text = await response.text();
  throwOnSetupFailure(response, `STOW-RS to ${url}`, text);
  const answer: StowAnswer = {
    status: response.status,
    stored: new Set(),
    failed: new Map(),
    message: messageOf(text),
  };
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    return answer; // no per-instance answer; the caller retries file by file
  }
  for (const item of valuesOf(json, 'ReferencedSOPSequence')) {
    const uid = firstString(item, 'ReferencedSOPInstanceUID');
    if (uid) answer.stored.add(uid);
  }
  for (const item of valuesOf(json, 'FailedSOPSequence')) {
    const uid = firstString(item, 'ReferencedSOPInstanceUID');
    if (uid) answer.failed.set(uid, describeFailureReason(valuesOf(item, 'FailureReason')[0]));
  }
  return answer;
}

/**
 * The SOPInstanceUIDs the PACS already holds in one series (QIDO-RS, paged).
 * @throws {ServerError} `pacs-unreachable`, `pacs-refused`
 */
export async function searchSeriesInstanceUIDs(
  target: DicomWebTarget,
  StudyInstanceUID: string,
  SeriesInstanceUID: string,
): Promise<Set<string>> {
  const found = new Set<string>();
  const base =
    `${target.url}/studies/${encodeURIComponent(StudyInstanceUID)}` +
    `/series/${encodeURIComponent(SeriesInstanceUID)}/instances`;
  for (let offset = 0; ; offset += QIDO_PAGE_SIZE) {
    const url = `${base}?includefield=00080018&limit=${QIDO_PAGE_SIZE}&offset=${offset}`;
    const response = await request(target, url, {
      headers: headersFor(target, { Accept: 'application/dicom+json' }),
    });
    const text = await response.text();
    // Unknown study or series: DICOMweb servers answer 204, 200 [] or 404.
    if (response.status === 204 || (response.status === 404 && offset === 0)) return found;
    throwOnSetupFailure(response, `QIDO-RS ${url}`, text);
    if (!response.ok) {
      const refusal = `QIDO-RS ${url}: HTTP ${response.status}`;
      throw new ServerError('pacs-refused', maskCredentialsInText(refusal));
    }
    const page: unknown = text.trim() ? JSON.parse(text) : [];
    const items = Array.isArray(page) ? page : [];
    for (const item of items) {
      const uid = firstString(item, 'SOPInstanceUID');
      if (uid) found.add(uid);
    }
    if (items.length < QIDO_PAGE_SIZE) return found;
  }
}
