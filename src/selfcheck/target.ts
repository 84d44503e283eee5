/** A URL the self-check cannot use; the message says why. */
export class TargetError extends Error {
  override name = 'TargetError';
}

/**
 * The OAI base URL to check, from what the admin gave: an http(s) URL without query or fragment.
 * A bare site URL (`https://journal.example.org` or with a `/`) means its `/oai`; any other path is
 * taken as the base URL itself, character for character, since Identify must repeat it so.
 */
export function resolveTarget(given: string): string {
  const text = given.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TargetError(`"${given}" is not a URL; give the OAI base URL, e.g. https://journal.example.org/oai`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TargetError(`"${given}" is not an http or https URL`);
  if (url.search !== '' || url.hash !== '' || text.includes('?') || text.includes('#')) throw new TargetError(`"${given}" has a query or fragment; give the base URL alone`);
  return url.pathname === '/' ? `${text.replace(/\/$/, '')}/oai` : text;
}
