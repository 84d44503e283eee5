import { createHash } from 'node:crypto';

/**
 * What links a page to the one before it: a key of the token the earlier page issued and the
 * later request carries. A token ends with its signature, 22 characters of HMAC that no other
 * token shares, public already (the client holds the token), and the same on every replica, so
 * the key is the signature, with no hashing on the server's one thread. Anything else is hashed.
 */
export function tokenKey(token: string): string {
  const signature = /\.([A-Za-z0-9_-]{22})$/.exec(token)?.[1];
  return signature ?? createHash('sha256').update(token).digest('base64url').slice(0, 22);
}

/** What a list's first request asked for, as its resumption tokens carry it. */
export interface TokenFacts {
  prefix: string | null;
  set: string | null;
  /** The lower bound of an incremental harvest. */
  from: string | null;
}

const NONE: TokenFacts = { prefix: null, set: null, from: null };

/**
 * Reads a token's payload without checking its signature: the server checked it when it answered,
 * and a forged token got badResumptionToken, which starts or continues nothing.
 */
export function tokenFacts(token: string): TokenFacts {
  const payload = token.split('.')[0] ?? '';
  try {
    const state = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const text = (v: unknown) => (typeof v === 'string' ? v : null);
    return { prefix: text(state['metadataPrefix']), set: text(state['set']), from: text(state['from']) };
  } catch {
    return NONE;
  }
}
