import { createServer } from 'node:net';

/** below the kernel's ephemeral range (32768–60999 here) and above the well-known ports */
const LOWEST = 20_000;
const HIGHEST = 32_767;

function tryListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A free TCP port on 127.0.0.1, for a server a test starts (or stops and starts again) itself.
 * Never one of the kernel's ephemeral ports: a client retrying a port in that range while
 * nothing listens there can be given that very port as its own source port and connect to
 * itself, and the server starting next then fails with EADDRINUSE (ENVIRONMENT.md).
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = LOWEST + Math.floor(Math.random() * (HIGHEST - LOWEST + 1));
    if (await tryListen(port)) return port;
  }
  throw new Error(`no free port between ${LOWEST} and ${HIGHEST}`);
}
