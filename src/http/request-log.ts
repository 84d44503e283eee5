import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { RequestHandler } from 'express';
import type { Logger } from '../log.js';

/**
 * One request's log line. Absent fields are left undefined, which the logger leaves out: every
 * line has the same shape, and `/oai` adds the verb, the number of items and any error codes.
 */
export interface RequestLine {
  req: string;
  method: string | undefined;
  path: string;
  client: string | undefined;
  status: number;
  ms: number;
  verb?: string | null | undefined;
  /** Records, headers or sets in an OAI answer. */
  items?: number | undefined;
  /** The OAI error codes, when the answer is errors. */
  errors?: string[] | undefined;
  /** The client broke the response off. */
  aborted?: true | undefined;
}

// A request id a client or proxy sends is kept if it is short and plain; otherwise one is made.
const GIVEN_ID = /^[\w.:-]{1,64}$/;

/** Milliseconds since `started` (a `performance.now()`), to the hundredth. */
export function elapsedMs(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}

/**
 * The request log: one line per request when its response is done, with a request id (also sent
 * back as `X-Request-Id`), the method and path, the client, the status and the duration. `/oai`
 * and the Express app share one, so ids are unique across both.
 */
export class RequestLog {
  #counter = 0;
  readonly #prefix = process.pid.toString(36);

  constructor(private readonly logger: Logger) {}

  /** Whether lines are written at all: below the info level nothing is timed or listened for. */
  get on(): boolean {
    return this.logger.isLevelEnabled('info');
  }

  /** The request's id: the one it came with, when that is short and plain, or a new one. */
  idOf(req: IncomingMessage): string {
    const given = req.headers['x-request-id'];
    return typeof given === 'string' && GIVEN_ID.test(given) ? given : `${this.#prefix}-${(++this.#counter).toString(36)}`;
  }

  /** Writes one request's line. */
  write(line: RequestLine): void {
    this.logger.info(line, 'request');
  }
}

/** The request log as Express middleware, for every path but `/oai`, which logs its requests itself. */
export function requestLog(log: RequestLog): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    // Taken now: a mounted router rewrites req.path while it handles the request.
    const path = req.path;
    const id = log.idOf(req);
    res.setHeader('X-Request-Id', id);
    if (!log.on) {
      next();
      return;
    }
    res.once('close', () => {
      const aborted = res.writableFinished ? undefined : true;
      log.write({ req: id, method: req.method, path, client: req.ip, status: res.statusCode, ms: elapsedMs(started), aborted });
    });
    next();
  };
}
