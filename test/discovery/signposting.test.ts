import LinkHeader from 'http-link-header';
import { describe, expect, it } from 'vitest';
import { HEADER_LIST_LIMIT, landingLinks, linkHeader, linkset, linksetJson, linksetText, type Signposts } from '../../src/discovery/signposting.js';
import { FORMATS } from '../../src/formats/registry.js';
import { makeServer, oai, PUBLIC_URL, REPOSITORY_ID, runAdmin } from '../support/app.js';
import { fetchBytes, htmlLinks, parseLinks } from '../support/discovery.js';
import { texts } from '../support/xml.js';

// FAIR Signposting, levels 1 and 2 (https://signposting.org/FAIR/). Every Link header and link set
// is parsed with http-link-header, a maintained parser, and checked rule by rule.

type Ref = LinkHeader.Reference;
const ARTICLE = 'https://schema.org/ScholarlyArticle';
const ABOUT_PAGE = 'https://schema.org/AboutPage';
const landing = (local: string) => `${PUBLIC_URL}/articles/${local}`;

/** A link's relation and target, with the attributes that matter, for comparing sets of links. */
const shape = (l: Ref | Record<string, string>) =>
  JSON.stringify([l['rel'], l['uri'] ?? l['href'], l['type'] ?? null, l['profile'] ?? null, l['anchor'] ?? null]);

/** The formats a record can be given in, as ListMetadataFormats says, with their namespaces. */
async function formatsOf(local: string): Promise<Map<string, string>> {
  const res = await oai(server.app, `verb=ListMetadataFormats&identifier=oai:${REPOSITORY_ID}:${local}`);
  const prefixes = texts(res.doc, '//oai:metadataFormat/oai:metadataPrefix');
  const namespaces = texts(res.doc, '//oai:metadataFormat/oai:metadataNamespace');
  return new Map(prefixes.map((p, i) => [p, namespaces[i] ?? '']));
}

/** Checks the level-1 rules on the links of a landing page. */
async function expectLevel1(local: string, links: Ref[], citeAs: string, license: string | null): Promise<void> {
  const rel = (r: string) => links.filter((l) => l.rel === r);
  expect(rel('cite-as').map((l) => l.uri)).toEqual([citeAs]);
  expect(rel('type').map((l) => l.uri).sort()).toEqual([ABOUT_PAGE, ARTICLE].sort());
  const formats = await formatsOf(local);
  const described = rel('describedby');
  expect(described.map((l) => l.uri).sort()).toEqual([...formats.keys()].map((p) => `${landing(local)}/metadata/${p}.xml`).sort());
  for (const l of described) {
    const prefix = /\/metadata\/(.+)\.xml$/.exec(l.uri)?.[1] ?? '';
    const format = FORMATS.get(prefix)!;
    expect(l['type']).toBe(format.mediaType);
    // A generic type names the format by its namespace; a registered one needs none.
    expect(l['profile']).toBe(format.mediaType === 'application/xml' ? formats.get(prefix) : undefined);
  }
  expect(rel('license').map((l) => l.uri)).toEqual(license === null ? [] : [license]);
  // Nothing known of ORCID iDs or full texts: no link at all, never a placeholder.
  expect(rel('author')).toEqual([]);
  expect(rel('item')).toEqual([]);
  expect(rel('linkset').map((l) => [l.uri, l['type']])).toEqual([
    [`${landing(local)}/linkset`, 'application/linkset'],
    [`${landing(local)}/linkset.json`, 'application/linkset+json'],
  ]);
}

const server = makeServer();

describe('a landing page', () => {
  it('sends the level-1 links in its Link header, on GET and on HEAD', async () => {
    for (const method of ['GET', 'HEAD'] as const) {
      const res = await fetchBytes(server.app, '/articles/58-39', {}, method);
      expect(res.status).toBe(200);
      await expectLevel1('58-39', parseLinks(res.headers['link']), landing('58-39'), null);
    }
  });

  it('repeats them as HTML <link> elements', async () => {
    const res = await fetchBytes(server.app, '/articles/58-67');
    const header = parseLinks(res.headers['link']);
    const html = htmlLinks(res.text).filter((l) => ['cite-as', 'type', 'describedby', 'author', 'license', 'item', 'linkset'].includes(l['rel'] ?? ''));
    expect(html.map(shape).sort()).toEqual(header.map(shape).sort());
    await expectLevel1('58-67', html.map((l) => ({ ...l, uri: l['href'] ?? '' }) as unknown as Ref), landing('58-67'), null);
  });

  it('is cited by its DOI once one is known, and names the licence once the journal has one', async () => {
    const other = makeServer();
    // Test data: a DOI and a licence no source gives for the seed.
    runAdmin(other.dbPath, '2025-04-01T00:00:00Z', 'set', '58-7', 'doi', '10.1234/fixture-58-7');
    runAdmin(other.dbPath, '2025-04-01T00:00:00Z', 'journal', 'license', 'https://creativecommons.org/licenses/by/4.0/');
    const res = await fetchBytes(other.app, '/articles/58-7');
    const links = parseLinks(res.headers['link']);
    expect(links.filter((l) => l.rel === 'cite-as').map((l) => l.uri)).toEqual(['https://doi.org/10.1234/fixture-58-7']);
    expect(links.filter((l) => l.rel === 'license').map((l) => l.uri)).toEqual(['https://creativecommons.org/licenses/by/4.0/']);
  });

  it('carries no level-1 link once withdrawn: 410, and its link sets are gone too', async () => {
    const other = makeServer();
    runAdmin(other.dbPath, '2025-04-01T00:00:00Z', 'delete', '58-89');
    for (const method of ['GET', 'HEAD'] as const) {
      const res = await fetchBytes(other.app, '/articles/58-89', {}, method);
      expect(res.status).toBe(410);
      expect(res.headers['link']).toBeUndefined();
    }
    const page = await fetchBytes(other.app, '/articles/58-89');
    expect(htmlLinks(page.text).filter((l) => l['rel'] !== 'stylesheet' && l['rel'] !== 'icon')).toEqual([]);
    expect(page.text).not.toContain('application/ld+json');
    expect((await fetchBytes(other.app, '/articles/58-89/linkset')).status).toBe(410);
    expect((await fetchBytes(other.app, '/articles/58-89/linkset.json')).status).toBe(410);
    expect((await fetchBytes(other.app, '/articles/99-1/linkset')).status).toBe(404);
  });
});

describe('a link set (level 2)', () => {
  it('holds the same links in both RFC 9264 formats, every one with an absolute anchor', async () => {
    const text = await fetchBytes(server.app, '/articles/58-175/linkset');
    expect(text.status).toBe(200);
    expect(text.headers['content-type']).toBe('application/linkset');
    const json = await fetchBytes(server.app, '/articles/58-175/linkset.json');
    expect(json.headers['content-type']).toBe('application/linkset+json');
    const fromText = parseLinks(text.text);
    const parsed = JSON.parse(json.text) as { linkset: Array<Record<string, unknown>> };
    expect(Object.keys(parsed)).toEqual(['linkset']);
    const fromJson = parsed.linkset.flatMap((context) =>
      Object.entries(context)
        .filter(([key]) => key !== 'anchor')
        .flatMap(([rel, targets]) =>
          (targets as Array<{ href: string; type?: string; profile?: string[] }>).map((t) => {
            // An extension attribute is an array, even with one value (RFC 9264 §4.2.4.3).
            if (t.profile !== undefined) expect(Array.isArray(t.profile)).toBe(true);
            return { rel, uri: t.href, ...(t.type ? { type: t.type } : {}), ...(t.profile ? { profile: t.profile[0] } : {}), anchor: context['anchor'] as string };
          }),
        ),
    );
    expect(fromJson.map(shape).sort()).toEqual(fromText.map(shape).sort());
    for (const l of fromText) expect(l['anchor']).toMatch(/^http:\/\/repo\.example\.org\//);
  });

  it('holds the landing page’s links, and a way back from each metadata document', async () => {
    const header = parseLinks((await fetchBytes(server.app, '/articles/58-175')).headers['link']);
    const set = parseLinks((await fetchBytes(server.app, '/articles/58-175/linkset')).text);
    const fromLanding = set.filter((l) => l['anchor'] === landing('58-175'));
    expect(fromLanding.map((l) => shape({ ...l, anchor: '' })).sort()).toEqual(
      header.filter((l) => l.rel !== 'linkset').map((l) => shape({ ...l, anchor: '' })).sort(),
    );
    await expectLevel1('58-175', [...fromLanding, ...header.filter((l) => l.rel === 'linkset')], landing('58-175'), null);
    for (const described of header.filter((l) => l.rel === 'describedby')) {
      const back = set.filter((l) => l['anchor'] === described.uri);
      expect(back.map((l) => [l.rel, l.uri, l['type']])).toEqual([['describes', landing('58-175'), 'text/html']]);
    }
  });
});

describe('the links of a record with many authors and files', () => {
  // Fixtures: the store keeps no ORCID iDs or full-text links yet, so these come from no record.
  // The ORCID iDs are made up, with valid check digits; the files are example.org URLs.
  const FIXTURE_ORCIDS = ['0000-0002-1825-0097', '0000-0001-5109-3700', '0000-0002-1694-233X', '0000-0003-1527-5093', '0000-0002-9079-593X', '0000-0001-7432-1235'].map(
    (id) => `https://orcid.org/${id}`,
  );
  const signposts = (authors: number, items: number): Signposts => ({
    landingPage: 'https://repo.example.org/articles/1-1',
    citeAs: 'https://doi.org/10.1234/fixture',
    describedBy: [{ href: 'https://repo.example.org/articles/1-1/metadata/oai_dc.xml', type: 'application/xml', profile: 'http://www.openarchives.org/OAI/2.0/oai_dc/' }],
    authors: FIXTURE_ORCIDS.slice(0, authors),
    license: 'https://creativecommons.org/licenses/by/4.0/',
    items: Array.from({ length: items }, (_, i) => ({ href: `https://files.example.org/1-1/part-${i}.pdf`, type: 'application/pdf' })),
    linksets: [{ href: 'https://repo.example.org/articles/1-1/linkset', type: 'application/linkset' }],
  });
  const count = (links: Ref[], rel: string) => links.filter((l) => l.rel === rel).length;

  it(`keeps up to ${HEADER_LIST_LIMIT} authors and items in the header`, () => {
    const links = parseLinks(linkHeader(landingLinks(signposts(HEADER_LIST_LIMIT, HEADER_LIST_LIMIT), true)));
    expect(count(links, 'author')).toBe(HEADER_LIST_LIMIT);
    expect(count(links, 'item')).toBe(HEADER_LIST_LIMIT);
  });

  it('leaves longer lists to the link set alone, and keeps the rest of the header', () => {
    const s = signposts(HEADER_LIST_LIMIT + 1, 12);
    const header = parseLinks(linkHeader(landingLinks(s, true)));
    expect(count(header, 'author')).toBe(0);
    expect(count(header, 'item')).toBe(0);
    expect(count(header, 'cite-as')).toBe(1);
    expect(count(header, 'license')).toBe(1);
    expect(count(header, 'linkset')).toBe(1);
    const set = parseLinks(linksetText(linkset(s)));
    expect(set.filter((l) => l.rel === 'author').map((l) => l.uri)).toEqual(s.authors);
    expect(count(set, 'item')).toBe(12);
    // Each file links back to the landing page it belongs to.
    for (const item of s.items) expect(set.filter((l) => l['anchor'] === item.href).map((l) => [l.rel, l.uri])).toEqual([['collection', s.landingPage]]);
    const json = JSON.parse(linksetJson(linkset(s))) as { linkset: Array<Record<string, unknown>> };
    expect((json.linkset[0]?.['author'] as unknown[]).length).toBe(HEADER_LIST_LIMIT + 1);
  });

  it('quotes attribute values so that a parser reads them back as they were', () => {
    const links = [{ href: 'https://repo.example.org/a', rel: 'describedby', type: 'application/xml', profile: 'urn:x-"quoted";,value' }];
    expect(parseLinks(linkHeader(links))[0]?.['profile']).toBe('urn:x-"quoted";,value');
  });
});
