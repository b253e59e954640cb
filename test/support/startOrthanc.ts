/**
 * A private Orthanc for tests that stop and restart the PACS under a client: the
 * project's own launcher (server/src/orthanc) with its configuration, on a free
 * loopback port and a temporary storage folder that survives a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findFreePort } from '../../server/src/net/ports';
import { startOrthanc as launchOrthanc, type OrthancHandle as RunningOrthanc } from '../../server/src/orthanc/startOrthanc';

export interface OrthancHandle {
  port: number;
  /** http://127.0.0.1:<port> */
  url: string;
  /** http://127.0.0.1:<port>/dicom-web */
  dicomWebRoot: string;
  /** Stops the server (SIGTERM), keeping its storage for a restart. */
  stop(): Promise<void>;
  /** Starts it again on the same port and storage. */
  start(): Promise<void>;
  /** Stops it and deletes its folder. */
  dispose(): Promise<void>;
}

/** Starts Orthanc; the log is in `<folder>/orthanc.log`. */
export async function startOrthanc(): Promise<OrthancHandle> {
  const storageDir = mkdtempSync(path.join(os.tmpdir(), 'orthanc-test-'));
  const port = await findFreePort();
  let running: RunningOrthanc | undefined;
  const start = async (): Promise<void> => {
    running = await launchOrthanc({ httpPort: port, storageDir });
  };
  await start();
  const url = running!.url;
  return {
    port,
    url,
    dicomWebRoot: running!.dicomWebUrl,
    stop: async () => running?.stop(),
    start,
    dispose: async () => {
      await running?.stop();
      rmSync(storageDir, { recursive: true, force: true });
    },
  };
}
