import type { ServerResponse } from 'node:http';

/** Pieces are gathered up to this size before a write: fewer, larger writes to the socket and to gzip. */
export const WRITE_SIZE = 64 * 1024;

/**
 * Writes a body given in pieces and ends the response, one write behind, so that the last piece
 * goes with `end()`: a body of one piece is one write, sent with its length.
 */
export function writePieces(res: ServerResponse, pieces: Iterable<Buffer>): void {
  let previous: Buffer | null = null;
  for (const piece of pieces) {
    if (previous !== null) res.write(previous);
    previous = piece;
  }
  res.end(previous);
}

/** Resolves when the response can take more (`drain`) or will take no more (`close`). */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const onClose = () => resolve();
    res.once('close', onClose);
    res.once('drain', () => {
      res.removeListener('close', onClose);
      resolve();
    });
  });
}

/**
 * Writes a long body as the client takes it: the next piece is made only once the socket has room
 * for it, so a slow client holds a piece in memory, not the whole body. Stops when the client goes
 * away. The pieces must hold no store statement open between them.
 */
export async function streamPieces(res: ServerResponse, pieces: Iterable<string | Uint8Array>): Promise<void> {
  for (const piece of pieces) {
    if (res.destroyed) return;
    if (!res.write(piece)) await drained(res);
  }
  if (!res.destroyed) res.end();
}
