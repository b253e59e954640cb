/**
 * One Orthanc per storage folder. Orthanc itself refuses a database another one
 * holds ("SQLite: database is locked"), but only after we have rewritten that
 * folder's orthanc.json and appended to its log: a second `npm start` on the same
 * data folder damaged the running one's files. The folder's `orthanc.pid` names
 * the Orthanc that holds it; it is checked before anything is written.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ServerError } from '../serverError';

const PID_FILE = 'orthanc.pid';

function isRunningOrthanc(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: alive, but another user's; ESRCH: gone
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // A recycled pid belongs to some other program: only an Orthanc counts.
    const program = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
    return /^orthanc$/i.test(path.basename(program));
  } catch {
    return true; // no /proc to ask: assume the worst
  }
}

/** The pid of the Orthanc holding `storageDir`, or null when none does. */
export function findStorageHolder(storageDir: string): number | null {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(path.join(storageDir, PID_FILE), 'utf8'), 10);
  } catch {
    return null;
  }
  return Number.isInteger(pid) && pid > 0 && isRunningOrthanc(pid) ? pid : null;
}

/**
 * @throws {ServerError} `storage-in-use` when another running Orthanc holds the folder
 */
export function assertStorageFree(storageDir: string): void {
  const holder = findStorageHolder(storageDir);
  if (holder === null) return;
  throw new ServerError(
    'storage-in-use',
    `The Orthanc storage folder ${storageDir} is in use by another Orthanc (pid ${holder}), ` +
      'probably another npm start: stop that one, or give this one its own data folder with MEDSAM_DATA_DIR.',
  );
}

export function recordStorageHolder(storageDir: string, pid: number): void {
  writeFileSync(path.join(storageDir, PID_FILE), `${pid}\n`);
}

/** Forgets the holder, if it is still `pid` (a later start may have taken over). */
export function releaseStorage(storageDir: string, pid: number): void {
  const file = path.join(storageDir, PID_FILE);
  try {
    if (Number.parseInt(readFileSync(file, 'utf8'), 10) === pid) rmSync(file, { force: true });
  } catch {
    // nothing recorded
  }
}
