import { execFileSync } from 'node:child_process';
import zlib from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeBody, type BodyChunk } from '../../src/deflate/body.js';
import { adler32, adler32Combine, crc32, crc32Combine } from '../../src/deflate/checksums.js';
import { DeflatedText, deflateText, FramedText, inflatePieces, PreparedText } from '../../src/deflate/piece.js';

const bytes = fc.uint8Array({ maxLength: 3000 });

describe('checksums combined from pieces', () => {
  it('CRC-32 of A then B is crc32Combine of their CRCs', () => {
    fc.assert(
      fc.property(bytes, bytes, (a, b) => {
        expect(crc32Combine(crc32(a), crc32(b), b.length)).toBe(crc32(Buffer.concat([a, b])));
      }),
    );
  });

  it('Adler-32 of A then B is adler32Combine of theirs, and adler32 is zlib’s', () => {
    fc.assert(
      fc.property(bytes, bytes, (a, b) => {
        const whole = Buffer.concat([a, b]);
        expect(adler32Combine(adler32(a), adler32(b), b.length)).toBe(adler32(whole));
        // zlib's own Adler-32 is the last four bytes of its stream, big-endian.
        expect(adler32(whole)).toBe(zlib.deflateSync(whole).readUInt32BE(zlib.deflateSync(whole).length - 4));
      }),
    );
  });

  it('holds for long runs, where the lengths pass 2^16 and the sums wrap', () => {
    const big = Buffer.alloc(300_000, 0xff);
    const small = Buffer.from('پایان', 'utf8');
    expect(crc32Combine(crc32(big), crc32(small), small.length)).toBe(crc32(Buffer.concat([big, small])));
    expect(adler32Combine(adler32(small), adler32(big), big.length)).toBe(adler32(Buffer.concat([small, big])));
  });
});

// Text, bytes and stored pieces in any order: what a response is made of.
const text = fc.oneof(fc.string({ maxLength: 2000 }), fc.string({ unit: 'grapheme', maxLength: 400 }), fc.constant('سلام، دنیا — ی ک'));
const chunk: fc.Arbitrary<BodyChunk> = fc.oneof(
  text,
  text.map((t) => Buffer.from(t, 'utf8')),
  text.filter((t) => t !== '').map((t) => deflateText(t)),
  text.filter((t) => t !== '').map((t) => new PreparedText(t)),
  // Stored metadata: a shared head (or none), its compressed body, a shared tail (or none).
  fc
    .tuple(fc.option(text.filter((t) => t !== '')), text.filter((t) => t !== ''), fc.constantFrom('', '</root>'))
    .map(([head, body, tail]) => new FramedText(head === null ? null : new PreparedText(head), deflateText(body), tail)),
);
const plainOf = (chunks: BodyChunk[]) =>
  Buffer.concat(
    chunks.map((c) =>
      typeof c === 'string'
        ? Buffer.from(c, 'utf8')
        : c instanceof DeflatedText
          ? inflatePieces([c])
          : c instanceof PreparedText
            ? c.plain
            : c instanceof FramedText
              ? c.plain()
              : Buffer.from(c),
    ),
  );
const sizes = fc.constantFrom(16, 1024, 64 * 1024);

describe('a body spliced from stored pieces', () => {
  it('is, in every coding, the plain body once decoded', () => {
    fc.assert(
      fc.property(fc.array(chunk, { maxLength: 30 }), sizes, (chunks, size) => {
        const plain = plainOf(chunks);
        expect(Buffer.concat([...encodeBody(chunks, 'identity', size)]).equals(plain)).toBe(true);
        expect(zlib.gunzipSync(Buffer.concat([...encodeBody(chunks, 'gzip', size)])).equals(plain)).toBe(true);
        expect(zlib.inflateSync(Buffer.concat([...encodeBody(chunks, 'deflate', size)])).equals(plain)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('decodes with the gzip command too, across stored blocks of 64 KiB and more', () => {
    const chunks: BodyChunk[] = ['<a>', 'x'.repeat(70_000), deflateText('ی'.repeat(50_000)), '</a>', Buffer.from(' '.repeat(200_000)), deflateText('z')];
    const plain = plainOf(chunks);
    const gz = Buffer.concat([...encodeBody(chunks, 'gzip', 64 * 1024)]);
    expect(execFileSync('gzip', ['-dc'], { input: gz, maxBuffer: 1 << 26 }).equals(plain)).toBe(true);
  });

  it('is one buffer when it fits one batch, header and trailer included', () => {
    const pieces = [...encodeBody(['<x>', deflateText('<y/>'), '</x>'], 'gzip', 64 * 1024)];
    expect(pieces).toHaveLength(1);
    expect(zlib.gunzipSync(pieces[0] as Buffer).toString()).toBe('<x><y/></x>');
  });

  it('refuses a stored piece that does not inflate to its recorded length', () => {
    const piece = deflateText('<y/>');
    const damaged = new DeflatedText(piece.deflated, piece.length + 1, piece.crc32, piece.adler32);
    expect(() => [...encodeBody(['<x>', damaged], 'identity', 1024)]).toThrow(/inflated to 4 bytes, not 5/);
  });
});
