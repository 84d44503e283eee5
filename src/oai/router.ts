import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import bodyParser from 'body-parser';
import Negotiator from 'negotiator';
import { requestEvent, type SeenRequest } from '../activity/event.js';
import type { ActivityRecorder } from '../activity/recorder.js';
import { encodeBody, type Coding } from '../deflate/body.js';
import type { FlowControl, FlowSlot } from '../http/flow-control.js';
import { elapsedMs, type RequestLog } from '../http/request-log.js';
import { setSecurityHeaders } from '../http/security-headers.js';
import { sendText } from '../http/text-answer.js';
import { WRITE_SIZE, writePieces } from '../http/write-pieces.js';
import type { OaiContext } from './context.js';
import { oaiError } from './errors.js';
import { refuseOai } from './handle.js';
import { PreparedAnswers } from './prepared.js';
import type { OaiResponse, VerbResult } from './result.js';
import { xmlChunks, type XmlChunk } from './write-xml.js';

/** Content codings `/oai` answers in, as Identify advertises them. */
export const COMPRESSION = ['gzip', 'deflate'];

const FORM = 'application/x-www-form-urlencoded';
/** The largest POST body read; a larger one gets 413. No valid request comes near it. */
export const POST_LIMIT = '64kb';

/**
 * The path of a request target that names the OAI endpoint, or null. Express matched `/oai`,
 * `/oai/` and `/oai//`, in any case, and read an absolute-form target (`http://host/oai`, from a
 * proxy) by its path; so does this, without parsing the URL of every request.
 */
export function oaiPathOf(url: string): string | null {
  let start = 0;
  if (url.charCodeAt(0) !== 0x2f) {
    const origin = /^[a-z][a-z\d+.-]*:\/\/[^/?#]*/i.exec(url);
    if (origin === null) return null;
    start = origin[0].length;
  }
  let end = start;
  while (end < url.length && end - start <= 6) {
    const c = url.charCodeAt(end);
    if (c === 0x3f || c === 0x23) break; // ? or #
    end++;
  }
  const length = end - start;
  if (length < 4 || length > 6) return null;
  // '/' then o, a, i in either case (a letter's case is its 0x20 bit), then at most two '/'.
  if (url.charCodeAt(start) !== 0x2f) return null;
  if ((url.charCodeAt(start + 1) | 0x20) !== 0x6f || (url.charCodeAt(start + 2) | 0x20) !== 0x61 || (url.charCodeAt(start + 3) | 0x20) !== 0x69) return null;
  for (let i = start + 4; i < end; i++) if (url.charCodeAt(i) !== 0x2f) return null;
  return url.slice(start, end);
}

/** The query string of a request target, as it came. */
function queryOf(url: string): string {
  const at = url.indexOf('?');
  return at === -1 ? '' : url.slice(at + 1);
}

const OFFERED = [...COMPRESSION, 'identity'];
// Harvesters send few distinct Accept-Encoding values, so each is negotiated once; the cache is
// bounded, and a long value is not kept, so odd clients cannot grow it.
const CHOSEN_MAX = 64;
const chosenCodings = new Map<string, Coding>();

/**
 * The content coding the client prefers among those Identify advertises, with q-values read as
 * Express's `req.acceptsEncodings` reads them (the same negotiator); none asked for, none used.
 */
export function codingOf(acceptEncoding: string | undefined): Coding {
  if (acceptEncoding === undefined) return 'identity';
  let coding = chosenCodings.get(acceptEncoding);
  if (coding === undefined) {
    const best = new Negotiator({ headers: { 'accept-encoding': acceptEncoding } }).encodings(OFFERED)[0];
    coding = best === 'gzip' || best === 'deflate' ? best : 'identity';
    if (acceptEncoding.length <= 200) {
      if (chosenCodings.size >= CHOSEN_MAX) chosenCodings.clear();
      chosenCodings.set(acceptEncoding, coding);
    }
  }
  return coding;
}

/** What the `/oai` endpoint shares with the rest of the app. */
export interface OaiEndpointOptions {
  log: RequestLog;
  flow: FlowControl;
  /** The client's address, as `trust proxy` makes it. */
  clientOf: (req: IncomingMessage) => string | undefined;
  /** Where requests are recorded for `/activity`; null records none. */
  activity: ActivityRecorder | null;
  /**
   * Answers a failure as the rest of the app does (a plain error page, never a stack trace), or
   * cuts the connection when part of the answer is already out.
   */
  fail: (error: unknown, req: IncomingMessage, res: ServerResponse) => void;
}

/**
 * One `/oai` request while it is alive: what its log line and its activity record need once the
 * response closes. It is the only object the endpoint adds to a request, and its listeners are
 * shared by all requests (they find it on the response), so a request costs no closures.
 */
class Exchange implements SeenRequest {
  response: OaiResponse | undefined = undefined;
  slot: FlowSlot | null = null;
  finished = false;

  constructor(
    readonly req: IncomingMessage,
    readonly id: string,
    readonly path: string,
    readonly address: string | undefined,
    /** Kept: once the response is done, it may no longer name its socket. */
    readonly socket: Socket,
    /** When the request came (`performance.now()`), or -1 when no log line is written for it. */
    readonly started: number,
  ) {}
}

const EXCHANGE = Symbol('oai exchange');
type Watched = ServerResponse & { [EXCHANGE]?: Exchange };

/**
 * `/oai` over GET, HEAD and POST (§3.1.1), as a bare `node:http` handler that runs ahead of
 * Express: each answer goes through no router or middleware, only what it needs. It sets the
 * same headers, logs the same line, applies the same flow control and records the same activity
 * as the rest of the app, through the objects it shares with it. Every answer, errors included,
 * is `text/xml` with status 200: OAI errors are protocol answers, not HTTP failures.
 */
export function oaiEndpoint(ctx: OaiContext, options: OaiEndpointOptions): (req: IncomingMessage, res: ServerResponse, path: string) => void {
  const { log, flow, clientOf, activity, fail } = options;
  const prepared = new PreparedAnswers(ctx);
  const readForm = bodyParser.text({ type: FORM, limit: POST_LIMIT });

  // Whole means 'finish' came with the socket unharmed: when a client resets the connection
  // mid-answer, Node still emits 'finish' (and writableFinished reads true) as it drops what was
  // queued, but the socket then holds the error.
  function onFinish(this: Watched): void {
    const exchange = this[EXCHANGE];
    if (exchange !== undefined) exchange.finished = exchange.socket.errored === null;
  }

  // After the last byte went out, or the client left: the place is given back, the line written,
  // and the event handed to the recorder, which writes it later, off the request path.
  function onClose(this: Watched): void {
    const exchange = this[EXCHANGE];
    if (exchange === undefined) return;
    if (exchange.slot !== null) flow.release(exchange.slot);
    if (exchange.started >= 0) {
      // What the answer was, for `/oai` lines: the verb, and its items or its error codes.
      const response = exchange.response;
      let verb: string | null | undefined;
      let items: number | undefined;
      let errors: string[] | undefined;
      if (response !== undefined) {
        const body = response.body;
        if (body.verb === null) {
          verb = response.args?.['verb'] ?? null;
          errors = body.errors.map((e) => e.code);
        } else {
          verb = body.verb;
          items = itemsOf(body);
        }
      }
      const aborted = this.writableFinished ? undefined : true;
      log.write({ req: exchange.id, method: exchange.req.method, path: exchange.path, client: exchange.address, status: this.statusCode, ms: elapsedMs(exchange.started), verb, items, errors, aborted });
    }
    if (activity !== null) activity.record(requestEvent(exchange.req, this, exchange, activity.now()));
  }

  const failed = (error: unknown, req: IncomingMessage, res: ServerResponse): void => {
    // An error page is not compressed, whatever the answer it replaces was to be.
    if (!res.headersSent) res.removeHeader('Content-Encoding');
    fail(error, req, res);
  };

  /**
   * Writes a response as it is produced: a list's rows are read from the store as the XML goes
   * out, so memory holds one write's worth of it, not the whole page. A failure after the first
   * write cannot become an OAI error any more; the connection is then cut, so a harvester sees a
   * broken transfer rather than a page that looks complete.
   */
  const stream = (req: IncomingMessage, res: ServerResponse, exchange: Exchange, response: OaiResponse, chunks: Iterable<XmlChunk> = xmlChunks(response)): void => {
    exchange.response = response;
    res.statusCode = 200;
    res.setHeader('Content-Type', 'text/xml; charset=UTF-8');
    res.setHeader('Cache-Control', 'no-store');
    // The body is compressed here: stored metadata is spliced in compressed.
    const coding = codingOf(req.headers['accept-encoding']);
    res.setHeader('Vary', 'Accept-Encoding');
    if (coding !== 'identity') res.setHeader('Content-Encoding', coding);
    writePieces(res, encodeBody(chunks, coding, WRITE_SIZE));
  };

  // The arguments are form-encoded in a GET's query string and in a POST's body alike (§3.1.1).
  const answer = (req: IncomingMessage, res: ServerResponse, exchange: Exchange, args: string): void => {
    try {
      const { response, chunks } = prepared.answer(args, [...new URLSearchParams(args)]);
      stream(req, res, exchange, response, chunks);
    } catch (error) {
      failed(error, req, res);
    }
  };

  const post = (req: IncomingMessage, res: ServerResponse, exchange: Exchange): void => {
    readForm(req, res, (error?: unknown) => {
      if (error !== undefined && error !== null) {
        failed(error, req, res);
        return;
      }
      // The body parser reads a body only when it is form-encoded (§3.1.1.2); any other body is not
      // read as arguments.
      const body = (req as IncomingMessage & { body?: unknown }).body;
      if (typeof body === 'string') {
        answer(req, res, exchange, body);
        return;
      }
      try {
        const type = req.headers['content-type'] ?? 'none';
        stream(req, res, exchange, refuseOai(ctx, oaiError('badArgument', `A POST request must be ${FORM}, not ${type}.`)));
      } catch (error) {
        failed(error, req, res);
      }
    });
  };

  return (req, res, path) => {
    setSecurityHeaders(res);
    const id = log.idOf(req);
    res.setHeader('X-Request-Id', id);
    const address = clientOf(req);
    const exchange = new Exchange(req, id, path, address, req.socket, log.on ? performance.now() : -1);
    if (exchange.started >= 0 || activity !== null || flow.on) {
      (res as Watched)[EXCHANGE] = exchange;
      if (activity !== null) res.on('finish', onFinish);
      res.on('close', onClose);
    }
    if (flow.on) {
      exchange.slot = flow.admit(address ?? req.socket.remoteAddress ?? 'unknown', res);
      if (exchange.slot === null) return;
    }
    switch (req.method) {
      case 'GET':
      case 'HEAD':
        answer(req, res, exchange, queryOf(req.url ?? ''));
        return;
      case 'POST':
        post(req, res, exchange);
        return;
      default:
        res.setHeader('Allow', 'GET, HEAD, POST');
        sendText(res, 405, 'OAI-PMH requests use GET or POST.\n');
    }
  };
}

/** Records, headers or sets in an answer, for the log line; none for the other verbs. */
function itemsOf(body: VerbResult): number | undefined {
  switch (body.verb) {
    case 'ListRecords':
    case 'ListIdentifiers':
      return body.size;
    case 'ListSets':
      return body.sets.length;
    case 'GetRecord':
      return 1;
    default:
      return undefined;
  }
}
