import { hash } from 'node:crypto';

/**
 * A record's metadata in one format as a document of its own: the stored fragment (the `<metadata>`
 * content of GetRecord) after an XML declaration, byte for byte. ResourceSync lists its digests and
 * length, so the bytes must be these and no others.
 */
export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
const DECLARATION_BYTES = Buffer.from(XML_DECLARATION, 'utf8');

/** What is known of a document's bytes without reading them: their digests and length. */
export interface DocumentDigest {
  md5: Buffer;
  sha256: Buffer;
  length: number;
}

/** The document's bytes for a stored fragment. */
export function documentBytes(fragment: Uint8Array): Buffer {
  return Buffer.concat([DECLARATION_BYTES, fragment]);
}

/** The digests and length of the document a stored fragment (its text or UTF-8 bytes) makes. */
export function documentDigest(fragment: string | Uint8Array): DocumentDigest {
  const bytes = typeof fragment === 'string' ? Buffer.from(XML_DECLARATION + fragment, 'utf8') : documentBytes(fragment);
  // One-shot hashing: a Hash object per call costs more than the hashing of a few kilobytes.
  return { md5: hash('md5', bytes, 'buffer'), sha256: hash('sha256', bytes, 'buffer'), length: bytes.length };
}
