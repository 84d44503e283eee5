import type { ServerResponse } from 'node:http';
import { streamPieces } from '../http/write-pieces.js';

/**
 * Text is written in runs of about this many characters: a sitemap part or a Resource List part
 * is megabytes, made of entries of a few hundred characters, and a run gathers some forty of
 * them. A run is held until it is written, so it is kept short enough to die young (see
 * READ_CHUNK); runs of 65,536 outlived two scavenges of a 1 MiB young generation.
 */
export const RUN_CHARS = 16 * 1024;

/**
 * The pieces of a body with adjacent texts joined into runs of about `size` characters; bytes
 * pass as they are, in their place.
 */
export function* runs(pieces: Iterable<string | Uint8Array>, size: number = RUN_CHARS): Generator<string | Uint8Array, void, undefined> {
  let text = '';
  for (const piece of pieces) {
    if (typeof piece === 'string') {
      text += piece;
      if (text.length < size) continue;
      yield text;
    } else {
      if (text !== '') yield text;
      yield piece;
    }
    text = '';
  }
  if (text !== '') yield text;
}

/** A body whole, as UTF-8 buffers of about `RUN_CHARS` characters each: for a document that must be read to its end before its head is written. */
export function bodyBuffers(pieces: Iterable<string | Uint8Array>): Buffer[] {
  return [...runs(pieces)].map((run) => (typeof run === 'string' ? Buffer.from(run, 'utf8') : Buffer.from(run.buffer, run.byteOffset, run.byteLength)));
}

/**
 * Writes a body as the client takes it and ends the response: the next run is made only once the
 * socket has room for it, and stops when the client goes away. Text goes to the socket as text:
 * Node encodes it into memory of its own that is freed as soon as the write is done, whereas a
 * Buffer made here would stay allocated until the garbage collector found it, and a list of
 * megabytes would leave that much behind. The pieces must hold no store statement open between
 * them.
 */
export function writeBody(res: ServerResponse, pieces: Iterable<string | Uint8Array>): Promise<void> {
  return streamPieces(res, runs(pieces));
}
