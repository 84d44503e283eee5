import type { RequestHandler, Response } from 'express';

/** Per-client limits; 0 switches a limit off. */
export interface FlowLimits {
  /** Responses in progress at once for one client. */
  concurrent: number;
  /** Requests per second for one client, with bursts of up to a second's worth. */
  ratePerSecond: number;
}

interface Client {
  active: number;
  /** Requests the client may still make now: a token bucket refilled at `ratePerSecond`. */
  tokens: number;
  at: number;
}

// Clients idle with a full bucket are forgotten once this many are tracked.
const SWEEP_AT = 10_000;

/** 503 with the whole seconds to wait, as OAI-PMH flow control has it (§3.1.2.2). */
function busy(res: Response, seconds: number, why: string): void {
  res
    .status(503)
    .set({ 'Retry-After': String(Math.max(1, seconds)), 'Cache-Control': 'no-store' })
    .type('text/plain')
    .send(`Too many ${why} from this client; retry after ${Math.max(1, seconds)} s.\n`);
}

/**
 * Flow control per client (its address, as `trust proxy` makes it): more responses in progress
 * at once, or a faster rate, than the limits allow gets 503 with `Retry-After`. Refusing costs
 * next to nothing, so a client that ignores it cannot slow the others down; one that waits as
 * told completes its harvest. A single harvester that waits for each page never meets the
 * concurrency limit.
 */
export function flowControl(limits: FlowLimits, now: () => number = Date.now): RequestHandler {
  const clients = new Map<string, Client>();
  const refill = (client: Client, at: number) => {
    client.tokens = Math.min(limits.ratePerSecond, client.tokens + ((at - client.at) / 1000) * limits.ratePerSecond);
    client.at = at;
  };
  const sweep = (at: number) => {
    for (const [key, client] of clients) {
      refill(client, at);
      if (client.active === 0 && client.tokens >= limits.ratePerSecond) clients.delete(key);
    }
  };
  return (req, res, next) => {
    if (limits.concurrent <= 0 && limits.ratePerSecond <= 0) {
      next();
      return;
    }
    const at = now();
    const key = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    let client = clients.get(key);
    if (client === undefined) {
      if (clients.size >= SWEEP_AT) sweep(at);
      client = { active: 0, tokens: limits.ratePerSecond, at };
      clients.set(key, client);
    }
    refill(client, at);
    if (limits.concurrent > 0 && client.active >= limits.concurrent) {
      busy(res, 1, 'requests at once');
      return;
    }
    if (limits.ratePerSecond > 0) {
      if (client.tokens < 1) {
        busy(res, Math.ceil((1 - client.tokens) / limits.ratePerSecond), 'requests per second');
        return;
      }
      client.tokens -= 1;
    }
    client.active += 1;
    const tracked = client;
    res.once('close', () => {
      tracked.active -= 1;
    });
    next();
  };
}
