/** How the self-check makes its HTTP requests. */
export interface HttpOptions {
  /** Each request's time limit, headers and body together. */
  timeoutMs: number;
}

/** An HTTP answer, read whole. A redirect is returned as it is, never followed. */
export interface HttpAnswer {
  url: string;
  status: number;
  headers: Headers;
  body: string;
  /** The `Location` of a 3xx answer, made absolute; null otherwise. */
  redirectTo: string | null;
}

/** A request that got no usable HTTP answer: unreachable, refused, a TLS failure, a broken body, or too slow. */
export class HttpFailure extends Error {
  override name = 'HttpFailure';
}

const USER_AGENT = 'oai-selfcheck (bilingual-journal-oai-pmh)';
/** 503s waited out per request (flow control: §3.1.2.2), and the longest wait accepted. */
const RETRIES = 3;
const LONGEST_WAIT_SECONDS = 10;

// fetch hides the cause behind "fetch failed"; the cause says what went wrong (ECONNREFUSED, a TLS error…).
function describe(error: unknown, url: string, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer from ${url} within ${Math.round(timeoutMs / 1000)} s`;
  }
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string' ? `${cause.code}: ` : '';
  const message = cause instanceof Error ? cause.message : String(cause);
  return `no usable answer from ${url}: ${code}${(message.split('\n')[0] ?? '').replace(/[\s:.]+$/, '')}`;
}

function absolute(location: string, base: string): string {
  try {
    return new URL(location, base).toString();
  } catch {
    return location;
  }
}

function retryAfterSeconds(headers: Headers): number | null {
  const value = headers.get('Retry-After');
  if (value === null || !/^\d+$/.test(value.trim())) return null;
  const seconds = Number(value.trim());
  return seconds <= LONGEST_WAIT_SECONDS ? seconds : null;
}

/**
 * GETs a URL with Node's fetch: redirects are returned, not followed, so the checks can report
 * them; a 503 with a short `Retry-After` is waited out, as a polite harvester does. Throws
 * HttpFailure when no answer comes.
 */
export async function httpGet(url: string, options: HttpOptions, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  for (let attempt = 0; ; attempt++) {
    let response: Response;
    let body: string;
    try {
      // One signal for the headers and the body: a server that trickles its body is as stuck as a silent one.
      response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(options.timeoutMs), headers: { 'User-Agent': USER_AGENT, ...headers } });
      body = await response.text();
    } catch (error) {
      throw new HttpFailure(describe(error, url, options.timeoutMs));
    }
    const wait = response.status === 503 ? retryAfterSeconds(response.headers) : null;
    if (wait !== null && attempt < RETRIES) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(wait, 1) * 1000));
      continue;
    }
    const location = response.status >= 300 && response.status < 400 ? response.headers.get('Location') : null;
    return { url, status: response.status, headers: response.headers, body, redirectTo: location === null ? null : absolute(location, url) };
  }
}
