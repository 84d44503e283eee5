import type { RequestHandler } from 'express';
import { requestEvent } from './event.js';
import type { ActivityRecorder } from './recorder.js';

/**
 * Records every `/oai` request once its response is done or broken off. The request path only
 * gains a `close` listener; the event is built after the last byte went out (or the client left)
 * and handed to the recorder, which writes it later.
 */
export function recordActivity(recorder: ActivityRecorder): RequestHandler {
  return (req, res, next) => {
    // Taken here: a mounted router rewrites req.path while it handles the request.
    if (req.path === '/oai' || req.path === '/oai/') {
      // Read now: once a client has gone, its socket no longer knows the peer's address.
      const address = req.ip ?? req.socket.remoteAddress;
      // Whole means 'finish' came with the socket unharmed: when a client resets the connection
      // mid-answer, Node still emits 'finish' (and writableFinished reads true) as it drops what
      // was queued, but the socket then holds the error.
      const socket = req.socket;
      let finished = false;
      res.once('finish', () => (finished = socket.errored === null));
      res.once('close', () => recorder.record(requestEvent(req, res, { address, finished }, recorder.now())));
    }
    next();
  };
}
