import { fail, pass, warning, type Finding } from './finding.js';
import { HttpFailure, httpGet, type HttpOptions } from './http.js';

/** How many landing pages are fetched: a sample, spread over the whole harvest. */
export const LANDING_SAMPLE = 20;

/** Persistent-identifier resolvers answer with a redirect by design, and are not this server's to fix. */
const RESOLVERS = /^https?:\/\/(dx\.)?doi\.org\/|^https?:\/\/hdl\.handle\.net\//i;

/** Up to `n` items spread evenly over a list, the first included, in order. */
export function sampleEvenly<T>(items: readonly T[], n: number): T[] {
  if (items.length <= n) return [...items];
  return Array.from({ length: n }, (_, i) => items[Math.floor((i * items.length) / n)] as T);
}

/** The dc:identifier values that name landing pages: http(s) URLs, without resolver links, each once. */
export function landingPageUrls(identifiers: readonly string[]): string[] {
  return [...new Set(identifiers.filter((u) => /^https?:\/\/\S+$/i.test(u) && !RESOLVERS.test(u)))];
}

function list(items: readonly string[]): string {
  return items.length <= 3 ? items.join('; ') : `${items.slice(0, 3).join('; ')}; and ${items.length - 3} more`;
}

/**
 * The landing pages that the records' `dc:identifier`s name must answer 200: a sample of up to
 * LANDING_SAMPLE, fetched one after another, redirects reported rather than followed.
 */
export async function checkLandingPages(identifiers: readonly string[], http: HttpOptions): Promise<Finding> {
  const urls = landingPageUrls(identifiers);
  if (urls.length === 0) {
    return warning('landing-pages', 'no oai_dc record names a landing page (an http(s) URL) in dc:identifier', "Give each record a dc:identifier with its landing page's URL: aggregators link to it.");
  }
  const sample = sampleEvenly(urls, LANDING_SAMPLE);
  const broken: string[] = [];
  const redirected: string[] = [];
  for (const url of sample) {
    try {
      const answer = await httpGet(url, http);
      if (answer.redirectTo !== null) redirected.push(`${url} → HTTP ${answer.status} to ${answer.redirectTo}`);
      else if (answer.status !== 200) broken.push(`${url}: HTTP ${answer.status}`);
    } catch (error) {
      if (!(error instanceof HttpFailure)) throw error;
      broken.push(error.message);
    }
  }
  const of = `${sample.length === urls.length ? sample.length : `${sample.length} (a sample of ${urls.length})`}`;
  if (broken.length > 0) {
    return fail(
      'landing-pages',
      `${broken.length} of ${of} landing pages named by dc:identifier do not answer 200: ${list(broken)}`,
      'Make the landing pages reachable at the URLs the records give: PUBLIC_URL builds them, so check it and that the proxy forwards /articles/.',
    );
  }
  if (redirected.length > 0) {
    return warning(
      'landing-pages',
      `${redirected.length} of ${of} landing pages named by dc:identifier redirect: ${list(redirected)}`,
      'Make dc:identifier name the final URL (set PUBLIC_URL to it, scheme included), so that no redirect is needed.',
    );
  }
  return pass('landing-pages', `${of} landing pages named by dc:identifier answer 200`);
}
