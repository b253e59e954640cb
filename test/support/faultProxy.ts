/**
 * A tiny HTTP proxy in front of the test Orthanc that misbehaves on demand, for
 * STOW failures a real deployment meets: a body-size limit (413), a failing
 * server (500), a connection cut while the upload is still arriving, and a
 * connection cut after the PACS already stored the upload. Only POSTs (STOW)
 * are disturbed; GETs (QIDO, WADO, the reachability probe) always pass.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type FaultMode = 'pass' | 'status-413' | 'status-500' | 'cut-request' | 'cut-response';

export interface FaultProxy {
  url: string;
  setMode(mode: FaultMode): void;
  /** POSTs seen, with the mode applied to each. */
  posts: FaultMode[];
  close(): Promise<void>;
}

/** Body bytes after which 'cut-request' drops the connection. */
const CUT_AFTER_BYTES = 4096;

function forward(
  upstream: URL,
  request: http.IncomingMessage,
  body: Buffer,
  onResponse: (status: number, headers: http.IncomingHttpHeaders, payload: Buffer) => void,
  onError: () => void,
): void {
  const outgoing = http.request(
    new URL(request.url ?? '/', upstream),
    { method: request.method, headers: { ...request.headers, host: upstream.host } },
    (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        onResponse(response.statusCode ?? 502, response.headers, Buffer.concat(chunks)),
      );
    },
  );
  outgoing.on('error', onError);
  outgoing.end(body);
}

export async function startFaultProxy(upstreamUrl: string): Promise<FaultProxy> {
  const upstream = new URL(upstreamUrl);
  let mode: FaultMode = 'pass';
  const posts: FaultMode[] = [];
  const server = http.createServer((request, response) => {
    const applied: FaultMode = request.method === 'POST' ? mode : 'pass';
    if (request.method === 'POST') posts.push(applied);
    const chunks: Buffer[] = [];
    let received = 0;
    request.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      if (applied === 'cut-request' && received >= CUT_AFTER_BYTES) request.socket.destroy();
    });
    request.on('end', () => {
      if (applied === 'status-413' || applied === 'status-500') {
        response.writeHead(applied === 'status-413' ? 413 : 500, { 'Content-Type': 'text/plain' });
        response.end(
          applied === 'status-413' ? 'Request Entity Too Large' : 'Internal Server Error',
        );
        return;
      }
      forward(
        upstream,
        request,
        Buffer.concat(chunks),
        (status, headers, payload) => {
          // The PACS has the upload; the client never hears so.
          if (applied === 'cut-response') return request.socket.destroy();
          response.writeHead(status, headers);
          response.end(payload);
        },
        () => {
          response.writeHead(502);
          response.end();
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setMode: (next) => {
      mode = next;
    },
    posts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
