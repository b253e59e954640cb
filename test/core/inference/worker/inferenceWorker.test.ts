/**
 * The worker entry in a real browser: the esbuild bundle of inferenceWorker.ts runs
 * onnxruntime-web in headless Debian Chromium behind a server that makes the page
 * cross-origin isolated, as the project's server does. Proves the backend choice
 * (WASM without an adapter, WebGPU with SwiftShader's), the absolute WASM path, the
 * IndexedDB model store across a reload, and one clear error when no backend runs.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { launchChromium, type LaunchedBrowser } from '../../../support/launchChromium';

const ROOT = path.resolve(__dirname, '../../../..');
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.onnx': 'application/octet-stream',
};

interface Outcome {
  crossOriginIsolated?: boolean;
  backend?: { backend: string; reason: string; threads: number };
  fromCache?: boolean;
  maskBox?: number[];
  maskArea?: number;
  error?: string;
  code?: string;
}

let bundleDir: string;
let server: Server;
let origin: string;

/** Maps a URL path to a file: the bundles, onnxruntime-web's files, the test model. */
function resolveFile(urlPath: string): string | undefined {
  const name = path.basename(urlPath);
  if (urlPath === '/' || urlPath === '/index.html') return 'index.html';
  if (urlPath === '/page.js' || urlPath === '/worker.js') return path.join(bundleDir, name);
  if (urlPath.startsWith('/ort/'))
    return path.join(ROOT, 'node_modules/onnxruntime-web/dist', name);
  if (urlPath.startsWith('/models/test-model/')) return path.join(ROOT, 'models/test-model', name);
  return undefined;
}

beforeAll(async () => {
  bundleDir = mkdtempSync(path.join(tmpdir(), 'inference-browser-'));
  const common = { bundle: true, format: 'esm', platform: 'browser', logLevel: 'error' } as const;
  await build({
    ...common,
    entryPoints: [path.join(__dirname, '../support/browserPage.ts')],
    outfile: path.join(bundleDir, 'page.js'),
  });
  await build({
    ...common,
    entryPoints: [path.join(ROOT, 'extension/src/core/inference/worker/inferenceWorker.ts')],
    outfile: path.join(bundleDir, 'worker.js'),
  });
  server = createServer((request, response) => {
    const urlPath = new URL(request.url ?? '/', 'http://x').pathname;
    const file = resolveFile(urlPath);
    // what the project's server sends: the page must be cross-origin isolated
    response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    response.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    try {
      const body =
        file === 'index.html'
          ? '<script type="module" src="/page.js"></script>'
          : readFileSync(file ?? '');
      response.setHeader('Content-Type', CONTENT_TYPES[path.extname(file ?? '')] ?? 'text/plain');
      response.end(body);
    } catch {
      response.statusCode = 404;
      response.end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(bundleDir, { recursive: true, force: true });
});

async function openPage(browser: LaunchedBrowser, query: string): Promise<Outcome> {
  const page = await browser.context.newPage();
  await page.goto(`${origin}/index.html${query}`);
  await page.waitForFunction(() => window.inferenceOutcome !== undefined, undefined, {
    timeout: 90_000,
  });
  const outcome = (await page.evaluate(() => window.inferenceOutcome)) as Outcome;
  await page.close();
  return outcome;
}

describe('in Chromium without a WebGPU adapter', () => {
  let browser: LaunchedBrowser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser.close());

  it('runs on WASM, says why, and segments the square', async () => {
    const outcome = await openPage(browser, '');
    expect(outcome.error).toBeUndefined();
    expect(outcome.crossOriginIsolated).toBe(true);
    expect(outcome.backend?.backend).toBe('wasm');
    // headless Chromium's default flags: navigator.gpu without an adapter
    expect(outcome.backend?.reason).toMatch(/no adapter|navigator.gpu is absent/);
    expect(outcome.fromCache).toBe(false);
    expect(outcome).toMatchObject({ maskBox: [20, 10, 35, 29], maskArea: 16 * 20 });
  });

  it('loads the model from IndexedDB after a reload', async () => {
    const outcome = await openPage(browser, '');
    expect(outcome).toMatchObject({ fromCache: true, maskArea: 16 * 20 });
  });

  it('gives one no-backend error when the WASM files cannot be loaded', async () => {
    const outcome = await openPage(browser, '?wasm=/missing/');
    expect(outcome.code).toBe('no-backend');
    expect(outcome.error).toMatch(/No ONNX Runtime backend could run test-model/);
  });
});

describe("in Chromium with SwiftShader's WebGPU adapter", () => {
  let browser: LaunchedBrowser;
  beforeAll(async () => {
    browser = await launchChromium({ webgpu: true });
  });
  afterAll(() => browser.close());

  it('runs on WebGPU and segments the square', async () => {
    const outcome = await openPage(browser, '');
    expect(outcome.error).toBeUndefined();
    expect(outcome.backend?.backend).toBe('webgpu');
    expect(outcome).toMatchObject({ maskBox: [20, 10, 35, 29], maskArea: 16 * 20 });
  });
});
