/**
 * The loader against a scripted DICOMweb server: how it reads per-instance STOW
 * answers, retries unexplained files alone, offers a twin when the first file
 * of a SOPInstanceUID is refused, and stops on problems that concern every file.
 * The real-Orthanc behaviour is in test/integration/loadStudies.test.ts.
 */
import '../support/quietDcmjs';

import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { loadStudies } from '../../server/src/loadStudies';
import { readInstanceUIDs } from '../../server/src/studies/dicomHeader';
import { createMultipartRelated } from '../../server/src/studies/dicomWebClient';
import { findFreePort } from '../../server/src/net/ports';
import { ServerError } from '../../server/src/serverError';

const ctOrgans = path.resolve(__dirname, '../../../shared/data/ct-organs/dicom');
const FAILURE_OUT_OF_RESOURCES = 0xa700;

/** What the scripted PACS does with an instance, by attempt (the last one repeats). */
type Behaviour = 'store' | 'fail' | 'unlisted' | 'silent-store';

interface ScriptedPacs {
  url: string;
  posts: string[][];
  held: Set<string>;
  close(): Promise<void>;
}

/** Splits a multipart/related body into its parts, checking each part's header. */
function splitMultipart(body: Buffer, contentType: string): Buffer[] {
  const boundary = /boundary=([^;]+)/.exec(contentType)?.[1];
  if (!boundary || !contentType.includes('type="application/dicom"')) throw new Error(contentType);
  const text = body.toString('latin1');
  const pieces = text.split(`--${boundary}`);
  if (pieces.pop() !== '--\r\n') throw new Error('missing closing delimiter');
  return pieces.slice(1).map((piece) => {
    const header = 'Content-Type: application/dicom\r\n\r\n';
    if (!piece.startsWith(`\r\n${header}`) || !piece.endsWith('\r\n')) throw new Error('bad part');
    return Buffer.from(piece.slice(2 + header.length, -2), 'latin1');
  });
}

async function startScriptedPacs(script: Map<string, Behaviour[]>, status401 = false) {
  const posts: string[][] = [];
  const held = new Set<string>();
  const attempts = new Map<string, number>();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (status401) {
        response.writeHead(401).end();
        return;
      }
      if (request.method === 'GET') {
        const items = [...held].map((uid) => ({ '00080018': { vr: 'UI', Value: [uid] } }));
        response.writeHead(200, { 'content-type': 'application/dicom+json' });
        response.end(JSON.stringify(items));
        return;
      }
      const parts = splitMultipart(Buffer.concat(chunks), request.headers['content-type'] ?? '');
      const referenced: unknown[] = [];
      const failed: unknown[] = [];
      let unlisted = false;
      const uids = parts.map((part) => {
        const header = readInstanceUIDs(part);
        if (!header.ok) throw new Error('the loader sent a file it should have refused');
        return header.uids.SOPInstanceUID;
      });
      posts.push(uids);
      for (const uid of uids) {
        const n = attempts.get(uid) ?? 0;
        attempts.set(uid, n + 1);
        const steps = script.get(uid) ?? ['store'];
        const behaviour = steps[Math.min(n, steps.length - 1)];
        const item = { '00081155': { vr: 'UI', Value: [uid] } };
        if (behaviour === 'store' || behaviour === 'silent-store') held.add(uid);
        if (behaviour === 'store') referenced.push(item);
        if (behaviour === 'fail') {
          failed.push({ ...item, '00081197': { vr: 'US', Value: [FAILURE_OUT_OF_RESOURCES] } });
        }
        if (behaviour === 'unlisted') unlisted = true;
      }
      response.writeHead(unlisted || failed.length > 0 ? 400 : 200, {
        'content-type': 'application/dicom+json',
      });
      response.end(
        JSON.stringify({
          '00081199': { vr: 'SQ', Value: referenced },
          '00081198': { vr: 'SQ', Value: failed },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const pacs: ScriptedPacs = {
    url: `http://127.0.0.1:${port}/dicom-web`,
    posts,
    held,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  return pacs;
}

describe('loadStudies against a scripted PACS', () => {
  let dir: string;
  let uidOf: (name: string) => string;
  const names = readdirSync(ctOrgans).sort().slice(0, 5);

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'medsam-load-'));
    mkdirSync(path.join(dir, 'twins'));
    for (const name of names) copyFileSync(path.join(ctOrgans, name), path.join(dir, name));
    // The same instance twice more, under other names.
    copyFileSync(path.join(ctOrgans, names[4] as string), path.join(dir, 'twins', 'a.dcm'));
    copyFileSync(path.join(ctOrgans, names[4] as string), path.join(dir, 'twins', 'b.dcm'));
    uidOf = (name) => name.replace(/^CT\./, '');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads per-instance answers, retries unexplained files alone, offers a twin after a refusal', async () => {
    const [stored, failed, unlisted, silent, twinned] = names as [string, string, string, string, string];
    const script = new Map<string, Behaviour[]>([
      [uidOf(stored), ['store']],
      [uidOf(failed), ['fail']],
      [uidOf(unlisted), ['unlisted']],
      [uidOf(silent), ['unlisted', 'silent-store']],
      [uidOf(twinned), ['fail', 'store']],
    ]);
    const pacs = await startScriptedPacs(script);
    try {
      const report = await loadStudies({ pacs: { url: pacs.url }, paths: [dir] });
      // One batch of the five first files, then the two unexplained ones alone,
      // then the next twin of the refused instance.
      expect(pacs.posts).toEqual([
        names.map(uidOf),
        [uidOf(unlisted)],
        [uidOf(silent)],
        [uidOf(twinned)],
      ]);
      const file = (name: string) => path.join(dir, name);
      expect(report.stored.map((s) => s.file)).toEqual([file(stored), file(silent), file('twins/a.dcm')]);
      expect(report.refused).toEqual([
        {
          file: file(failed),
          reason: 'rejected-by-pacs',
          detail: 'FailureReason 0xA700 (out of resources) (HTTP 400)',
        },
        {
          file: file(unlisted),
          reason: 'rejected-by-pacs',
          detail: 'the PACS answered HTTP 400 with no failure reason for this file',
        },
        {
          file: file(twinned),
          reason: 'rejected-by-pacs',
          detail: 'FailureReason 0xA700 (out of resources) (HTTP 400)',
        },
      ]);
      expect(report.alreadyPresent).toEqual([
        expect.objectContaining({ file: file('twins/b.dcm'), sameAs: file('twins/a.dcm') }),
      ]);
    } finally {
      await pacs.close();
    }
  });

  it('sends nothing the PACS already holds', async () => {
    const pacs = await startScriptedPacs(new Map());
    try {
      for (const name of names) pacs.held.add(uidOf(name));
      const report = await loadStudies({ pacs: { url: pacs.url }, paths: [dir] });
      expect(pacs.posts).toEqual([]);
      expect(report.alreadyPresent).toHaveLength(7);
      expect(report.alreadyPresent.filter((p) => p.sameAs !== null)).toHaveLength(2);
    } finally {
      await pacs.close();
    }
  });

  it('splits batches by count', async () => {
    const pacs = await startScriptedPacs(new Map());
    try {
      await loadStudies({ pacs: { url: pacs.url }, paths: [dir], batchSize: 2 });
      expect(pacs.posts.map((uids) => uids.length)).toEqual([2, 2, 1]);
    } finally {
      await pacs.close();
    }
  });

  it('stops on a refusal that concerns every file, and on a PACS that does not answer', async () => {
    const pacs = await startScriptedPacs(new Map(), true);
    try {
      await expect(loadStudies({ pacs: { url: pacs.url }, paths: [dir] })).rejects.toMatchObject({
        code: 'pacs-refused',
        message: expect.stringContaining('HTTP 401'),
      });
    } finally {
      await pacs.close();
    }
    const closed = `http://127.0.0.1:${await findFreePort()}/dicom-web`;
    await expect(loadStudies({ pacs: { url: closed }, paths: [dir] })).rejects.toMatchObject({
      code: 'pacs-unreachable',
    });
    await expect(loadStudies({ pacs: { url: closed }, paths: [path.join(dir, 'none')] })).rejects.toThrow(
      ServerError,
    );
  });

  it('builds a multipart body whose boundary occurs in no part', () => {
    const parts = [Buffer.from('abc'), Buffer.from('--medsam-')];
    const { body, contentType } = createMultipartRelated(parts);
    expect(splitMultipart(Buffer.from(body), contentType).map(String)).toEqual(['abc', '--medsam-']);
  });
});
