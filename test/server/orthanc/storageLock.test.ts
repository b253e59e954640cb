/**
 * One Orthanc per storage folder: a second start on a folder a running Orthanc
 * holds is refused before it touches that folder's configuration or log, and the
 * folder is free again once the first one stops. Real Orthanc processes.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findFreePort } from '../../../server/src/net/ports';
import { startOrthanc } from '../../../server/src/orthanc/startOrthanc';
import { findStorageHolder } from '../../../server/src/orthanc/storageLock';

jest.setTimeout(120_000);

let storageDir: string;
beforeEach(() => {
  storageDir = mkdtempSync(path.join(os.tmpdir(), 'orthanc-lock-'));
});
afterEach(() => rmSync(storageDir, { recursive: true, force: true }));

it("refuses a second Orthanc on a held folder without touching the first one's files", async () => {
  const first = await startOrthanc({ httpPort: await findFreePort(), storageDir });
  try {
    const configFile = path.join(storageDir, 'orthanc.json');
    const config = readFileSync(configFile, 'utf8');
    const logSize = statSync(first.logFile).size;
    const error = await startOrthanc({ httpPort: await findFreePort(), storageDir }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'storage-in-use' });
    expect((error as Error).message).toContain(storageDir);
    expect((error as Error).message).toContain('MEDSAM_DATA_DIR');
    expect(readFileSync(configFile, 'utf8')).toBe(config);
    expect(statSync(first.logFile).size).toBe(logSize);
    // the first one still serves
    expect((await fetch(`${first.url}/system`)).status).toBe(200);
  } finally {
    await first.stop();
  }
  expect(findStorageHolder(storageDir)).toBeNull();
  const again = await startOrthanc({ httpPort: await findFreePort(), storageDir });
  await again.stop();
});

it('takes over a folder whose recorded holder is gone or is not an Orthanc', async () => {
  const pidFile = path.join(storageDir, 'orthanc.pid');
  const gone = spawn('true');
  await new Promise((resolve) => gone.once('exit', resolve));
  writeFileSync(pidFile, `${gone.pid}\n`);
  expect(findStorageHolder(storageDir)).toBeNull();
  // a live process that is not Orthanc: this test's own
  writeFileSync(pidFile, `${process.pid}\n`);
  expect(findStorageHolder(storageDir)).toBeNull();
  const orthanc = await startOrthanc({ httpPort: await findFreePort(), storageDir });
  try {
    expect(findStorageHolder(storageDir)).toBeGreaterThan(0);
  } finally {
    await orthanc.stop();
  }
});
