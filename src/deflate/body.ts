import zlib from 'node:zlib';
import { adler32, adler32Combine, crc32, crc32Combine } from './checksums.js';
import { DeflatedText, FramedText, inflatePieces, PreparedText } from './piece.js';

/** A piece of a body: text, UTF-8 bytes, stored compressed text (framed or not), or text prepared both ways. */
export type BodyChunk = string | Uint8Array | DeflatedText | FramedText | PreparedText;

/** How a body goes out: as it is, or in one of the content codings HTTP names. */
export type Coding = 'identity' | 'gzip' | 'deflate';

type Segment = Buffer | DeflatedText;

/** Pieces grouped into batches of about `size` plain bytes, adjacent text joined. */
function* batches(chunks: Iterable<BodyChunk>, size: number, compressed: boolean): Generator<Segment[], void, undefined> {
  let batch: Segment[] = [];
  let text = '';
  let length = 0;
  const endText = () => {
    if (text !== '') batch.push(Buffer.from(text, 'utf8'));
    text = '';
  };
  const add = (given: Exclude<BodyChunk, FramedText>) => {
    const chunk = given instanceof PreparedText ? (compressed ? given.deflated : given.plain) : given;
    if (typeof chunk === 'string') {
      text += chunk;
      length += chunk.length;
    } else if (chunk instanceof DeflatedText) {
      endText();
      batch.push(chunk);
      length += chunk.length;
    } else {
      endText();
      batch.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      length += chunk.byteLength;
    }
  };
  for (const given of chunks) {
    if (given instanceof FramedText) {
      // A shared head goes out as prepared bytes (compressed once per process), the body as stored.
      if (given.head !== null) add(given.head);
      add(given.body);
      if (given.tail !== '') add(given.tail);
    } else {
      add(given);
    }
    if (length >= size) {
      endText();
      yield batch;
      batch = [];
      length = 0;
    }
  }
  endText();
  yield batch;
}

/** A batch as plain bytes: its stored pieces inflated in one call, and put back in place. */
function plainBatch(batch: Segment[]): Buffer {
  const pieces = batch.filter((s): s is DeflatedText => s instanceof DeflatedText);
  if (pieces.length === 0) return batch.length === 1 ? (batch[0] as Buffer) : Buffer.concat(batch as Buffer[]);
  const inflated = inflatePieces(pieces);
  const parts: Buffer[] = [];
  let at = 0;
  for (const s of batch) {
    if (s instanceof DeflatedText) {
      parts.push(inflated.subarray(at, at + s.length));
      at += s.length;
    } else {
      parts.push(s);
    }
  }
  return Buffer.concat(parts);
}

// Text shorter than this goes into stored (uncompressed) blocks: a record's header between two
// stored pieces compresses too little to be worth a compressor's start-up.
const COMPRESS_FROM = 1024;
const STORED_MAX = 0xffff;

/** Plain bytes as raw deflate that ends byte-aligned with no final block. */
function rawDeflate(plain: Buffer): Buffer {
  if (plain.length >= COMPRESS_FROM) return zlib.deflateRawSync(plain, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  // Stored blocks (RFC 1951 §3.2.4): a zero header byte, as the stream is byte-aligned here, then
  // LEN and its complement, then the bytes.
  const parts: Buffer[] = [];
  for (let at = 0; at < plain.length; at += STORED_MAX) {
    const bytes = plain.subarray(at, at + STORED_MAX);
    const head = Buffer.alloc(5);
    head.writeUInt16LE(bytes.length, 1);
    head.writeUInt16LE(~bytes.length & 0xffff, 3);
    parts.push(head, bytes);
  }
  return Buffer.concat(parts);
}

// An empty final block with fixed Huffman codes: it ends the deflate stream.
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);
// ID1 ID2 CM=deflate FLG=0 MTIME=0 XFL=0 OS=unknown (RFC 1952).
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff]);
// CMF: deflate, 32 KiB window; FLG: default level, check bits (RFC 1950).
const ZLIB_HEADER = Buffer.from([0x78, 0x9c]);

/** The running state of a compressed body: checksums and length of what went in so far. */
class Compressed {
  private crc = 0;
  private adler = 1;
  private total = 0;

  constructor(private readonly coding: 'gzip' | 'deflate') {}

  header(): Buffer {
    return this.coding === 'gzip' ? GZIP_HEADER : ZLIB_HEADER;
  }

  /** A batch as raw deflate: stored pieces copied as they are, text compressed or stored. */
  batch(batch: Segment[]): Buffer {
    const parts: Buffer[] = [];
    for (const s of batch) {
      if (s instanceof DeflatedText) {
        parts.push(Buffer.from(s.deflated.buffer, s.deflated.byteOffset, s.deflated.byteLength));
        if (this.coding === 'gzip') this.crc = crc32Combine(this.crc, s.crc32, s.length);
        else this.adler = adler32Combine(this.adler, s.adler32, s.length);
        this.total += s.length;
      } else if (s.length > 0) {
        parts.push(rawDeflate(s));
        if (this.coding === 'gzip') this.crc = crc32(s, this.crc);
        else this.adler = adler32(s, this.adler);
        this.total += s.length;
      }
    }
    return Buffer.concat(parts);
  }

  trailer(): Buffer {
    if (this.coding === 'deflate') {
      const check = Buffer.alloc(4);
      check.writeUInt32BE(this.adler);
      return Buffer.concat([FINAL_BLOCK, check]);
    }
    const end = Buffer.alloc(8);
    end.writeUInt32LE(this.crc);
    // ISIZE is the length modulo 2^32.
    end.writeUInt32LE(this.total % 0x100000000, 4);
    return Buffer.concat([FINAL_BLOCK, end]);
  }
}

/**
 * A body in the given coding, as buffers of about `size` plain bytes each. Compressed text that
 * the store keeps is spliced in as it is: a compressed body costs no compression of the
 * metadata, and a plain one one inflate per buffer. The first buffer carries the header and the
 * last the trailer, so a body of one batch is one buffer.
 */
export function* encodeBody(chunks: Iterable<BodyChunk>, coding: Coding, size: number): Generator<Buffer, void, undefined> {
  if (coding === 'identity') {
    for (const batch of batches(chunks, size, false)) yield plainBatch(batch);
    return;
  }
  const state = new Compressed(coding);
  // One batch behind, so that the trailer joins the last batch rather than follow it alone.
  let pending: Buffer = state.header();
  let first = true;
  for (const batch of batches(chunks, size, true)) {
    const raw = state.batch(batch);
    if (first) {
      pending = Buffer.concat([pending, raw]);
      first = false;
      continue;
    }
    yield pending;
    pending = raw;
  }
  yield Buffer.concat([pending, state.trailer()]);
}
