/**
 * Starts a private Orthanc for integration tests: a free loopback port, its own
 * storage in a temp folder, the DICOMweb plugin at /dicom-web/, no DICOM port.
 * Test-only and small on purpose; the production launcher lives elsewhere.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const ORTHANC_BINARY = '/usr/sbin/Orthanc';
export const DICOMWEB_PLUGIN = '/usr/share/orthanc/plugins/libOrthancDicomWeb.so';

/** How long Orthanc may take to answer /system after starting, ms. */
const START_TIMEOUT_MS = 30_000;
/** How long it may take to exit after SIGTERM before it is killed, ms. */
const STOP_TIMEOUT_MS = 15_000;
const POLL_INTERVAL_MS = 100;

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

/** A TCP port that was free a moment ago (the kernel picks it). */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForSystem(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Orthanc exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/system`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  throw new Error(`Orthanc did not answer ${url}/system within ${START_TIMEOUT_MS} ms`);
}

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** Starts Orthanc; the log is in `<folder>/orthanc.log`. */
export async function startOrthanc(): Promise<OrthancHandle> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'orthanc-test-'));
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  const config = path.join(folder, 'orthanc.json');
  writeFileSync(
    config,
    JSON.stringify({
      Name: 'medsam-test',
      HttpPort: port,
      RemoteAccessAllowed: false,
      AuthenticationEnabled: false,
      DicomServerEnabled: false,
      StorageDirectory: path.join(folder, 'storage'),
      IndexDirectory: path.join(folder, 'storage'),
      Plugins: [DICOMWEB_PLUGIN],
      DicomWeb: { Enable: true, Root: '/dicom-web/' },
    }),
  );
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    const log = openSync(path.join(folder, 'orthanc.log'), 'a');
    child = spawn(ORTHANC_BINARY, [config], { stdio: ['ignore', log, log] });
    closeSync(log); // the child holds its own copy of the descriptor
    await waitForSystem(url, child);
  };
  await start();
  return {
    port,
    url,
    dicomWebRoot: `${url}/dicom-web`,
    stop: () => stopChild(child),
    start,
    dispose: async () => {
      await stopChild(child);
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
