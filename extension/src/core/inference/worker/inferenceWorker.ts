/**
 * Browser entry of the inference worker: bundled by esbuild as its own file and
 * started with `new Worker(url, { type: 'module' })`. It owns onnxruntime-web, the
 * sessions and the caches, so the viewer's thread never blocks on a model run.
 *
 * The integrator serves onnxruntime-web's `ort-wasm-simd-threaded*.{mjs,wasm}` and
 * passes their absolute folder URL as `wasmBaseUrl` in `loadModel`.
 */
import * as Comlink from 'comlink';
import * as ort from 'onnxruntime-web';
import { IdbModelStore } from '../idbModelStore';
import { InferenceError } from '../inferenceError';
import { chooseBrowserBackend, readBrowserCapabilities } from '../ortBackend';
import { InferenceWorkerHost } from './inferenceWorkerHost';

const host = new InferenceWorkerHost({
  ort,
  chooseBackend(message) {
    if (!message.wasmBaseUrl) {
      return Promise.reject(
        new InferenceError('bad-config', 'loadModel needs wasmBaseUrl in the browser'),
      );
    }
    return chooseBrowserBackend(ort, readBrowserCapabilities(self), {
      wasmBaseUrl: message.wasmBaseUrl,
      preferWebGpu: message.preferWebGpu,
    });
  },
  store: new IdbModelStore(),
  transfer: Comlink.transfer,
  releaseRemote(callback: unknown) {
    // callbacks from the main thread are comlink proxies: releasing closes their channel
    (callback as Comlink.Remote<() => void>)[Comlink.releaseProxy]();
  },
});

Comlink.expose(host);
