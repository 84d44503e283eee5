import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { sendText } from './text-answer.js';

/** Per-client limits; 0 switches a limit off. */
export interface FlowLimits {
  /** Responses in progress at once for one client. */
  concurrent: number;
  /** Requests per second for one client, with bursts of up to a second's worth. */
  ratePerSecond: number;
}

/** One client's place: what an admitted request gives back with `release` when its response closes. */
export interface FlowSlot {
  active: number;
  /** Requests the client may still make now: a token bucket refilled at `ratePerSecond`. */
  tokens: number;
  at: number;
}

// Clients idle with a full bucket are forgotten once this many are tracked.
const SWEEP_AT = 10_000;

/** 503 with the whole seconds to wait, as OAI-PMH flow control has it (§3.1.2.2). */
function busy(res: ServerResponse, seconds: number, why: string): void {
  const wait = String(Math.max(1, seconds));
  res.setHeader('Retry-After', wait);
  res.setHeader('Cache-Control', 'no-store');
  sendText(res, 503, `Too many ${why} from this client; retry after ${wait} s.\n`);
}

/**
 * Flow control per client (its address, as `trust proxy` makes it): more responses in progress
 * at once, or a faster rate, than the limits allow gets 503 with `Retry-After`. Refusing costs
 * next to nothing, so a client that ignores it cannot slow the others down; one that waits as
 * told completes its harvest. A single harvester that waits for each page never meets the
 * concurrency limit. One instance serves `/oai` and the rest of the app alike, so a client's
 * requests count together whichever path they ask for.
 */
export class FlowControl {
  readonly #clients = new Map<string, FlowSlot>();

  constructor(
    private readonly limits: FlowLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether any limit is on; when none is, requests need not be admitted at all. */
  get on(): boolean {
    return this.limits.concurrent > 0 || this.limits.ratePerSecond > 0;
  }

  /**
   * Admits a request from the client `key`, or answers it with 503 and returns null. An admitted
   * request holds its place until `release` is given what this returned, when its response closes.
   */
  admit(key: string, res: ServerResponse): FlowSlot | null {
    const { concurrent, ratePerSecond } = this.limits;
    const at = this.now();
    let client = this.#clients.get(key);
    if (client === undefined) {
      if (this.#clients.size >= SWEEP_AT) this.#sweep(at);
      client = { active: 0, tokens: ratePerSecond, at };
      this.#clients.set(key, client);
    }
    this.#refill(client, at);
    if (concurrent > 0 && client.active >= concurrent) {
      busy(res, 1, 'requests at once');
      return null;
    }
    if (ratePerSecond > 0) {
      if (client.tokens < 1) {
        busy(res, Math.ceil((1 - client.tokens) / ratePerSecond), 'requests per second');
        return null;
      }
      client.tokens -= 1;
    }
    client.active += 1;
    return client;
  }

  /** Gives back the place of an admitted request whose response has closed. */
  release(slot: FlowSlot): void {
    slot.active -= 1;
  }

  #refill(client: FlowSlot, at: number): void {
    const rate = this.limits.ratePerSecond;
    client.tokens = Math.min(rate, client.tokens + ((at - client.at) / 1000) * rate);
    client.at = at;
  }

  #sweep(at: number): void {
    for (const [key, client] of this.#clients) {
      this.#refill(client, at);
      if (client.active === 0 && client.tokens >= this.limits.ratePerSecond) this.#clients.delete(key);
    }
  }
}

/** Flow control as Express middleware, for every path but `/oai`, which admits its requests itself. */
export function flowControl(flow: FlowControl): RequestHandler {
  return (req, res, next) => {
    if (!flow.on) {
      next();
      return;
    }
    const slot = flow.admit(req.ip ?? req.socket.remoteAddress ?? 'unknown', res);
    if (slot === null) return;
    res.once('close', () => flow.release(slot));
    next();
  };
}
