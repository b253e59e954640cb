/**
 * Which ONNX Runtime backend runs the model in the browser, and sessions on it.
 *
 * WebGPU when the browser gives an adapter (tens of times faster for the ViT
 * encoder), WASM otherwise, with threads only where the page is cross-origin
 * isolated (threads need SharedArrayBuffer). onnxruntime-web's flags are global to
 * its module and must be set before its first session, and one failed WASM load
 * poisons it for the whole page (../shared/docs/ohif-host.md), so the choice is
 * made once per module and the WASM files are fetched from an absolute URL.
 */
import { InferenceError } from './inferenceError';
import type { ModelManifest } from './modelManifest';
import { ModelSessions } from './modelSessions';
import type { OrtModule, OrtWebModule } from './ortTypes';

export type BackendName = 'webgpu' | 'wasm' | 'cpu';

/** The backend in use and why, for the panel and the logs. */
export interface BackendChoice {
  backend: BackendName;
  executionProviders: string[];
  /** WASM threads (1 without cross-origin isolation; 0 where not applicable). */
  threads: number;
  reason: string;
}

/** What the browser offers; read by `readBrowserCapabilities`, injectable in tests. */
export interface BrowserCapabilities {
  gpu?: { requestAdapter(): Promise<unknown> };
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
}

export interface BrowserBackendConfig {
  /** Absolute URL of the folder serving onnxruntime-web's `ort-wasm-*.{mjs,wasm}`. */
  wasmBaseUrl: string;
  /** False forces WASM (for a user's setting or a test). Default true. */
  preferWebGpu?: boolean;
  /** Upper bound on WASM threads. */
  maxThreads?: number;
}

/** Threads left to the viewer: ORT gets at most half the cores, and at most this. */
export const DEFAULT_MAX_WASM_THREADS = 4;

/**
 * WASM threads ONNX Runtime gets: one without cross-origin isolation (threads need
 * SharedArrayBuffer), else half the cores (the viewer keeps the rest), capped.
 * The panel's probe and the worker both count with this, so they agree.
 */
export function countWasmThreads(
  caps: Pick<BrowserCapabilities, 'crossOriginIsolated' | 'hardwareConcurrency'>,
  maxThreads = DEFAULT_MAX_WASM_THREADS,
): number {
  if (!caps.crossOriginIsolated) return 1;
  return Math.max(1, Math.min(maxThreads, Math.ceil(caps.hardwareConcurrency / 2)));
}

/** The capabilities of the current window or worker scope. */
export function readBrowserCapabilities(scope: {
  navigator?: { gpu?: unknown; hardwareConcurrency?: number };
  crossOriginIsolated?: boolean;
}): BrowserCapabilities {
  const gpu = scope.navigator?.gpu as BrowserCapabilities['gpu'];
  return {
    gpu: gpu && typeof gpu.requestAdapter === 'function' ? gpu : undefined,
    crossOriginIsolated: scope.crossOriginIsolated === true,
    hardwareConcurrency: scope.navigator?.hardwareConcurrency ?? 1,
  };
}

function toAbsoluteFolderUrl(base: string): string {
  let url: URL;
  try {
    url = new URL(base);
  } catch (error) {
    throw new InferenceError(
      'bad-config',
      `wasmBaseUrl must be an absolute URL, got '${base}' (a relative one breaks under a sub-path)`,
      { cause: error },
    );
  }
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

async function probeWebGpu(caps: BrowserCapabilities): Promise<string | undefined> {
  if (!caps.gpu) return 'the browser has no WebGPU (navigator.gpu is absent)';
  try {
    const adapter = await caps.gpu.requestAdapter();
    return adapter ? undefined : 'navigator.gpu.requestAdapter() gave no adapter';
  } catch (error) {
    return `navigator.gpu.requestAdapter() failed: ${String(error)}`;
  }
}

async function decide(
  ort: OrtWebModule,
  caps: BrowserCapabilities,
  config: BrowserBackendConfig,
): Promise<BackendChoice> {
  ort.env.wasm.wasmPaths = toAbsoluteFolderUrl(config.wasmBaseUrl);
  // we already run inside a worker: ORT's own proxy worker would only add a copy
  ort.env.wasm.proxy = false;
  const threads = countWasmThreads(caps, config.maxThreads);
  ort.env.wasm.numThreads = threads;
  const isolation = caps.crossOriginIsolated
    ? `${threads} WASM thread${threads === 1 ? '' : 's'} (cross-origin isolated)`
    : 'one WASM thread (page not cross-origin isolated)';
  if (config.preferWebGpu === false) {
    return {
      backend: 'wasm',
      executionProviders: ['wasm'],
      threads,
      reason: `WebGPU turned off; ${isolation}`,
    };
  }
  const noGpu = await probeWebGpu(caps);
  if (noGpu === undefined) {
    return {
      backend: 'webgpu',
      executionProviders: ['webgpu'],
      threads,
      reason: 'WebGPU adapter found',
    };
  }
  return {
    backend: 'wasm',
    executionProviders: ['wasm'],
    threads,
    reason: `${noGpu}; ${isolation}`,
  };
}

// Keyed by the module whose global `env` the choice configured: it lives exactly as
// long as that module, which is what "once per page" means.
const choices = new WeakMap<OrtWebModule, Promise<BackendChoice>>();

/**
 * Configures onnxruntime-web once and tells which backend to use. Later calls for
 * the same module return the first answer, whatever their config.
 * @throws {InferenceError} code `bad-config` for a relative `wasmBaseUrl`
 */
export function chooseBrowserBackend(
  ort: OrtWebModule,
  caps: BrowserCapabilities,
  config: BrowserBackendConfig,
): Promise<BackendChoice> {
  let choice = choices.get(ort);
  if (!choice) {
    choice = decide(ort, caps, config);
    choices.set(ort, choice);
    // a refused config must not stick: the caller may correct it and retry
    choice.catch(() => choices.delete(ort));
  }
  return choice;
}

/**
 * Creates the model's sessions on the chosen backend; when WebGPU cannot, falls back
 * to WASM once and says so in the returned choice.
 * @throws {InferenceError} code `no-backend` when no backend can run the model, with
 *   each failure in the message and the last one as `cause`; code `model-io` passes
 *   through, since another backend would not fix a wrong manifest
 */
export async function createSessionsWithFallback(
  ort: OrtModule,
  manifest: ModelManifest,
  bytes: { encoder: Uint8Array; decoder: Uint8Array },
  choice: BackendChoice,
): Promise<{ sessions: ModelSessions; choice: BackendChoice }> {
  const attempts: BackendChoice[] = [choice];
  if (choice.backend === 'webgpu') {
    attempts.push({ ...choice, backend: 'wasm', executionProviders: ['wasm'] });
  }
  const failures: string[] = [];
  let lastError: unknown;
  for (const attempt of attempts) {
    try {
      const options = { executionProviders: attempt.executionProviders };
      const sessions = await ModelSessions.create(ort, manifest, bytes, options);
      const reason = failures.length ? `${failures.join('; ')}; fell back to WASM` : attempt.reason;
      return { sessions, choice: { ...attempt, reason } };
    } catch (error) {
      if (error instanceof InferenceError) throw error;
      lastError = error;
      failures.push(
        `${attempt.backend} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  throw new InferenceError(
    'no-backend',
    `No ONNX Runtime backend could run ${manifest.id}: ${failures.join('; ')}`,
    { cause: lastError },
  );
}
