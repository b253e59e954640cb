/**
 * One line per request: method, path, status, milliseconds, bytes. Bytes are
 * those written to the socket for this response (headers included): streamed
 * proxy answers have no Content-Length to read instead. The query string is left
 * out: QIDO queries can carry patient names and IDs.
 */
import type { FastifyInstance } from 'fastify';

import type { LogLine } from '../serverError';

interface Timing {
  start: bigint;
  bytesBefore: number;
}

const NS_PER_MS = 1_000_000n;

export function addRequestLog(app: FastifyInstance, log: LogLine): void {
  const timings = new WeakMap<object, Timing>();
  app.addHook('onRequest', async (request) => {
    timings.set(request.raw, {
      start: process.hrtime.bigint(),
      bytesBefore: request.raw.socket?.bytesWritten ?? 0,
    });
  });
  app.addHook('onResponse', async (request, reply) => {
    const timing = timings.get(request.raw);
    const ms = timing ? Number((process.hrtime.bigint() - timing.start) / NS_PER_MS) : 0;
    const bytes = (request.raw.socket?.bytesWritten ?? 0) - (timing?.bytesBefore ?? 0);
    const path = request.raw.url?.split('?')[0] ?? '';
    log(`${request.method} ${path} ${reply.statusCode} ${ms}ms ${bytes}B`);
  });
}
