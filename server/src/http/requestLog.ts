/**
 * One line per request: method, path, status, milliseconds, then the bytes
 * received for the request (`in`: request line, headers and body) and sent for
 * the response (`out`: status line, headers and body), as counted on the socket.
 * Streamed proxy bodies have no Content-Length to read instead, so the socket's
 * counters are the only figure that holds for every route, uploads included.
 *
 * The socket is taken when the request starts: by the time a request whose body
 * was read (a STOW-RS POST) has its response finished, Node has already detached
 * the socket from it. Each request is measured from the end of the previous
 * response on its keep-alive connection, so the request head, read before our
 * first hook runs, is counted too. A figure that cannot be read is left out
 * rather than guessed. The query string is left out: QIDO queries can carry
 * patient names and IDs.
 */
import type { FastifyInstance } from 'fastify';
import type { Socket } from 'node:net';

import type { LogLine } from '../serverError';

interface SocketCounts {
  read: number;
  written: number;
}

interface Timing {
  start: bigint;
  socket: Socket | null;
}

const NS_PER_MS = 1_000_000n;
const NO_COUNTS: SocketCounts = { read: 0, written: 0 };

/** The socket's running totals; null once they cannot be read (a destroyed socket). */
function countsOf(socket: Socket): SocketCounts | null {
  // Typed as numbers, but Node returns undefined for bytesWritten once the
  // socket's write state is gone.
  const read: unknown = socket.bytesRead;
  const written: unknown = socket.bytesWritten;
  if (typeof read !== 'number' || typeof written !== 'number') return null;
  return { read, written };
}

/** ` in <n>B out <m>B`, each figure only where it is known and not negative. */
function describeBytes(now: SocketCounts | null, before: SocketCounts): string {
  if (now === null) return '';
  const received = now.read - before.read;
  const sent = now.written - before.written;
  return (received >= 0 ? ` in ${received}B` : '') + (sent >= 0 ? ` out ${sent}B` : '');
}

export function addRequestLog(app: FastifyInstance, log: LogLine): void {
  const timings = new WeakMap<object, Timing>();
  /** Counts at the end of the last logged response on each connection. */
  const lastEnd = new WeakMap<Socket, SocketCounts>();
  app.addHook('onRequest', async (request) => {
    timings.set(request.raw, { start: process.hrtime.bigint(), socket: request.raw.socket });
  });
  app.addHook('onResponse', async (request, reply) => {
    const timing = timings.get(request.raw);
    const ms = timing ? Number((process.hrtime.bigint() - timing.start) / NS_PER_MS) : 0;
    let bytes = '';
    const socket = timing?.socket ?? null;
    if (socket !== null) {
      const now = countsOf(socket);
      bytes = describeBytes(now, lastEnd.get(socket) ?? NO_COUNTS);
      if (now !== null) lastEnd.set(socket, now);
    }
    const path = request.raw.url?.split('?')[0] ?? '';
    log(`${request.method} ${path} ${reply.statusCode} ${ms}ms${bytes}`);
  });
}
