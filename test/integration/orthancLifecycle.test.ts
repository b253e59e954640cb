/**
 * Starting and stopping the real Orthanc: readiness, clean shutdown, storage
 * that survives a restart, and clear errors for a taken port, a failed start
 * and a start that takes too long.
 */
import '../support/quietDcmjs';

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { loadStudies } from '../../server/src/loadStudies';
import { assertPortFree, findFreePort } from '../../server/src/net/ports';
import { ensureOrthancInstalled } from '../../server/src/orthanc/orthancInstallation';
import { startOrthanc } from '../../server/src/orthanc/startOrthanc';
import { ServerError } from '../../server/src/serverError';

const petRawFile = path.resolve(__dirname, '../../../shared/data/pet-raw/dicom/1-220.dcm');

let storage: string;
beforeEach(() => {
  storage = mkdtempSync(path.join(tmpdir(), 'medsam-orthanc-life-'));
});
afterEach(() => rmSync(storage, { recursive: true, force: true }));

async function failureOf(promise: Promise<unknown>): Promise<ServerError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ServerError)) throw new Error(`expected a ServerError, got ${String(error)}`);
  return error;
}

describe('startOrthanc', () => {
  it('starts, keeps its data across a restart, and stops cleanly', async () => {
    const httpPort = await findFreePort();
    const first = await startOrthanc({ httpPort, storageDir: storage });
    const system = await (await fetch(`${first.url}/system`)).json();
    expect(system).toMatchObject({ Name: 'MedSAM-local-PACS' });
    const report = await loadStudies({ pacs: { url: first.dicomWebUrl }, paths: [petRawFile] });
    expect(report.stored).toHaveLength(1);
    await Promise.all([first.stop(), first.stop()]);
    await expect(assertPortFree(httpPort, 'test', 'X', '0.0.0.0')).resolves.toBeUndefined();
    expect(readFileSync(first.logFile, 'utf8')).toMatch(/Orthanc has stopped\s*$/);

    const second = await startOrthanc({ httpPort, storageDir: storage });
    try {
      const again = await loadStudies({ pacs: { url: second.dicomWebUrl }, paths: [petRawFile] });
      expect(again.alreadyPresent).toHaveLength(1);
      expect(again.stored).toHaveLength(0);
    } finally {
      await second.stop();
    }
    expect(existsSync(path.join(storage, 'db'))).toBe(true);
  });

  it('names the taken port and the setting that changes it', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as net.AddressInfo;
    try {
      const error = await failureOf(startOrthanc({ httpPort: port, storageDir: storage }));
      expect(error.code).toBe('port-in-use');
      expect(error.message).toContain(`Port ${port}`);
      expect(error.message).toContain('MEDSAM_ORTHANC_HTTP_PORT');
    } finally {
      holder.close();
    }
  });

  it('refuses an Orthanc that started without its DICOMweb plugin, quoting its log', async () => {
    const installation = { ...ensureOrthancInstalled(), dicomWebPlugin: '/nonexistent/plugin.so' };
    const httpPort = await findFreePort();
    const error = await failureOf(startOrthanc({ httpPort, storageDir: storage, installation }));
    expect(error.code).toBe('orthanc-start-failed');
    expect(error.message).toMatch(/^Orthanc started without its DICOMweb plugin/);
    expect(error.message).toContain('/nonexistent/plugin.so');
    await expect(assertPortFree(httpPort, 'test', 'X', '0.0.0.0')).resolves.toBeUndefined();
  });

  it('reports an executable that exits during start-up', async () => {
    const installation = { ...ensureOrthancInstalled(), executable: '/bin/false' };
    const error = await failureOf(
      startOrthanc({ httpPort: await findFreePort(), storageDir: storage, installation }),
    );
    expect(error.code).toBe('orthanc-start-failed');
    expect(error.message).toBe('Orthanc exited during start-up (1). Its log: (Orthanc wrote nothing)');
  });

  it('gives up after the start-up timeout, stops Orthanc and frees the port', async () => {
    const httpPort = await findFreePort();
    const error = await failureOf(
      startOrthanc({ httpPort, storageDir: storage, startupTimeoutMs: 1 }),
    );
    expect(error.code).toBe('orthanc-start-failed');
    expect(error.message).toContain(`did not answer http://127.0.0.1:${httpPort}/system within`);
    await expect(assertPortFree(httpPort, 'test', 'X', '0.0.0.0')).resolves.toBeUndefined();
  });
});
