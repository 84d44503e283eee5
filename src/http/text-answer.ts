import type { ServerResponse } from 'node:http';

/**
 * Ends a response with a short plain-text body, with the headers Express's `res.type('text/plain').send()`
 * gives it; headers set before (Allow, Retry-After) stay, ahead of these.
 */
export function sendText(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  // Node sends no body for HEAD, and keeps the length.
  res.end(text);
}
