/**
 * Starts our own Orthanc with our configuration, waits until it answers, and
 * stops it cleanly. Design: Orthanc's stdout and stderr come through pipes, so
 * the log is appended to `<storageDir>/orthanc.log` and its last lines are kept
 * for error messages; a process-exit hook kills Orthanc if our process ends
 * without calling stop(), so no orphan keeps the port and the database lock.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { LOOPBACK, assertPortFree } from '../net/ports';
import { ServerError, type LogLine } from '../serverError';
import { createOrthancConfiguration, DATABASE_FOLDER } from './orthancConfiguration';
import { assertStorageFree, recordStorageHolder, releaseStorage } from './storageLock';
import { ensureOrthancInstalled, type OrthancInstallation } from './orthancInstallation';

export interface StartOrthancOptions {
  httpPort: number;
  /** Folder for the database (db/), orthanc.json and orthanc.log; created if absent. */
  storageDir: string;
  /** DICOM (DIMSE) port; undefined keeps Orthanc's DICOM server off. */
  dicomPort?: number;
  log?: LogLine;
  /** How long to wait for `/system` to answer; default 60 s. */
  startupTimeoutMs?: number;
  /** How long SIGTERM may take before SIGKILL; default 15 s. */
  stopTimeoutMs?: number;
  /** Skip the installation check (tests that already made it). */
  installation?: OrthancInstallation;
}

export interface OrthancHandle {
  /** Orthanc's REST root on loopback, e.g. http://127.0.0.1:8042 */
  url: string;
  /** Its DICOMweb root, e.g. http://127.0.0.1:8042/dicom-web */
  dicomWebUrl: string;
  /** Its WADO-URI endpoint, e.g. http://127.0.0.1:8042/wado */
  wadoUriUrl: string;
  logFile: string;
  /** Stops Orthanc (SIGTERM, then SIGKILL after the timeout) and waits for its exit. */
  stop(): Promise<void>;
}

const DEFAULT_STARTUP_TIMEOUT_MS = 60_000;
const DEFAULT_STOP_TIMEOUT_MS = 15_000;
/** Grace after SIGKILL before we give up waiting for the exit event. */
const KILL_GRACE_MS = 5_000;
const POLL_INTERVAL_MS = 100;
/** Per-request limit while polling, so one stuck request cannot eat the timeout. */
const PROBE_TIMEOUT_MS = 2_000;
/** Lines of Orthanc's log quoted in an error. */
const TAIL_LINES = 30;

/** Keeps the last lines of a stream of text chunks. */
class LogTail {
  private readonly lines: string[] = [];
  private partial = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: string): void {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) {
      this.lines.push(line);
      if (this.lines.length > TAIL_LINES) this.lines.shift();
      this.onLine(line);
    }
  }

  text(): string {
    const all = this.partial ? [...this.lines, this.partial] : this.lines;
    return all.length > 0 ? `\n  ${all.join('\n  ')}` : ' (Orthanc wrote nothing)';
  }
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function answers(url: string): Promise<unknown | null> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return response.ok ? await response.json() : null;
  } catch {
    return null; // not listening yet
  }
}

async function waitUntilReady(
  child: ChildProcess,
  url: string,
  timeoutMs: number,
  tail: LogTail,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const log = tail.text();
      const code = /already in use/i.test(log) ? 'port-in-use' : 'orthanc-start-failed';
      throw new ServerError(
        code,
        `Orthanc exited during start-up (${child.exitCode ?? child.signalCode}). Its log:${log}`,
      );
    }
    if ((await answers(`${url}/system`)) !== null) {
      const plugins = await answers(`${url}/plugins`);
      if (Array.isArray(plugins) && plugins.includes('dicom-web')) return;
      throw new ServerError(
        'orthanc-start-failed',
        `Orthanc started without its DICOMweb plugin (plugins: ${JSON.stringify(plugins)}). ` +
          `Its log:${tail.text()}`,
      );
    }
    await sleep(POLL_INTERVAL_MS);
  }
  throw new ServerError(
    'orthanc-start-failed',
    `Orthanc did not answer ${url}/system within ${timeoutMs / 1000} s. Its log:${tail.text()}`,
  );
}

async function stopChild(child: ChildProcess, timeoutMs: number, log: LogLine): Promise<void> {
  const neverStarted = child.pid === undefined;
  if (neverStarted || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  if (await waitForExit(child, timeoutMs)) return;
  log(`Orthanc did not stop within ${timeoutMs / 1000} s of SIGTERM; killing it`);
  child.kill('SIGKILL');
  if (!(await waitForExit(child, KILL_GRACE_MS))) {
    throw new ServerError('orthanc-stop-failed', `Orthanc (pid ${child.pid}) survived SIGKILL`);
  }
}

/**
 * Starts Orthanc on loopback with our configuration and resolves once its REST
 * API and DICOMweb plugin answer.
 * @throws {ServerError} `port-in-use`, `storage-in-use`, `orthanc-not-installed`,
 *   `orthanc-start-failed`
 */
export async function startOrthanc(options: StartOrthancOptions): Promise<OrthancHandle> {
  const log = options.log ?? (() => undefined);
  const installation = options.installation ?? ensureOrthancInstalled({ log });
  // Orthanc 1.10 binds every interface, so check the port the same way.
  await assertPortFree(options.httpPort, 'Orthanc (HTTP)', 'MEDSAM_ORTHANC_HTTP_PORT', '0.0.0.0');
  if (options.dicomPort !== undefined) {
    const setting = 'MEDSAM_ORTHANC_DICOM_PORT';
    await assertPortFree(options.dicomPort, 'Orthanc (DICOM)', setting, '0.0.0.0');
  }

  const storageDir = path.resolve(options.storageDir);
  assertStorageFree(storageDir);
  mkdirSync(path.join(storageDir, DATABASE_FOLDER), { recursive: true });
  const configFile = path.join(storageDir, 'orthanc.json');
  const configuration = createOrthancConfiguration({
    httpPort: options.httpPort,
    dicomPort: options.dicomPort,
    storageDir,
    dicomWebPlugin: installation.dicomWebPlugin,
  });
  writeFileSync(configFile, `${JSON.stringify(configuration, null, 2)}\n`);

  const logFile = path.join(storageDir, 'orthanc.log');
  const logStream = createWriteStream(logFile, { flags: 'a' });
  const tail = new LogTail((line) => {
    if (/^E/.test(line)) log(`orthanc: ${line}`);
  });
  const child = spawn(installation.executable, [configFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      logStream.write(chunk);
      tail.push(chunk);
    });
  }
  if (child.pid !== undefined) recordStorageHolder(storageDir, child.pid);
  const spawnFailure = new Promise<never>((_, reject) => {
    child.once('error', (error) =>
      reject(new ServerError('orthanc-start-failed', `Cannot run ${installation.executable}`, {
        cause: error,
      })),
    );
  });
  spawnFailure.catch(() => undefined); // handled by the race below; later errors are moot
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const url = `http://${LOOPBACK}:${options.httpPort}`;
  let stopping: Promise<void> | null = null;
  const stopOnce = async (): Promise<void> => {
    try {
      await stopChild(child, options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS, log);
    } finally {
      if (child.pid !== undefined) releaseStorage(storageDir, child.pid);
      process.removeListener('exit', killOnExit);
      await new Promise<void>((resolve) => logStream.end(resolve));
    }
  };
  // Idempotent: a second call (a signal handler racing a normal shutdown) waits too.
  const stop = (): Promise<void> => (stopping ??= stopOnce());
  try {
    const timeout = options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS;
    await Promise.race([waitUntilReady(child, url, timeout, tail), spawnFailure]);
  } catch (error) {
    await stop();
    throw error;
  }
  log(`Orthanc ready at ${url} (storage ${storageDir})`);
  return { url, dicomWebUrl: `${url}/dicom-web`, wadoUriUrl: `${url}/wado`, logFile, stop };
}
