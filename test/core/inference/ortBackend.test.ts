import { InferenceError } from '../../../extension/src/core/inference/inferenceError';
import type { ModelManifest } from '../../../extension/src/core/inference/modelManifest';
import {
  chooseBrowserBackend,
  createSessionsWithFallback,
  readBrowserCapabilities,
  type BrowserCapabilities,
} from '../../../extension/src/core/inference/ortBackend';
import type {
  OrtSession,
  OrtSessionOptions,
  OrtWebModule,
} from '../../../extension/src/core/inference/ortTypes';

const WASM_BASE = 'https://viewer.example/medsam/ort';

/** An onnxruntime-web stand-in: records env writes and fails sessions per provider. */
function fakeOrt(failing: string[] = []): OrtWebModule & { created: string[][] } {
  const created: string[][] = [];
  const session: OrtSession = {
    inputNames: ['image', 'image_embeddings', 'boxes'],
    outputNames: ['image_embeddings', 'low_res_logits', 'iou_predictions'],
    run: async () => ({}),
    release: async () => undefined,
  };
  return {
    created,
    env: { wasm: {} },
    Tensor: class {
      constructor(
        readonly type: string,
        readonly data: unknown,
        readonly dims: readonly number[],
      ) {}
    },
    InferenceSession: {
      create: async (_model: Uint8Array, options?: OrtSessionOptions) => {
        const providers = options?.executionProviders ?? [];
        if (providers.some((p) => failing.includes(p)))
          throw new Error(`${providers[0]} cannot start`);
        created.push(providers);
        return session;
      },
    },
  };
}

function caps(adapter: unknown, isolated: boolean, cores = 8): BrowserCapabilities {
  return {
    gpu: { requestAdapter: async () => adapter },
    crossOriginIsolated: isolated,
    hardwareConcurrency: cores,
  };
}

describe('chooseBrowserBackend', () => {
  it('takes WebGPU when an adapter is given, and sets an absolute WASM folder', async () => {
    const ort = fakeOrt();
    const choice = await chooseBrowserBackend(ort, caps({}, true), { wasmBaseUrl: WASM_BASE });
    expect(choice.backend).toBe('webgpu');
    expect(choice.executionProviders).toEqual(['webgpu']);
    expect(ort.env.wasm.wasmPaths).toBe(`${WASM_BASE}/`);
    expect(ort.env.wasm.numThreads).toBe(4); // half of 8 cores
  });

  it('falls back to one-thread WASM without adapter or isolation, saying why', async () => {
    const ort = fakeOrt();
    const choice = await chooseBrowserBackend(ort, caps(null, false), { wasmBaseUrl: WASM_BASE });
    expect(choice).toMatchObject({ backend: 'wasm', executionProviders: ['wasm'], threads: 1 });
    expect(choice.reason).toContain('gave no adapter');
    expect(choice.reason).toContain('not cross-origin isolated');
    expect(ort.env.wasm.numThreads).toBe(1);
  });

  it('says so when the browser has no WebGPU at all', async () => {
    const none = readBrowserCapabilities({
      navigator: { hardwareConcurrency: 2 },
      crossOriginIsolated: true,
    });
    const choice = await chooseBrowserBackend(fakeOrt(), none, { wasmBaseUrl: WASM_BASE });
    expect(choice.backend).toBe('wasm');
    expect(choice.threads).toBe(1); // ceil(2 / 2)
    expect(choice.reason).toContain('navigator.gpu is absent');
  });

  it('decides once per module', async () => {
    const ort = fakeOrt();
    const first = await chooseBrowserBackend(ort, caps({}, true), { wasmBaseUrl: WASM_BASE });
    const second = await chooseBrowserBackend(ort, caps(null, false), {
      wasmBaseUrl: WASM_BASE,
      preferWebGpu: false,
    });
    expect(second).toBe(first);
  });

  it('refuses a relative WASM URL with a bad-config error', async () => {
    const error = await chooseBrowserBackend(fakeOrt(), caps({}, true), {
      wasmBaseUrl: 'ort/',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InferenceError);
    expect((error as InferenceError).code).toBe('bad-config');
  });
});

describe('createSessionsWithFallback', () => {
  const manifest = {
    id: 'm',
    encoder: { inputName: 'image', outputNames: ['image_embeddings'], inputSize: 256 },
    decoder: {
      kind: 'box-only',
      inputNames: { imageEmbeddings: 'image_embeddings', boxes: 'boxes' },
      outputNames: { lowResLogits: 'low_res_logits', iou: 'iou_predictions' },
    },
  } as unknown as ModelManifest;
  const bytes = { encoder: new Uint8Array(1), decoder: new Uint8Array(1) };
  const webgpu = {
    backend: 'webgpu' as const,
    executionProviders: ['webgpu'],
    threads: 4,
    reason: 'WebGPU adapter found',
  };

  it('falls back to WASM when WebGPU cannot create the session, and reports it', async () => {
    const ort = fakeOrt(['webgpu']);
    const { choice } = await createSessionsWithFallback(ort, manifest, bytes, webgpu);
    expect(choice.backend).toBe('wasm');
    expect(choice.reason).toMatch(/webgpu failed: webgpu cannot start; fell back to WASM/);
    expect(ort.created).toEqual([['wasm'], ['wasm']]);
  });

  it('throws one no-backend error when neither backend works', async () => {
    const error = await createSessionsWithFallback(
      fakeOrt(['webgpu', 'wasm']),
      manifest,
      bytes,
      webgpu,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InferenceError);
    expect((error as InferenceError).code).toBe('no-backend');
    expect((error as InferenceError).message).toMatch(/webgpu failed.*wasm failed/);
  });

  it('does not retry on another backend when the manifest does not fit the model', async () => {
    const wrong = {
      ...manifest,
      encoder: { ...manifest.encoder, inputName: 'pixel_values' },
    } as ModelManifest;
    const error = await createSessionsWithFallback(fakeOrt(), wrong, bytes, webgpu).catch(
      (e: unknown) => e,
    );
    expect((error as InferenceError).code).toBe('model-io');
    expect((error as InferenceError).message).toContain('pixel_values');
  });
});
