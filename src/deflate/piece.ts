import zlib from 'node:zlib';
import { adler32, crc32 } from './checksums.js';

/**
 * UTF-8 text kept as raw deflate that ends on a byte boundary with no final block, so that pieces
 * compressed apart can be laid one after another inside one deflate stream. Its plain length and
 * checksums go with it: a gzip or zlib trailer is combined from them without inflating a byte.
 */
export class DeflatedText {
  constructor(
    /** Raw deflate, ended by a full flush. */
    readonly deflated: Uint8Array,
    /** Bytes of the plain UTF-8 text. */
    readonly length: number,
    readonly crc32: number,
    readonly adler32: number,
  ) {}
}

// zlib's default: at the sizes of a record's metadata, higher levels save under 1 % and cost as much time.
const LEVEL = 6;

/** Compresses text, or its UTF-8 bytes, into a piece that can be spliced into any deflate stream. */
export function deflateText(text: string | Buffer): DeflatedText {
  const plain = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  // A full flush, not a finish: no final block, the output ends byte-aligned, and nothing in it
  // refers back past its own start.
  const deflated = zlib.deflateRawSync(plain, { level: LEVEL, finishFlush: zlib.constants.Z_FULL_FLUSH });
  return new DeflatedText(deflated, plain.length, crc32(plain), adler32(plain));
}

/** The plain bytes of pieces laid end to end: one inflate for them all. */
export function inflatePieces(pieces: readonly DeflatedText[]): Buffer {
  const expected = pieces.reduce((n, p) => n + p.length, 0);
  const raw = pieces.length === 1 ? (pieces[0] as DeflatedText).deflated : Buffer.concat(pieces.map((p) => p.deflated));
  const plain = zlib.inflateRawSync(raw, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  // A stored piece that does not inflate to its recorded length is damage, not data.
  if (plain.length !== expected) throw new Error(`stored metadata inflated to ${plain.length} bytes, not ${expected}`);
  return plain;
}

/** The text of one piece. */
export function inflateText(piece: DeflatedText): string {
  return inflatePieces([piece]).toString('utf8');
}

/** Text kept both plain and compressed: a body takes whichever its coding needs, at no cost per request. */
export class PreparedText {
  readonly plain: Buffer;
  readonly deflated: DeflatedText;

  constructor(text: string) {
    this.plain = Buffer.from(text, 'utf8');
    this.deflated = deflateText(this.plain);
  }
}

/** Text as a whole raw deflate stream, for a column read only by this code: a long abstract, say. */
export function packText(text: string): Buffer {
  return zlib.deflateRawSync(Buffer.from(text, 'utf8'), { level: LEVEL });
}

/** The text `packText` packed. */
export function unpackText(packed: Uint8Array): string {
  return zlib.inflateRawSync(packed).toString('utf8');
}

/**
 * Stored text between a head and a tail that many texts share: a record's metadata, whose root
 * element's start tag (namespaces, schema locations) is the same in every record of a format and
 * is kept once, not compressed into each record. The head goes out as prepared bytes, plain or
 * compressed, and the body as stored; the plain text is the three laid end to end.
 */
export class FramedText {
  constructor(
    /** The shared start of the text, or null when the whole text is in the body. */
    readonly head: PreparedText | null,
    readonly body: DeflatedText,
    /** The shared end of the text: the root element's end tag, or ''. */
    readonly tail: string,
  ) {}

  /** The whole text's UTF-8 bytes. */
  plain(): Buffer {
    const body = inflatePieces([this.body]);
    if (this.head === null && this.tail === '') return body;
    return Buffer.concat([this.head?.plain ?? Buffer.alloc(0), body, Buffer.from(this.tail, 'utf8')]);
  }
}
