import net from 'node:net';
import { children } from '../ingest/xml-dom.js';
import { fail, pass, warning, type Finding } from './finding.js';
import { textIn, type OaiPage } from './oai-client.js';

/** What the checks read from Identify. */
export interface IdentifyFacts {
  baseUrl: string;
  adminEmails: string[];
  granularity: string;
  earliestDatestamp: string;
  compression: string[];
  /** From the `oai-identifier` description; null when Identify has none. */
  repositoryIdentifier: string | null;
}

/** Reads Identify's answer. */
export function identifyFacts(page: OaiPage): IdentifyFacts {
  const body = page.body;
  if (body === undefined) return { baseUrl: '', adminEmails: [], granularity: '', earliestDatestamp: '', compression: [], repositoryIdentifier: null };
  const texts = (name: string) => children(body, name).map((e) => (e.textContent ?? '').trim());
  const oaiIdentifier = children(body, 'description')
    .flatMap((d) => children(d, 'oai-identifier'))
    .find((e) => e.namespaceURI === 'http://www.openarchives.org/OAI/2.0/oai-identifier');
  return {
    baseUrl: textIn(body, 'baseURL'),
    adminEmails: texts('adminEmail'),
    granularity: textIn(body, 'granularity'),
    earliestDatestamp: textIn(body, 'earliestDatestamp'),
    compression: texts('compression'),
    repositoryIdentifier: oaiIdentifier === undefined ? null : textIn(oaiIdentifier, 'repositoryIdentifier'),
  };
}

/** The public URL that gives a base URL, when it ends in `/oai` as this package's do. */
function publicUrlFor(baseUrl: string): string | null {
  return baseUrl.endsWith('/oai') ? baseUrl.slice(0, -'/oai'.length) : null;
}

/** Identify's baseURL must be the URL harvesters asked, character for character, scheme included. */
export function checkBaseUrl(asked: string, facts: IdentifyFacts): Finding {
  if (facts.baseUrl === asked) return pass('baseURL', `Identify's baseURL is ${asked}, the URL asked`);
  let schemeOnly = false;
  try {
    const a = new URL(asked);
    const b = new URL(facts.baseUrl);
    schemeOnly = a.protocol !== b.protocol && a.host === b.host && a.pathname === b.pathname;
  } catch {
    // A baseURL that is no URL at all is simply a mismatch.
  }
  const why = schemeOnly ? ' (only the scheme differs: typically a proxy that terminates TLS while PUBLIC_URL still says http, or the reverse)' : '';
  const publicUrl = publicUrlFor(asked);
  return fail(
    'baseURL',
    `Identify's baseURL is ${facts.baseUrl || '(empty)'} but the URL asked is ${asked}${why}`,
    publicUrl === null
      ? `Give harvesters Identify's baseURL, or set PUBLIC_URL so that $PUBLIC_URL/oai is the URL they use.`
      : `Set PUBLIC_URL to ${publicUrl} (what harvesters reach, scheme included), or give harvesters ${facts.baseUrl} instead.`,
  );
}

// RFC 2606 and RFC 6761: names reserved for examples, tests and local use, which no mail reaches.
const PLACEHOLDER_DOMAINS = ['example.org', 'example.com', 'example.net', 'localhost.localdomain'];
const PLACEHOLDER_TLDS = ['example', 'invalid', 'test', 'localhost', 'local', 'localdomain', 'lan', 'internal'];

/** True for a domain reserved for examples, tests or local use, or one without a dot. */
export function isPlaceholderDomain(domain: string): boolean {
  const name = domain.toLowerCase().replace(/\.$/, '');
  if (!name.includes('.')) return true;
  if (net.isIP(name.replace(/^\[|\]$/g, '')) !== 0) return true;
  if (PLACEHOLDER_DOMAINS.some((d) => name === d || name.endsWith(`.${d}`))) return true;
  return PLACEHOLDER_TLDS.includes(name.slice(name.lastIndexOf('.') + 1));
}

/** Every adminEmail must be an address someone reads: registries and validators refuse placeholders. */
export function checkAdminEmail(facts: IdentifyFacts): Finding {
  const fix = 'Set ADMIN_EMAIL to an address someone reads, at a real domain (comma-separate several).';
  if (facts.adminEmails.length === 0) return fail('adminEmail', 'Identify gives no adminEmail', fix);
  const placeholders = facts.adminEmails.filter((e) => isPlaceholderDomain(e.slice(e.lastIndexOf('@') + 1)));
  if (placeholders.length > 0) {
    return fail('adminEmail', `adminEmail ${placeholders.join(', ')} is at a placeholder domain, which validators refuse`, fix);
  }
  return pass('adminEmail', `adminEmail ${facts.adminEmails.join(', ')}`);
}

/** True when a URL's host is a name the public could reach, not localhost or an IP address. */
function publicHost(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return !isPlaceholderDomain(host);
  } catch {
    return false;
  }
}

/**
 * The repository identifier (the `<domain>` of `oai:<domain>:<id>`) must be a domain the publisher
 * controls, not the fallback `localhost.localdomain`: a fault for a repository reached by a domain
 * name, a warning for one reached by localhost or an IP address (a test set-up).
 */
export function checkRepositoryIdentifier(asked: string, facts: IdentifyFacts, sampleIdentifier: string | null): Finding {
  const fromRecord = sampleIdentifier === null ? null : (/^oai:([^:]+):/.exec(sampleIdentifier)?.[1] ?? null);
  const identifier = facts.repositoryIdentifier ?? fromRecord;
  if (identifier === null) return pass('repositoryIdentifier', 'no record and no oai-identifier description yet: no repository identifier to check');
  const fix = 'Set OAI_REPOSITORY_IDENTIFIER to a domain the publisher controls, before the first harvest: it is part of every identifier.';
  if (fromRecord !== null && facts.repositoryIdentifier !== null && fromRecord !== facts.repositoryIdentifier) {
    return fail('repositoryIdentifier', `Identify's repositoryIdentifier is ${facts.repositoryIdentifier} but record ${sampleIdentifier ?? ''} names ${fromRecord}`, fix);
  }
  if (identifier === 'localhost.localdomain' || isPlaceholderDomain(identifier)) {
    const message = `the repository identifier is ${identifier}, a placeholder, so identifiers are not unique across repositories`;
    return publicHost(asked) ? fail('repositoryIdentifier', message, fix) : warning('repositoryIdentifier', `${message} (acceptable for a local set-up)`, fix);
  }
  return pass('repositoryIdentifier', `the repository identifier is ${identifier}`);
}
