/**
 * The request log in front of a real Orthanc: a STOW-RS of a known file through
 * the proxy logs the bytes received for it and sent back, on a new connection
 * and on a kept-alive one that carried a request before, where the log used to
 * print a negative figure (the socket was read after Node had detached it).
 */
import { readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';

import { createMultipartRelated } from '../../../server/src/studies/dicomWebClient';
import { rawRequest, startProxyToOrthanc, type ProxyToOrthanc, type RawResponse } from '../httpTestSupport';

const ctOrgans = path.resolve(__dirname, '../../../../shared/data/ct-organs/dicom');
/** Room for a request or status line and its headers (and chunk framing), bytes. */
const MAX_HEAD_BYTES = 1024;
const LOG_LINE = /^(GET|POST) (\S+) (\d{3}) \d+ms in (\d+)B out (\d+)B$/;

let proxy: ProxyToOrthanc;
let port: number;
const lines: string[] = [];

beforeAll(async () => {
  proxy = await startProxyToOrthanc((line) => lines.push(line));
  port = proxy.port;
});

afterAll(async () => {
  await proxy?.stop();
});

beforeEach(() => {
  lines.length = 0;
});

/** One file of ct-organs as a STOW-RS body; the file name carries its SOPInstanceUID. */
function stowBodyOf(index: number) {
  const name = readdirSync(ctOrgans).sort()[index] as string;
  const { body, contentType } = createMultipartRelated([readFileSync(path.join(ctOrgans, name))]);
  return { body, contentType, SOPInstanceUID: name.replace(/^CT\./, '') };
}

function stow(stowBody: ReturnType<typeof stowBodyOf>, agent?: http.Agent): Promise<RawResponse> {
  return rawRequest(port, 'POST', '/dicom-web/studies', {
    body: stowBody.body,
    headers: { 'content-type': stowBody.contentType, accept: 'application/dicom+json' },
    agent,
  });
}

function figuresOf(line: string | undefined) {
  const match = LOG_LINE.exec(line ?? '');
  if (match === null) throw new Error(`not a request line with in/out bytes: ${line}`);
  return { path: match[2], status: Number(match[3]), received: Number(match[4]), sent: Number(match[5]) };
}

/** The figure lies between the body's length and the body plus a head. */
function expectBodyPlusHead(figure: number, bodyBytes: number): void {
  expect(figure).toBeGreaterThanOrEqual(bodyBytes);
  expect(figure).toBeLessThan(bodyBytes + MAX_HEAD_BYTES);
}

describe('the request log, through the proxy to Orthanc', () => {
  it('logs the bytes of a STOW-RS upload and of its answer', async () => {
    const upload = stowBodyOf(0);
    const response = await stow(upload);
    expect(response.status).toBe(200);
    expect(response.body.toString()).toContain(upload.SOPInstanceUID);
    expect(lines).toHaveLength(1);
    const logged = figuresOf(lines[0]);
    expect(logged).toMatchObject({ path: '/dicom-web/studies', status: 200 });
    expectBodyPlusHead(logged.received, upload.body.byteLength);
    expectBodyPlusHead(logged.sent, response.body.byteLength);
  });

  it('counts each request of a kept-alive connection on its own', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const upload = stowBodyOf(1);
      const search = `/dicom-web/studies?PatientID=CT-ORGANS-EXAMPLE`;
      const before = await rawRequest(port, 'GET', search, { agent });
      const stored = await stow(upload, agent);
      const after = await rawRequest(port, 'GET', search, { agent });
      expect([before.status, stored.status, after.status]).toEqual([200, 200, 200]);
      expect([stored.reusedSocket, after.reusedSocket]).toEqual([true, true]);
      expect(lines).toHaveLength(3);
      // The old count gave the POST minus the first answer's bytes, e.g. -1360B.
      expect(lines.join('\n')).not.toMatch(/-\d+B/);
      const [get1, post, get2] = lines.map(figuresOf);
      expectBodyPlusHead(get1?.received ?? -1, 0);
      expectBodyPlusHead(get1?.sent ?? -1, before.body.byteLength);
      expectBodyPlusHead(post?.received ?? -1, upload.body.byteLength);
      expectBodyPlusHead(post?.sent ?? -1, stored.body.byteLength);
      expectBodyPlusHead(get2?.received ?? -1, 0);
      expectBodyPlusHead(get2?.sent ?? -1, after.body.byteLength);
    } finally {
      agent.destroy();
    }
  });
});
