/**
 * Reverse proxy of the DICOMweb paths, and only those, to the PACS.
 *
 * - Scope: `/dicom-web/{studies,series,instances}[/...]` (QIDO-RS, WADO-RS,
 *   STOW-RS) and, if configured, `/wado` (WADO-URI). Everything else of the PACS
 *   (Orthanc's REST API, its `/dicom-web/servers` forwarding API) stays unreachable.
 * - Host: by default the browser's Host header goes through, so the PACS writes
 *   bulk-data URLs on our origin (Orthanc's plugin builds them from Host when its
 *   `DicomWeb.Host` is unset). With preserveHost off, the PACS gets its own host
 *   name, and ours in Forwarded and X-Forwarded-Host/X-Forwarded-Proto.
 * - Credentials: added here, server-side; any the browser sent are replaced, and
 *   authentication challenges and cookies of the PACS are dropped.
 * - Bodies stream through unparsed, so a large STOW-RS body meets no size limit.
 */
import httpProxy, { type FastifyHttpProxyOptions } from '@fastify/http-proxy';
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  RawServerBase,
  RouteGenericInterface,
} from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import type { IncomingHttpHeaders as Http2IncomingHttpHeaders } from 'node:http2';

import type { PacsTarget } from '../config';
import { maskCredentialsInText } from '../net/maskUrlCredentials';
import type { LogLine } from '../serverError';
import { PACS_HEADERS_DROPPED } from './securityHeaders';

/** Our URL prefix of the DICOMweb root. */
export const DICOMWEB_PREFIX = '/dicom-web';
/** Our URL of the WADO-URI endpoint. */
export const WADO_URI_PATH = '/wado';
/** The DICOMweb resources the viewer uses (PS3.18 10.4, 10.5, 10.6). */
const DICOMWEB_RESOURCES = ['studies', 'series', 'instances'] as const;
/** Upstream connections kept per PACS origin. */
const PACS_CONNECTIONS = 32;

type AnyHeaders = IncomingHttpHeaders | Http2IncomingHttpHeaders;
type ProxiedRequest = FastifyRequest<RouteGenericInterface, RawServerBase>;
type ProxiedReply = FastifyReply<RouteGenericInterface, RawServerBase>;

function forwardedRequestHeaders(pacs: PacsTarget) {
  return (request: ProxiedRequest, headers: AnyHeaders): AnyHeaders => {
    const out: AnyHeaders = { ...headers };
    const browserHost = request.headers.host;
    if (pacs.preserveHost) {
      if (browserHost !== undefined) out.host = browserHost;
    } else if (browserHost !== undefined && out.forwarded === undefined) {
      // Orthanc's plugin 1.7 reads `Forwarded` (and the Host header), newer ones
      // and most servers read X-Forwarded-*: send both. Orthanc takes the values
      // verbatim, so they are not quoted.
      out.forwarded = `host=${browserHost};proto=${request.protocol}`;
      out['x-forwarded-host'] ??= browserHost;
      out['x-forwarded-proto'] ??= request.protocol;
    }
    if (pacs.authorization !== null) out.authorization = pacs.authorization;
    delete out.cookie; // our origin's cookies are none of the PACS's business
    return out;
  };
}

function withoutPacsOnlyHeaders(headers: AnyHeaders): AnyHeaders {
  const out: AnyHeaders = { ...headers };
  for (const name of PACS_HEADERS_DROPPED) delete out[name];
  return out;
}

interface ReplyError {
  statusCode?: number;
  code?: string;
  message?: string;
}

/** A PACS that does not answer gives a short JSON error, without upstream details. */
function answerPacsFailure(log: LogLine) {
  return (reply: ProxiedReply, { error }: { error: Error & ReplyError }): void => {
    const timedOut = error.statusCode === 504;
    // An upstream error may quote the URL it tried; its userinfo never reaches the log.
    const why = maskCredentialsInText(`${error.code ?? ''} ${error.message ?? ''}`.trim());
    log(`PACS request failed: ${why}`.trim());
    // An upload that was streaming to the PACS stopped where it failed, its
    // request stream torn down with the rest of its body unread on the socket:
    // a browser retry on that kept-alive connection would wait for the timeout.
    // Closing the connection after this answer sends the retry on a fresh one.
    reply.header('connection', 'close');
    reply
      .code(timedOut ? 504 : 502)
      .send({ error: timedOut ? 'The PACS did not answer in time' : 'The PACS is unreachable' });
  };
}

async function registerOne(
  app: FastifyInstance,
  options: { prefix: string; upstream: string; routes: string[]; methods: string[] },
  pacs: PacsTarget,
  log: LogLine,
): Promise<void> {
  const timeoutMs = pacs.timeoutSeconds * 1000;
  const proxyOptions: FastifyHttpProxyOptions = {
    upstream: options.upstream,
    prefix: options.prefix,
    rewritePrefix: new URL(options.upstream).pathname.replace(/\/+$/, ''),
    routes: options.routes,
    httpMethods: options.methods,
    undici: {
      connections: PACS_CONNECTIONS,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      // @fastify/reply-from turns TLS verification off unless told otherwise
      // (its getUndiciOptions); credentials must only ever go to the genuine PACS.
      connect: { rejectUnauthorized: true },
    },
    replyOptions: {
      rewriteRequestHeaders: forwardedRequestHeaders(pacs),
      rewriteHeaders: withoutPacsOnlyHeaders,
      onError: answerPacsFailure(log),
    },
  };
  await app.register(httpProxy, proxyOptions);
}

/**
 * Registers the DICOMweb proxy (and the WADO-URI one when configured).
 * @throws {TypeError} when the PACS URL is not set.
 */
export async function registerDicomWebProxy(
  app: FastifyInstance,
  pacs: PacsTarget,
  log: LogLine,
): Promise<void> {
  if (pacs.url === null) {
    throw new TypeError('createServer needs config.pacs.url: start Orthanc first (withPacs)');
  }
  const routes = DICOMWEB_RESOURCES.flatMap((resource) => [`/${resource}`, `/${resource}/*`]);
  await registerOne(
    app,
    { prefix: DICOMWEB_PREFIX, upstream: pacs.url, routes, methods: ['GET', 'HEAD', 'POST'] },
    pacs,
    log,
  );
  if (pacs.wadoUriUrl !== null) {
    await registerOne(
      app,
      { prefix: WADO_URI_PATH, upstream: pacs.wadoUriUrl, routes: ['/'], methods: ['GET', 'HEAD'] },
      pacs,
      log,
    );
  }
}
