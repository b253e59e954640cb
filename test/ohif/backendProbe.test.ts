/**
 * The panel's backend line is drawn from this probe before a model loads and from
 * the worker's choice after: both must count WASM threads the same way, or the
 * line changes ("2 threads" then "one thread") on a two-core machine.
 */
import { chooseBrowserBackend, readBrowserCapabilities } from '../../extension/src/core/inference/ortBackend';
import { probeBackend } from '../../extension/src/ohif/backendProbe';

describe('probeBackend', () => {
  it.each([1, 2, 3, 8, 32])('counts the threads the worker will use on %i cores', async (cores) => {
    const scope = { navigator: { hardwareConcurrency: cores }, crossOriginIsolated: true };
    const probed = await probeBackend(scope);
    const ort = { env: { wasm: {} as Record<string, unknown> } };
    const chosen = await chooseBrowserBackend(ort as never, readBrowserCapabilities(scope), {
      wasmBaseUrl: 'http://localhost/ort/',
    });
    expect(probed.threads).toBe(chosen.threads);
    expect(ort.env.wasm.numThreads).toBe(chosen.threads);
  });

  it('says one thread without cross-origin isolation', async () => {
    expect((await probeBackend({ navigator: { hardwareConcurrency: 16 } })).threads).toBe(1);
  });
});
