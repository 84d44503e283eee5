import type { RequestHandler, Response } from 'express';
import type { Logger } from '../log.js';

/** What the OAI route tells the request log about its answer. */
export interface OaiLogFields {
  verb: string | null;
  /** Records, headers or sets in the answer. */
  items?: number;
  /** The OAI error codes, when the answer is errors. */
  errors?: string[];
}

/** Records what `/oai` answered, for the request's log line. */
export function noteOai(res: Response, fields: OaiLogFields): void {
  res.locals['oai'] = fields;
}

// A request id a client or proxy sends is kept if it is short and plain; otherwise one is made.
const GIVEN_ID = /^[\w.:-]{1,64}$/;

/**
 * One log line per request when its response is done: a request id (also sent back as
 * `X-Request-Id`), the method and path, the client, the status, the duration, and for `/oai` the
 * verb, the number of items and any error codes. A response the client broke off says so.
 */
export function requestLog(logger: Logger): RequestHandler {
  let counter = 0;
  const prefix = process.pid.toString(36);
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    // Taken now: a mounted router rewrites req.path while it handles the request.
    const pathname = req.path;
    const given = req.get('X-Request-Id');
    const id = given !== undefined && GIVEN_ID.test(given) ? given : `${prefix}-${(++counter).toString(36)}`;
    res.setHeader('X-Request-Id', id);
    // Below the info level no line is written, so nothing is timed or listened for.
    if (!logger.isLevelEnabled('info')) {
      next();
      return;
    }
    res.once('close', () => {
      const ms = Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100;
      const oai = res.locals['oai'] as OaiLogFields | undefined;
      logger.info(
        {
          req: id,
          method: req.method,
          path: pathname,
          client: req.ip,
          status: res.statusCode,
          ms,
          ...oai,
          ...(res.writableFinished ? {} : { aborted: true }),
        },
        'request',
      );
    });
    next();
  };
}
