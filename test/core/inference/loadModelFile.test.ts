import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { IdbModelStore } from '../../../extension/src/core/inference/idbModelStore';
import { InferenceError } from '../../../extension/src/core/inference/inferenceError';
import {
  loadModelFile,
  type FetchLike,
  type ModelFileProgress,
} from '../../../extension/src/core/inference/loadModelFile';
import type { ModelFile } from '../../../extension/src/core/inference/modelManifest';
import {
  MemoryModelStore,
  type ModelStore,
} from '../../../extension/src/core/inference/modelStore';

const MANIFEST_URL = 'https://models.example/test-model/manifest.json';
const CHUNK = 1000; // bytes per network chunk

const bytes = Uint8Array.from({ length: 4500 }, (_, i) => (i * 31) % 256);
const file: ModelFile = {
  path: 'encoder.onnx',
  size: bytes.length,
  sha256: createHash('sha256').update(bytes).digest('hex'),
};

/** A fetch that serves `served` in chunks and counts its calls. */
function countingFetch(served: Uint8Array): FetchLike & { calls: string[] } {
  const calls: string[] = [];
  const fetchFn = async (url: string): Promise<Response> => {
    calls.push(url);
    let offset = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (offset >= served.length) return controller.close();
        controller.enqueue(served.slice(offset, offset + CHUNK));
        offset += CHUNK;
      },
    });
    return new Response(body, { status: 200 });
  };
  return Object.assign(fetchFn, { calls });
}

describe.each<[string, () => ModelStore]>([
  ['memory store', () => new MemoryModelStore()],
  ['IndexedDB store', () => new IdbModelStore(`models-${Math.random()}`)],
])('loadModelFile with a %s', (_name, makeStore) => {
  it('downloads with progress, verifies, and serves the second load from the store', async () => {
    const store = makeStore();
    const fetchFn = countingFetch(bytes);
    const progress: ModelFileProgress[] = [];
    const options = {
      manifestUrl: MANIFEST_URL,
      store,
      fetch: fetchFn,
      onProgress: (p: ModelFileProgress) => progress.push(p),
    };

    const first = await loadModelFile(file, options);
    expect([...first]).toEqual([...bytes]);
    expect(fetchFn.calls).toEqual(['https://models.example/test-model/encoder.onnx']);
    expect(progress.map((p) => p.loadedBytes)).toEqual([1000, 2000, 3000, 4000, 4500]);
    expect(progress.every((p) => p.totalBytes === 4500 && !p.fromCache)).toBe(true);

    progress.length = 0;
    const second = await loadModelFile(file, options);
    expect([...second]).toEqual([...bytes]);
    expect(fetchFn.calls).toHaveLength(1); // no network the second time
    expect(progress).toEqual([
      { file: 'encoder.onnx', loadedBytes: 4500, totalBytes: 4500, fromCache: true },
    ]);
  });

  it('refuses a tampered file, naming the file and both hashes, and caches nothing', async () => {
    const store = makeStore();
    const tampered = bytes.slice();
    tampered[100] = (tampered[100] as number) ^ 0xff;
    const actual = createHash('sha256').update(tampered).digest('hex');
    const error = await loadModelFile(file, {
      manifestUrl: MANIFEST_URL,
      store,
      fetch: countingFetch(tampered),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InferenceError);
    expect((error as InferenceError).code).toBe('checksum-mismatch');
    const message = (error as InferenceError).message;
    expect(message).toContain('encoder.onnx');
    expect(message).toContain(file.sha256);
    expect(message).toContain(actual);
    expect(await store.keys()).toEqual([]);
  });
});

it('reports an HTTP failure as fetch-failed', async () => {
  const notFound: FetchLike = async () => new Response('missing', { status: 404 });
  const error = await loadModelFile(file, {
    manifestUrl: MANIFEST_URL,
    store: new MemoryModelStore(),
    fetch: notFound,
  }).catch((e: unknown) => e);
  expect((error as InferenceError).code).toBe('fetch-failed');
  expect((error as InferenceError).message).toContain('HTTP 404');
});

it('keeps the model usable when the store refuses it, and says so', async () => {
  const full: ModelStore = Object.assign(new MemoryModelStore(), {
    put: async () => Promise.reject(new Error('QuotaExceededError')),
  });
  const warnings: string[] = [];
  const loaded = await loadModelFile(file, {
    manifestUrl: MANIFEST_URL,
    store: full,
    fetch: countingFetch(bytes),
    onStoreError: (message) => warnings.push(message),
  });
  expect(loaded.length).toBe(4500);
  expect(warnings).toHaveLength(1);
});
