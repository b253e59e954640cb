/**
 * Headers sent on every response, whatever produced it (file, proxy, error):
 * COOP and COEP make the page cross-origin isolated, which multithreaded WASM
 * (SharedArrayBuffer) needs; CORP same-origin keeps our files off other sites.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
};

/** Response headers of the PACS that must not reach the browser. */
export const PACS_HEADERS_DROPPED: readonly string[] = [
  // The proxy authenticates; a browser prompt or a PACS session is never wanted.
  'www-authenticate',
  'proxy-authenticate',
  'set-cookie',
  // Hop-by-hop (RFC 9110 7.6.1): they describe the proxy's own connection to the
  // PACS. Orthanc's `Keep-Alive: timeout=1`, passed on, made Node and undici
  // clients open a new connection for every request.
  'connection',
  'keep-alive',
];
