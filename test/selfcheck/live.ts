import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll } from 'vitest';
import { makeServer, type TestServer } from '../support/app.js';

/** The real app on a real loopback port, with every request it received. */
export interface LiveServer extends TestServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** `METHOD /path?query` of each request, in order. */
  requests: string[];
}

const listeners: http.Server[] = [];
afterAll(async () => {
  for (const listener of listeners.splice(0)) {
    listener.closeAllConnections();
    await new Promise<void>((resolve) => listener.close(() => resolve()));
  }
});

/**
 * Listens on a free loopback port first, so that the configuration can name it (PUBLIC_URL), then
 * serves the app built by makeServer on a fresh seeded database: the self-check reaches it over
 * real HTTP, as it would reach a deployment.
 */
export async function startLive(env: (origin: string) => Record<string, string>): Promise<LiveServer> {
  const listener = http.createServer();
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  listeners.push(listener);
  const origin = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  const server = makeServer(env(origin));
  const requests: string[] = [];
  listener.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    requests.push(`${req.method ?? ''} ${req.url ?? ''}`);
    server.app(req, res);
  });
  return { ...server, origin, requests };
}

/** Waits until `ready()` holds, checking every 20 ms, for at most `ms`. */
export async function waitFor(ready: () => boolean, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
