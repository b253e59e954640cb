/**
 * The first gate of every request: refuses paths that try to leave a served
 * folder or to reach the PACS outside its DICOMweb paths, before any route runs.
 * Fastify's router matches the raw path and does not resolve dot segments, so
 * `/dicom-web/../system` would otherwise reach the proxy route.
 */

/** Decoding rounds checked: catches double and triple percent-encoding. */
const DECODE_ROUNDS = 3;
const ENCODED_SEPARATOR = /%(2f|5c|00)/i;
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f\\]/;

export type PathVerdict = { ok: true } | { ok: false; status: 400 | 403; reason: string };

function hasDotSegment(pathname: string): boolean {
  return pathname.split('/').some((segment) => segment === '.' || segment === '..');
}

/**
 * Checks the path part of a raw request target (`request.raw.url`). Refused:
 * anything not in origin form, backslashes and control characters, dot
 * segments, and encoded slashes, backslashes or NULs, at any decoding depth.
 */
export function checkRequestPath(rawUrl: string): PathVerdict {
  const end = rawUrl.search(/[?#]/);
  let pathname = end < 0 ? rawUrl : rawUrl.slice(0, end);
  if (!pathname.startsWith('/') || pathname.startsWith('//')) {
    return { ok: false, status: 400, reason: 'request target must be a path' };
  }
  for (let round = 0; round <= DECODE_ROUNDS; round++) {
    if (CONTROL_CHARACTER.test(pathname)) {
      return { ok: false, status: 403, reason: 'backslash or control character in path' };
    }
    if (hasDotSegment(pathname)) return { ok: false, status: 403, reason: 'dot segment in path' };
    if (ENCODED_SEPARATOR.test(pathname)) {
      return { ok: false, status: 403, reason: 'encoded separator in path' };
    }
    if (!pathname.includes('%')) return { ok: true };
    try {
      pathname = decodeURIComponent(pathname);
    } catch {
      return { ok: false, status: 400, reason: 'malformed percent-encoding in path' };
    }
  }
  return { ok: false, status: 400, reason: 'path encoded too many times' };
}
