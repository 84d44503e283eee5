import { createHmac, timingSafeEqual } from 'node:crypto';

/** Where a list stopped: the key of the last item sent. */
export type ListKey = { datestamp: string; id: number } | { spec: string };

/**
 * Everything needed to serve the next page, so that no state lives on the server and any
 * replica can answer any page.
 */
export interface TokenState {
  verb: 'ListIdentifiers' | 'ListRecords' | 'ListSets';
  metadataPrefix: string | null;
  set: string | null;
  /** Inclusive lower bound, `YYYY-MM-DDThh:mm:ssZ`, or null for "from the start". */
  from: string | null;
  /** Inclusive upper bound, frozen when the harvest started. */
  until: string | null;
  after: ListKey;
  /** How many items earlier pages sent. */
  cursor: number;
  /** Counted once, on the first page. */
  completeListSize: number;
  /** Expiry, seconds since the epoch. */
  expires: number;
}

/** Why a token was refused. */
export type TokenProblem = 'malformed' | 'signature' | 'expired';

const SIGNATURE_LENGTH = 22; // base64url characters: 132 bits of HMAC-SHA256

function sign(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url').slice(0, SIGNATURE_LENGTH);
}

/** Serializes and signs a token. */
export function encodeToken(state: TokenState, secret: string): string {
  const payload = Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
  return `${payload}.${sign(payload, secret)}`;
}

/**
 * Checks a token's signature and expiry and returns its state, or what is wrong with it. Any of
 * `secrets` may have signed it: the current one first, then those it replaced.
 */
export function decodeToken(token: string, secrets: string | readonly string[], nowSeconds: number): TokenState | TokenProblem {
  const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(token);
  if (!match) return 'malformed';
  const [, payload = '', signature = ''] = match;
  const given = Buffer.from(signature);
  const signedBy = (secret: string) => {
    const expected = Buffer.from(sign(payload, secret));
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  if (!(typeof secrets === 'string' ? [secrets] : secrets).some(signedBy)) return 'signature';
  let state: unknown;
  try {
    state = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return 'malformed';
  }
  if (!isTokenState(state)) return 'malformed';
  if (state.expires < nowSeconds) return 'expired';
  return state;
}

/**
 * A token's expiry: at least `ttlSeconds` ahead, rounded up to the hour so that re-issuing a
 * token within the hour returns a byte-identical page.
 */
export function tokenExpiry(nowSeconds: number, ttlSeconds: number): number {
  return Math.ceil((nowSeconds + ttlSeconds) / 3600) * 3600;
}

// The signature already vouches for the content; this guards against our own older shapes.
function isTokenState(value: unknown): value is TokenState {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Record<string, unknown>;
  const nullableString = (v: unknown): boolean => v === null || typeof v === 'string';
  return (
    (s['verb'] === 'ListIdentifiers' || s['verb'] === 'ListRecords' || s['verb'] === 'ListSets') &&
    nullableString(s['metadataPrefix']) &&
    nullableString(s['set']) &&
    nullableString(s['from']) &&
    nullableString(s['until']) &&
    typeof s['after'] === 'object' &&
    s['after'] !== null &&
    Number.isInteger(s['cursor']) &&
    Number.isInteger(s['completeListSize']) &&
    typeof s['expires'] === 'number'
  );
}
