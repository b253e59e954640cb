/**
 * Decides which ONNX Runtime backend this browser can use, before any model is
 * loaded, so the panel can say it and why. WebGPU needs both the API and an
 * adapter; headless or blocklisted GPUs expose the API without an adapter.
 */
import { countWasmThreads } from '../core/inference/ortBackend';
import type { BackendReport } from './medsamState';

interface GpuLike {
  requestAdapter(): Promise<{ info?: { vendor?: string; architecture?: string; description?: string } } | null>;
}

export async function probeBackend(scope: {
  navigator?: { gpu?: GpuLike; hardwareConcurrency?: number };
  crossOriginIsolated?: boolean;
}): Promise<BackendReport> {
  // the worker's own rule, so the line does not change when the model loads
  const threads = countWasmThreads({
    crossOriginIsolated: scope.crossOriginIsolated === true,
    hardwareConcurrency: scope.navigator?.hardwareConcurrency ?? 1,
  });
  const gpu = scope.navigator?.gpu;
  if (!gpu) return { backend: 'wasm', reasonKey: 'backend.reasonNoWebgpuApi', threads };
  const adapter = await gpu.requestAdapter().catch(() => null);
  if (!adapter) return { backend: 'wasm', reasonKey: 'backend.reasonNoWebgpuAdapter', threads };
  const info = adapter.info ?? {};
  const adapterDescription =
    [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'WebGPU';
  return { backend: 'webgpu', reasonKey: 'backend.reasonWebgpuAdapter', adapterDescription, threads };
}
