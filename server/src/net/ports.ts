/**
 * TCP port helpers: a free port for tests, and a clear error before we start
 * something on a port that is already taken.
 */
import net from 'node:net';

import { ServerError } from '../serverError';

/** Loopback address every local service of ours binds to. */
export const LOOPBACK = '127.0.0.1';

function listenOnce(port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port, host, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : port;
      server.close(() => resolve(bound));
    });
  });
}

/**
 * A port that was free a moment ago on loopback (the system picks it). Another
 * process may still take it before the caller binds it; good enough for tests.
 */
export function findFreePort(host: string = LOOPBACK): Promise<number> {
  return listenOnce(0, host);
}

/**
 * Throws a `port-in-use` error naming the port, what wanted it and the setting
 * that changes it, when the port cannot be bound.
 * @throws {ServerError} `port-in-use`
 */
export async function assertPortFree(
  port: number,
  what: string,
  setting: string,
  host: string = LOOPBACK,
): Promise<void> {
  try {
    await listenOnce(port, host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'EADDRINUSE' ? 'is already in use' : `cannot be bound (${code})`;
    throw new ServerError(
      'port-in-use',
      `Port ${port} on ${host} ${reason}: ${what} needs it. ` +
        `Stop the program that holds it or choose another port with ${setting}.`,
      { cause: error },
    );
  }
}
