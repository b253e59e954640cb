/**
 * Decides which ONNX Runtime backend this browser can use, before any model is
 * loaded, so the panel can say it and why. WebGPU needs both the API and an
 * adapter; headless or blocklisted GPUs expose the API without an adapter.
 */
import type { BackendReport } from './medsamState';

interface GpuLike {
  requestAdapter(): Promise<{ info?: { vendor?: string; architecture?: string; description?: string } } | null>;
}

/** Threads ONNX Runtime may use: hardware threads, capped, when isolated. */
const MAX_WASM_THREADS = 4;

export async function probeBackend(scope: {
  navigator?: { gpu?: GpuLike; hardwareConcurrency?: number };
  crossOriginIsolated?: boolean;
}): Promise<BackendReport> {
  const threads = scope.crossOriginIsolated
    ? Math.max(1, Math.min(MAX_WASM_THREADS, scope.navigator?.hardwareConcurrency ?? 1))
    : 1;
  const gpu = scope.navigator?.gpu;
  if (!gpu) return { backend: 'wasm', reasonKey: 'backend.reasonNoWebgpuApi', threads };
  const adapter = await gpu.requestAdapter().catch(() => null);
  if (!adapter) return { backend: 'wasm', reasonKey: 'backend.reasonNoWebgpuAdapter', threads };
  const info = adapter.info ?? {};
  const adapterDescription =
    [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'WebGPU';
  return { backend: 'webgpu', reasonKey: 'backend.reasonWebgpuAdapter', adapterDescription, threads };
}
