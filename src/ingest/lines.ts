/**
 * Reads a text file a chunk of whole lines at a time, synchronously (imports run inside
 * better-sqlite3 transactions, which cannot wait on a promise), so that a file of any size is read
 * in bounded memory. The checks are those of a file read whole: strict UTF-8, naming the first
 * line that is not, and a byte order mark at the start is dropped.
 */
import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import { SourceFormatError } from './errors.js';

/** Consecutive lines of a file, numbered from `first`, joined by `\n` (without `\r`). */
export interface LineChunk {
  /** The number of the chunk's first line, from 1. */
  first: number;
  /** How many lines `text` holds. */
  count: number;
  text: string;
  /**
   * The problem found right after the chunk's lines (bytes that are not UTF-8), to be reported
   * only once the lines before it are checked, so that the first problem of the file is the one named.
   */
  error?: SourceFormatError;
}

/** Bytes read at a time: several hundred lines of articles, few enough to stay small. */
const READ_BYTES = 1 << 20;

/**
 * The lines of decoded text that ends with `\n` or at the end of the file, as splitting at
 * `\r?\n` gives them: a `\r` before each `\n` dropped; the empty piece after a final `\n` is no line.
 */
function splitLines(text: string): string[] {
  const lines = text.split('\n');
  const last = lines.pop() as string;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.endsWith('\r')) lines[i] = line.slice(0, -1);
  }
  // Text that does not end with `\n` ends the file: its last line keeps what it ends with.
  if (last !== '') lines.push(last);
  return lines;
}

/** Lines a chunk of a JSON Lines file holds, unless asked otherwise: a few hundred articles, about a MiB. */
export const CHUNK_LINES = 256;

/**
 * Yields a file's lines in chunks of about `linesPerChunk` (always whole lines). Lines are
 * numbered as splitting the whole file at `\r?\n` numbers them. Throws SourceFormatError when
 * the file cannot be read; a line that is not UTF-8 ends the chunks with one carrying the error.
 */
export function* readLineChunks(file: string, name: string, linesPerChunk = CHUNK_LINES): Generator<LineChunk> {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    throw new SourceFormatError(name, 0, 'file', `cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  try {
    let buffer = Buffer.allocUnsafe(READ_BYTES);
    let held = 0;
    let eof = false;
    let atStart = true;
    const pending: string[] = [];
    let first = 1;
    const flush = (): LineChunk => {
      const chunk = { first, count: pending.length, text: pending.join('\n') };
      first += pending.length;
      pending.length = 0;
      return chunk;
    };
    while (!eof) {
      // A line longer than what is held so far: room for more of it.
      if (held === buffer.length) {
        const larger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(larger, 0, 0, held);
        buffer = larger;
      }
      let read: number;
      try {
        read = fs.readSync(fd, buffer, held, buffer.length - held, null);
      } catch (error) {
        throw new SourceFormatError(name, 0, 'file', `cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      }
      held += read;
      eof = read === 0;
      // Whole lines only, so that no character is cut in two (a UTF-8 sequence holds no 0x0a byte).
      const cut = eof ? held : buffer.lastIndexOf(0x0a, held - 1) + 1;
      if (cut === 0) continue;
      const bytes = buffer.subarray(0, cut);
      let lines: string[];
      let error: SourceFormatError | undefined;
      if (isUtf8(bytes)) {
        lines = splitLines(bytes.toString('utf8'));
      } else {
        const bad = firstBadLine(bytes);
        lines = splitLines(bytes.subarray(0, bad.start).toString('utf8'));
        error = new SourceFormatError(name, first + pending.length + bad.line, 'encoding', 'the file is not UTF-8 text');
      }
      if (atStart && lines.length > 0) {
        lines[0] = dropByteOrderMarks(lines[0] as string);
        atStart = false;
      }
      for (const line of lines) {
        pending.push(line);
        if (pending.length >= linesPerChunk && error === undefined) yield flush();
      }
      if (error !== undefined) {
        yield { ...flush(), error };
        return;
      }
      buffer.copy(buffer, 0, cut, held);
      held -= cut;
    }
    if (pending.length > 0) yield flush();
  } finally {
    fs.closeSync(fd);
  }
}

/** A file read whole drops its byte order mark (the decoder's) and one more, so this does too. */
function dropByteOrderMarks(text: string): string {
  let out = text;
  for (let i = 0; i < 2 && out.startsWith('\uFEFF'); i++) out = out.slice(1);
  return out;
}

/**
 * The first line of bytes that are not all UTF-8 (as a fatal TextDecoder reads it, checked several
 * times faster): its index from 0, and the byte offset where it starts. The last line, when no
 * line alone is at fault.
 */
export function firstBadLine(bytes: Uint8Array): { line: number; start: number } {
  let begin = 0;
  for (let line = 0; ; line++) {
    const end = bytes.indexOf(0x0a, begin);
    if (end === -1 || !isUtf8(bytes.subarray(begin, end))) return { line, start: begin };
    begin = end + 1;
  }
}
