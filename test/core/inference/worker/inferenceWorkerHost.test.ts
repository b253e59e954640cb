/**
 * The worker API end to end, as the viewer uses it: the main-thread client and the
 * worker host talk through comlink over a real MessageChannel, the host runs the
 * committed test model in onnxruntime-node. Proves that errors keep their codes
 * across the boundary, that a newer request makes an older one stale, that model
 * files are verified and a second load uses no network, and that propagation
 * reports each slice.
 *
 * @jest-environment ./test/support/onnxNodeEnvironment.cjs
 */
import * as Comlink from 'comlink';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import {
  InferenceError,
  isCancelled,
} from '../../../../extension/src/core/inference/inferenceError';
import type {
  FetchLike,
  ModelFileProgress,
} from '../../../../extension/src/core/inference/loadModelFile';
import type { ModelManifest } from '../../../../extension/src/core/inference/modelManifest';
import {
  MemoryModelStore,
  type ModelStore,
} from '../../../../extension/src/core/inference/modelStore';
import {
  createArrayVolume,
  type SliceImage,
} from '../../../../extension/src/core/inference/volumeAccessor';
import { InferenceClient } from '../../../../extension/src/core/inference/worker/inferenceClient';
import {
  InferenceWorkerHost,
} from '../../../../extension/src/core/inference/worker/inferenceWorkerHost';
import type {
  PropagationProgress,
} from '../../../../extension/src/core/inference/worker/workerProtocol';

const MODEL_DIR = path.resolve(__dirname, '../../../../models/test-model');
const MANIFEST_URL = 'https://viewer.example/models/test-model/manifest.json';
const manifest = JSON.parse(
  readFileSync(path.join(MODEL_DIR, 'manifest.json'), 'utf8'),
) as ModelManifest;
const MAPPING = { low: 0, high: 1000, zeroStaysZero: false };
const OBJECT = [20, 10, 35, 29] as const;

/** Serves the model folder by URL, counting requests; `tamper` flips a byte of a file. */
function serveModel(tamper?: string): FetchLike & { calls: string[] } {
  const calls: string[] = [];
  const fetchFn = async (url: string): Promise<Response> => {
    calls.push(url);
    const name = url.slice(url.lastIndexOf('/') + 1);
    const bytes = new Uint8Array(readFileSync(path.join(MODEL_DIR, name)));
    if (name === tamper) bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 1;
    return new Response(bytes, { status: 200 });
  };
  return Object.assign(fetchFn, { calls });
}

/**
 * Slice `index`: the object, one row shorter per slice away from slice 2, so that
 * each slice's object lies inside the previous mask's box.
 */
function slice(index: number): SliceImage {
  const pixels = new Float32Array(64 * 48);
  for (let y = OBJECT[1]; y <= OBJECT[3] - Math.abs(index - 2); y++)
    pixels.fill(1000, y * 64 + OBJECT[0], y * 64 + OBJECT[2] + 1);
  return { key: `slice-${index}`, width: 64, height: 48, pixels };
}
const volume = createArrayVolume(
  'series-1',
  'MR',
  Array.from({ length: 6 }, (_, i) => slice(i)),
  MAPPING,
);

interface Connection {
  client: InferenceClient;
  host: InferenceWorkerHost;
  ports: MessagePort[];
}

function connect(store: ModelStore, fetchFn: FetchLike): Connection {
  const host = new InferenceWorkerHost({
    ort,
    chooseBackend: async () => ({
      backend: 'cpu',
      executionProviders: ['cpu'],
      threads: 0,
      reason: 'onnxruntime-node',
    }),
    store,
    fetch: fetchFn,
    transfer: Comlink.transfer,
    releaseRemote: (callback) => (callback as Comlink.Remote<() => void>)[Comlink.releaseProxy](),
  });
  const { port1, port2 } = new MessageChannel();
  Comlink.expose(host, port1 as unknown as Comlink.Endpoint);
  const client = InferenceClient.connect(port2 as unknown as Comlink.Endpoint);
  return { client, host, ports: [port1, port2] };
}

async function close(connection: Connection): Promise<void> {
  await connection.client.dispose();
  for (const port of connection.ports) port.close();
}

describe('loading a model through the worker', () => {
  it('verifies, reports progress, and loads from the store the second time', async () => {
    const store = new MemoryModelStore();
    const network = serveModel();
    const first = connect(store, network);
    const progress: ModelFileProgress[] = [];
    const loaded = await first.client.loadModel({ manifest, manifestUrl: MANIFEST_URL }, (p) =>
      progress.push(p),
    );
    expect(loaded).toMatchObject({
      modelId: 'test-model',
      fromCache: false,
      backend: { backend: 'cpu' },
    });
    expect(network.calls).toEqual([
      'https://viewer.example/models/test-model/encoder.onnx',
      'https://viewer.example/models/test-model/decoder.onnx',
    ]);
    expect(progress.at(-1)).toEqual({
      file: 'decoder.onnx',
      loadedBytes: manifest.files.decoder.size,
      totalBytes: manifest.files.decoder.size,
      fromCache: false,
    });
    await close(first);

    // a new page: a new worker, the same browser store
    const second = connect(store, network);
    const again = await second.client.loadModel({ manifest, manifestUrl: MANIFEST_URL });
    expect(again.fromCache).toBe(true);
    expect(network.calls).toHaveLength(2); // no network
    await close(second);
  });

  it('refuses a tampered file with its code intact across the worker boundary', async () => {
    const connection = connect(new MemoryModelStore(), serveModel('decoder.onnx'));
    const error = await connection.client
      .loadModel({ manifest, manifestUrl: MANIFEST_URL })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InferenceError);
    expect((error as InferenceError).code).toBe('checksum-mismatch');
    expect((error as InferenceError).message).toContain('decoder.onnx');
    expect((error as InferenceError).message).toContain(manifest.files.decoder.sha256);
    await close(connection);
  });
});

describe('segmenting through the worker', () => {
  let connection: Connection;
  beforeEach(async () => {
    connection = connect(new MemoryModelStore(), serveModel());
    await connection.client.loadModel({ manifest, manifestUrl: MANIFEST_URL });
    await connection.client.openVolume(volume);
  });
  afterEach(() => close(connection));

  it("answers a box with the object's mask", async () => {
    const result = await connection.client.segment({
      volumeKey: 'series-1',
      sliceIndex: 2,
      box: [14, 4, 43, 35],
    });
    const expected = [...(slice(2).pixels as Float32Array)].map((v) => (v > 0 ? 1 : 0));
    expect([...result.mask]).toEqual(expected);
  });

  it('makes an older request on the same channel stale', async () => {
    const older = connection.client.segment({
      volumeKey: 'series-1',
      sliceIndex: 1,
      box: [14, 4, 43, 35],
    });
    const newer = connection.client.segment({
      volumeKey: 'series-1',
      sliceIndex: 3,
      box: [14, 4, 43, 35],
    });
    const [a, b] = await Promise.allSettled([older, newer]);
    expect(a.status === 'rejected' && isCancelled(a.reason)).toBe(true);
    expect(b.status).toBe('fulfilled');
  });

  it('keeps requests on different channels apart, and honours an AbortSignal', async () => {
    const controller = new AbortController();
    const aborted = connection.client.segment(
      { volumeKey: 'series-1', sliceIndex: 1, box: [14, 4, 43, 35], channel: 'a' },
      controller.signal,
    );
    const other = connection.client.segment({
      volumeKey: 'series-1',
      sliceIndex: 4,
      box: [14, 4, 43, 35],
      channel: 'b',
    });
    controller.abort();
    const [a, b] = await Promise.allSettled([aborted, other]);
    expect(a.status === 'rejected' && isCancelled(a.reason)).toBe(true);
    expect(b.status).toBe('fulfilled');
  });

  it('propagates with a progress report per slice', async () => {
    const progress: PropagationProgress[] = [];
    const result = await connection.client.propagate(
      { volumeKey: 'series-1', startIndex: 2, box: [14, 4, 43, 35] },
      { onProgress: (p) => progress.push(p) },
    );
    expect(result.masks.map(([k]) => k)).toEqual([0, 1, 2, 3, 4, 5]);
    for (const [k, mask] of result.masks) {
      expect([...mask]).toEqual([...(slice(k).pixels as Float32Array)].map((v) => (v > 0 ? 1 : 0)));
    }
    expect(progress.map((p) => `${p.direction} ${p.sliceIndex}`)).toEqual([
      'start 2',
      'up 3',
      'up 4',
      'up 5',
      'down 1',
      'down 0',
    ]);
    expect(result.stopped).toEqual({ up: 'range', down: 'range' });
  });

  it("reads a volume through the reader's chosen window, not only the manifest's", async () => {
    const slices = Array.from({ length: 6 }, (_, i) => slice(i));
    const box: [number, number, number, number] = [14, 4, 43, 35];
    // the manifest's CT window (L40/W400) keeps the 1000 HU object bright; a window
    // above it (1400 to 1600 HU) turns the whole image black, so nothing is found
    await connection.client.openVolume(createArrayVolume('ct-own', 'CT', slices));
    await connection.client.openVolume({
      ...createArrayVolume('ct-high', 'CT', slices),
      intensityPreset: { kind: 'window', level: 1500, width: 200 },
    });
    const own = await connection.client.segment({ volumeKey: 'ct-own', sliceIndex: 2, box });
    const high = await connection.client.segment({ volumeKey: 'ct-high', sliceIndex: 2, box });
    expect(own.mask.reduce((n, v) => n + v, 0)).toBeGreaterThan(0);
    expect(high.mask.reduce((n, v) => n + v, 0)).toBe(0);
  });

  it('reports status and says when a volume is unknown', async () => {
    await connection.client.segment({ volumeKey: 'series-1', sliceIndex: 0, box: [14, 4, 43, 35] });
    const status = await connection.client.status();
    expect(status).toMatchObject({ modelId: 'test-model', openVolumes: ['series-1'] });
    expect(status.embeddingCacheBytes).toBe(256 * 64 * 64 * 4);
    const error = await connection.client
      .segment({ volumeKey: 'nope', sliceIndex: 0, box: [0, 0, 1, 1] })
      .catch((e: unknown) => e);
    expect((error as InferenceError).code).toBe('bad-config');
  });
});

it('says that no model is loaded', async () => {
  const connection = connect(new MemoryModelStore(), serveModel());
  await connection.client.openVolume(volume);
  const error = await connection.client
    .segment({ volumeKey: 'series-1', sliceIndex: 0, box: [0, 0, 1, 1] })
    .catch((e: unknown) => e);
  expect((error as InferenceError).code).toBe('not-loaded');
  await close(connection);
});
