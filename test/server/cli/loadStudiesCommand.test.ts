/**
 * The load-studies command's messages about the PACS URL: whatever URL it is
 * given, the password in it is never printed. (The loads themselves, against a
 * real Orthanc, are in test/integration/loadStudies.test.ts.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { runLoadStudiesCommand } from '../../../server/src/cli/loadStudiesCommand';
import { loadStudies } from '../../../server/src/loadStudies';
import { findFreePort } from '../../../server/src/net/ports';

const PASSWORD = 'cli-secret-42';
const EXIT_COULD_NOT_RUN = 2;

describe('runLoadStudiesCommand with credentials in --pacs', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'medsam-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    [`https://alice:${PASSWORD}@pacs.example.org/dicom-web`, 'https://***@pacs.example.org/dicom-web'],
    [`https://alice:${PASSWORD}@pacs:bad/dicom-web`, 'https://***@pacs:bad/dicom-web'],
  ])('refuses %s without printing the password', async (url, shown) => {
    const out: string[] = [];
    const err: string[] = [];
    const status = await runLoadStudiesCommand(['--pacs', url, dir], {
      out: (line) => out.push(line),
      err: (line) => err.push(line),
      env: {},
      cwd: dir,
    });
    expect(status).toBe(EXIT_COULD_NOT_RUN);
    expect(err[0]).toBe(`--pacs: not an http(s) URL: '${shown}'`);
    expect([...out, ...err].join('\n')).not.toContain(PASSWORD);
  });
});

describe('loadStudies errors', () => {
  it('masks the credentials of the PACS URL in an unreachable-PACS error', async () => {
    const port = await findFreePort();
    const url = `http://alice:${PASSWORD}@127.0.0.1:${port}/dicom-web`;
    const data = path.resolve(__dirname, '../../../../shared/data/ct-organs/dicom');
    const error: unknown = await loadStudies({ pacs: { url }, paths: [data] }).catch((e) => e);
    expect(error).toMatchObject({ code: 'pacs-unreachable' });
    const message = (error as Error).message;
    expect(message).toContain(`http://***@127.0.0.1:${port}/dicom-web/studies/`);
    expect(message).not.toContain(PASSWORD);
  });
});
