/**
 * The part of storing metadata that needs no store: rendering a record in each format, telling
 * whether the result differs from what is stored, compressing it and digesting its document. The
 * main thread and the render workers run this same code, so both store the same bytes.
 */
import { crc32 } from '../deflate/checksums.js';
import { DeflatedText, deflateText, inflatePieces } from '../deflate/piece.js';
import { documentDigest, type DocumentDigest } from '../formats/document.js';
import type { FormatContext, MetadataFormat } from '../formats/registry.js';
import type { ArticleRecord } from '../model.js';
import { splitRoot } from './frame.js';

/** A record's metadata in one format, compared with what the store holds. */
export type FormatOutput =
  /** The stored metadata (or its absence) is what was rendered: nothing to write. */
  | { kind: 'unchanged' }
  /** The record has metadata stored in this format, and now has none. */
  | { kind: 'removed' }
  /** New or different metadata: its shared head, the rest compressed, and the digests of its document. */
  | { kind: 'rendered'; head: string | null; piece: DeflatedText; digest: DocumentDigest };

/** A record's metadata in one format as the store holds it: the text of its shared head, and its body. */
export interface StoredFragment {
  head: string | null;
  body: DeflatedText;
}

const UNCHANGED: FormatOutput = { kind: 'unchanged' };
const REMOVED: FormatOutput = { kind: 'removed' };

/** Whether stored metadata is the UTF-8 rendered now; the checksum spares most inflates. */
function sameBytes(before: StoredFragment | null, head: Buffer | null, body: Buffer): boolean {
  if (before === null) return false;
  if ((before.head === null) !== (head === null) || (head !== null && head.toString('utf8') !== before.head)) return false;
  const stored = before.body;
  return body.length === stored.length && crc32(body) === stored.crc32 && inflatePieces([stored]).equals(body);
}

/**
 * One record in each of `formats`, against `stored` (the stored metadata of each format, in the
 * same order, or null). A deleted record keeps no metadata.
 */
export function renderRecord(
  record: ArticleRecord,
  formats: readonly MetadataFormat[],
  context: FormatContext,
  stored: ReadonlyArray<StoredFragment | null>,
): FormatOutput[] {
  return formats.map((format, i) => {
    const before = stored[i] ?? null;
    // Encoded once: the comparison, the compression and the digests all read the same bytes.
    const after = !record.deleted && format.canDisseminate(record) ? Buffer.from(format.render(record, context), 'utf8') : null;
    if (after === null) return before === null ? UNCHANGED : REMOVED;
    const { head, body } = splitRoot(after);
    if (sameBytes(before, head, body)) return UNCHANGED;
    return { kind: 'rendered', head: head === null ? null : head.toString('utf8'), piece: deflateText(body), digest: documentDigest(after) };
  });
}

/**
 * Outputs as a worker sends them: every byte in one buffer, so that it is moved to the main
 * thread rather than copied, and the numbers in a table beside it.
 */
export interface PackedOutputs {
  bytes: ArrayBuffer;
  /** FIELDS numbers per output, records in order and formats in order within each. */
  table: Float64Array;
}

const FIELDS = 8;
const KIND = { unchanged: 0, removed: 1, rendered: 2 } as const;
const MD5_BYTES = 16;
const SHA256_BYTES = 32;

/** Packs the outputs of some records, for the main thread. */
export function packOutputs(outputs: readonly FormatOutput[][]): PackedOutputs {
  const flat = outputs.flat();
  let size = 0;
  const heads = flat.map((output) => (output.kind === 'rendered' && output.head !== null ? Buffer.from(output.head, 'utf8') : null));
  for (const [i, output] of flat.entries()) {
    if (output.kind === 'rendered') size += output.piece.deflated.length + MD5_BYTES + SHA256_BYTES + (heads[i]?.length ?? 0);
  }
  // Its own memory, not a slice of Node's shared buffer pool, which cannot be moved.
  const bytes = new ArrayBuffer(size);
  const view = new Uint8Array(bytes);
  const table = new Float64Array(flat.length * FIELDS);
  let offset = 0;
  for (const [i, output] of flat.entries()) {
    const at = i * FIELDS;
    table[at] = KIND[output.kind];
    if (output.kind !== 'rendered') continue;
    const { piece, digest } = output;
    if (digest.md5.length !== MD5_BYTES || digest.sha256.length !== SHA256_BYTES) throw new Error('a document digest of unexpected length');
    const head = heads[i] ?? null;
    // A head's length of -1 stands for no head.
    table.set([offset, piece.deflated.length, piece.length, piece.crc32, piece.adler32, digest.length, head === null ? -1 : head.length], at + 1);
    view.set(piece.deflated, offset);
    offset += piece.deflated.length;
    view.set(digest.md5, offset);
    view.set(digest.sha256, offset + MD5_BYTES);
    offset += MD5_BYTES + SHA256_BYTES;
    if (head !== null) {
      view.set(head, offset);
      offset += head.length;
    }
  }
  return { bytes, table };
}

/** The outputs `packOutputs` packed, for `records` records of `formats` formats each. */
export function unpackOutputs({ bytes, table }: PackedOutputs, records: number, formats: number): FormatOutput[][] {
  if (table.length !== records * formats * FIELDS) throw new Error(`a render worker answered for ${table.length / FIELDS} outputs, not ${records * formats}`);
  const outputs: FormatOutput[][] = [];
  for (let r = 0; r < records; r++) {
    const row: FormatOutput[] = [];
    for (let f = 0; f < formats; f++) {
      const at = (r * formats + f) * FIELDS;
      const kind = table[at];
      if (kind === KIND.unchanged) row.push(UNCHANGED);
      else if (kind === KIND.removed) row.push(REMOVED);
      else {
        const [offset, deflated, length, crc, adler, documentLength, headLength] = Array.from(table.subarray(at + 1, at + FIELDS));
        const start = offset as number;
        const end = start + (deflated as number);
        const headAt = end + MD5_BYTES + SHA256_BYTES;
        row.push({
          kind: 'rendered',
          head: headLength === -1 ? null : Buffer.from(bytes, headAt, headLength as number).toString('utf8'),
          piece: new DeflatedText(Buffer.from(bytes, start, end - start), length as number, crc as number, adler as number),
          digest: {
            md5: Buffer.from(bytes, end, MD5_BYTES),
            sha256: Buffer.from(bytes, end + MD5_BYTES, SHA256_BYTES),
            length: documentLength as number,
          },
        });
      }
    }
    outputs.push(row);
  }
  return outputs;
}
