import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { makeServer, PUBLIC_URL, runAdmin, type TestServer } from '../support/app.js';
import { fetchBytes, prefixOf, storedDocuments, validateDocuments } from '../support/discovery.js';
import { Destination } from '../support/resourcesync-client.js';
import { validateSitemaps } from '../support/sitemap-schemas.js';
import { nodes, parseXml, text, texts } from '../support/xml.js';

// A ResourceSync source (ResourceSync 1.1): every document validated against the sitemap schemas
// with the ResourceSync elements loaded, and a destination of the tests' own that syncs from it.

vi.setConfig({ testTimeout: 120_000 });

const RS = (path: string) => `${PUBLIC_URL}${path}`;

async function get(server: TestServer, path: string): Promise<string> {
  const res = await fetchBytes(server.app, path);
  expect(res.status, path).toBe(200);
  expect(res.headers['content-type']).toBe('application/xml; charset=UTF-8');
  return res.text;
}

/** The root's rs:md attributes and rs:ln links of a document. */
function head(xml: string): { md: Record<string, string>; links: Record<string, string> } {
  const doc = parseXml(xml);
  const md = nodes(doc, '/*/rs:md')[0];
  const attrs: Record<string, string> = {};
  for (let i = 0; i < (md?.attributes.length ?? 0); i++) {
    const a = md?.attributes.item(i);
    if (a) attrs[a.name] = a.value;
  }
  return { md: attrs, links: Object.fromEntries(nodes(doc, '/*/rs:ln').map((l) => [l.getAttribute('rel') ?? '', l.getAttribute('href') ?? ''])) };
}

describe('discovery', () => {
  const server = makeServer();

  it('the Source Description sits at the well-known URI and names the one Capability List', async () => {
    const xml = await get(server, '/.well-known/resourcesync');
    await validateSitemaps([{ name: 'source description', xml }]);
    expect(head(xml)).toEqual({ md: { capability: 'description' }, links: { describedby: RS('/') } });
    expect(texts(parseXml(xml), '//sm:url/sm:loc')).toEqual([RS('/resourcesync/capabilitylist.xml')]);
    expect(texts(parseXml(xml), '//sm:url/rs:md/@capability')).toEqual(['capabilitylist']);
  });

  it('the Capability List points up to it, and offers a Resource List and a Change List', async () => {
    const xml = await get(server, '/resourcesync/capabilitylist.xml');
    await validateSitemaps([{ name: 'capability list', xml }]);
    expect(head(xml)).toEqual({ md: { capability: 'capabilitylist' }, links: { describedby: RS('/'), up: RS('/.well-known/resourcesync') } });
    const doc = parseXml(xml);
    expect(nodes(doc, '//sm:url').map((u) => [texts(u, 'sm:loc')[0], texts(u, 'rs:md/@capability')[0]])).toEqual([
      [RS('/resourcesync/resourcelist.xml'), 'resourcelist'],
      [RS('/resourcesync/changelist.xml'), 'changelist'],
    ]);
  });
});

describe('the Resource List', () => {
  const server = makeServer();
  server.setNow(new Date('2025-03-02T10:00:00Z'));
  runAdmin(server.dbPath, '2025-03-01T12:00:00Z', 'delete', '58-141');

  it('lists every live document once, with its datestamp, digests, length, type and landing page', async () => {
    const xml = await get(server, '/resourcesync/resourcelist.xml');
    await validateSitemaps([{ name: 'resource list', xml }]);
    // Eight records fit in one document: no index.
    expect(parseXml(xml).documentElement?.localName).toBe('urlset');
    expect(head(xml)).toEqual({
      md: { capability: 'resourcelist', at: '2025-03-02T10:00:00Z', completed: '2025-03-02T10:00:00Z' },
      links: { up: RS('/resourcesync/capabilitylist.xml') },
    });
    const stored = storedDocuments(server);
    const urls = nodes(parseXml(xml), '//sm:url');
    expect(urls.map((u) => text(u, 'sm:loc')).sort()).toEqual([...stored.keys()].sort());
    expect(urls.some((u) => text(u, 'sm:loc').includes('/58-141/'))).toBe(false);
    for (const u of urls) {
      const loc = text(u, 'sm:loc');
      const bytes = stored.get(loc)!;
      const local = loc.split('/')[4] ?? '';
      expect(text(u, 'sm:lastmod')).toBe(server.store.repository.getRecord(local)?.datestamp);
      const md5 = createHash('md5').update(bytes).digest('hex');
      const sha = createHash('sha256').update(bytes).digest('hex');
      expect(text(u, 'rs:md/@hash')).toBe(`md5:${md5} sha-256:${sha}`);
      expect(text(u, 'rs:md/@length')).toBe(String(bytes.length));
      const served = await fetchBytes(server.app, loc);
      expect(text(u, 'rs:md/@type')).toBe(served.headers['content-type']?.split(';')[0]);
      expect(nodes(u, 'rs:ln').map((l) => [l.getAttribute('rel'), l.getAttribute('href')])).toEqual([['describes', RS(`/articles/${local}`)]]);
    }
  });

  it('has no part while it fits in one document', async () => {
    expect((await fetchBytes(server.app, '/resourcesync/resourcelist-1.xml')).status).toBe(200);
    for (const path of ['/resourcesync/resourcelist-2.xml', '/resourcesync/resourcelist-0.xml', '/resourcesync/resourcelist-a.xml']) {
      expect((await fetchBytes(server.app, path)).status, path).toBe(404);
    }
  });
});

describe('the Change Lists', () => {
  const server = makeServer();
  server.setNow(new Date('2025-03-04T10:00:00Z'));
  runAdmin(server.dbPath, '2025-03-02T09:00:00Z', 'set', '58-7', 'title', '--lang', 'en', 'A fixture title for the tests');
  runAdmin(server.dbPath, '2025-03-04T08:00:00Z', 'delete', '58-89');

  it('the index lists one Change List per day with changes, in order, the past ones closed and today’s open', async () => {
    const xml = await get(server, '/resourcesync/changelist.xml');
    await validateSitemaps([{ name: 'change list index', xml }]);
    expect(parseXml(xml).documentElement?.localName).toBe('sitemapindex');
    expect(head(xml)).toEqual({ md: { capability: 'changelist', from: '2025-03-01T00:00:00Z' }, links: { up: RS('/resourcesync/capabilitylist.xml') } });
    const doc = parseXml(xml);
    expect(
      nodes(doc, '//sm:sitemap').map((s) => [text(s, 'sm:loc'), texts(s, 'rs:md/@from')[0], texts(s, 'rs:md/@until')[0] ?? null]),
    ).toEqual([
      [RS('/resourcesync/changelist/2025-03-01.xml'), '2025-03-01T00:00:00Z', '2025-03-02T00:00:00Z'],
      [RS('/resourcesync/changelist/2025-03-02.xml'), '2025-03-02T00:00:00Z', '2025-03-03T00:00:00Z'],
      [RS('/resourcesync/changelist/2025-03-04.xml'), '2025-03-04T00:00:00Z', null],
    ]);
  });

  it('a Change List gives each document’s latest change, in order: created, updated or deleted, with its datetime', async () => {
    const lists = await Promise.all(['2025-03-01', '2025-03-02', '2025-03-04'].map((day) => get(server, `/resourcesync/changelist/${day}.xml`)));
    await validateSitemaps(lists.map((xml, i) => ({ name: `change list ${i}`, xml })));
    const entries = lists.flatMap((xml) =>
      nodes(parseXml(xml), '//sm:url').map((u) => ({ loc: text(u, 'sm:loc'), change: text(u, 'rs:md/@change'), datetime: text(u, 'rs:md/@datetime'), hash: texts(u, 'rs:md/@hash') })),
    );
    // In order of their changes.
    expect(entries.map((e) => e.datetime)).toEqual([...entries.map((e) => e.datetime)].sort());
    const of = (local: string) => entries.filter((e) => e.loc.includes(`/articles/${local}/`)).map((e) => [prefixOf(e.loc), e.change, e.datetime]);
    // Seeded and untouched since: created when the store was first loaded.
    expect(of('58-67')).toEqual([
      ['marcxml', 'created', '2025-03-01T08:30:00Z'],
      ['mods', 'created', '2025-03-01T08:30:00Z'],
      ['oai_dc', 'created', '2025-03-01T08:30:00Z'],
    ]);
    // A title made 58-7 a DataCite record: that document is new, the others changed.
    expect(of('58-7')).toEqual([
      ['marcxml', 'updated', '2025-03-02T09:00:00Z'],
      ['mods', 'updated', '2025-03-02T09:00:00Z'],
      ['oai_datacite', 'created', '2025-03-02T09:00:00Z'],
      ['oai_dc', 'updated', '2025-03-02T09:00:00Z'],
    ]);
    // Withdrawn: each of its documents deleted, with no digest, at the withdrawal.
    expect(of('58-89')).toEqual([
      ['marcxml', 'deleted', '2025-03-04T08:00:00Z'],
      ['mods', 'deleted', '2025-03-04T08:00:00Z'],
      ['oai_dc', 'deleted', '2025-03-04T08:00:00Z'],
    ]);
    expect(entries.filter((e) => e.change === 'deleted').every((e) => e.hash.length === 0)).toBe(true);
    const part = head(lists[2] ?? '');
    expect(part).toEqual({ md: { capability: 'changelist', from: '2025-03-04T00:00:00Z' }, links: { up: RS('/resourcesync/capabilitylist.xml'), index: RS('/resourcesync/changelist.xml') } });
  });

  it('answers 404 for a day without changes, a date that does not exist, or a bad key', async () => {
    for (const path of ['/resourcesync/changelist/2025-03-03.xml', '/resourcesync/changelist/2025-02-30.xml', '/resourcesync/changelist/yesterday.xml', '/resourcesync/changelist/2025-03-01.xml?after=nonsense']) {
      expect((await fetchBytes(server.app, path)).status, path).toBe(404);
    }
  });
});

describe('a destination that syncs from the Resource List, then from the Change Lists', () => {
  const server = makeServer();
  const destination = new Destination((url) => fetchBytes(server.app, url), PUBLIC_URL);

  /** The destination holds exactly the documents that exist, byte for byte. */
  function expectInStep(d: Destination): void {
    const stored = storedDocuments(server);
    expect([...d.documents.keys()].sort()).toEqual([...stored.keys()].sort());
    for (const [url, bytes] of stored) expect(d.documents.get(url)?.equals(bytes), url).toBe(true);
  }

  it('takes a baseline: every live document, each checked against its digests', async () => {
    server.setNow(new Date('2025-03-02T10:00:00Z'));
    const entries = await destination.baseline();
    expect(entries.length).toBe(storedDocuments(server).size);
    expect(destination.since).toBe('2025-03-02T10:00:00Z');
    expectInStep(destination);
    await validateDocuments(destination.documents);
  });

  it('applies a day of corrections: new, changed and gone documents, a withdrawn record', async () => {
    // Open access makes every titled record an OpenAIRE record, and changes every record.
    runAdmin(server.dbPath, '2025-03-03T09:00:00Z', 'journal', 'access-rights', 'open');
    // A title makes 58-7 a DataCite and an OpenAIRE record.
    runAdmin(server.dbPath, '2025-03-03T09:00:01Z', 'set', '58-7', 'title', '--lang', 'en', 'A fixture title for the tests');
    // 58-175's only title goes: its DataCite document goes with it, though the record stays.
    runAdmin(server.dbPath, '2025-03-03T09:00:02Z', 'set', '58-175', 'title', '--lang', 'en', '--clear');
    runAdmin(server.dbPath, '2025-03-03T09:00:03Z', 'delete', '58-89');
    server.setNow(new Date('2025-03-03T12:00:00Z'));
    const applied = await destination.sync();
    const kinds = (local: string) => applied.filter((e) => e.loc.includes(`/articles/${local}/`)).map((e) => `${prefixOf(e.loc)} ${e.change}`);
    expect(kinds('58-7')).toEqual(['marcxml updated', 'mods updated', 'oai_datacite created', 'oai_dc updated', 'oai_openaire created']);
    expect(kinds('58-175')).toEqual(['marcxml updated', 'mods updated', 'oai_datacite deleted', 'oai_dc updated', 'oai_openaire deleted']);
    expect(kinds('58-39')).toEqual(expect.arrayContaining(['oai_openaire created', 'oai_dc updated']));
    expect(kinds('58-89')).toEqual(['marcxml deleted', 'mods deleted', 'oai_dc deleted']);
    expectInStep(destination);
  });

  it('applies a withdrawal and a restoration on the next day', async () => {
    runAdmin(server.dbPath, '2025-03-04T08:00:00Z', 'restore', '58-89');
    runAdmin(server.dbPath, '2025-03-04T08:00:01Z', 'delete', '58-7');
    server.setNow(new Date('2025-03-04T09:00:00Z'));
    const applied = await destination.sync();
    expect(applied.filter((e) => e.loc.includes('/articles/58-89/')).every((e) => e.change === 'created')).toBe(true);
    expect(applied.filter((e) => e.loc.includes('/articles/58-7/')).every((e) => e.change === 'deleted')).toBe(true);
    expectInStep(destination);
    // A second sync with nothing new changes nothing.
    const again = await destination.sync();
    expect(again.every((e) => e.datetime === destination.since)).toBe(true);
    expectInStep(destination);
  });

  it('ends where a fresh baseline starts, and every document it read was valid', async () => {
    const fresh = new Destination((url) => fetchBytes(server.app, url), PUBLIC_URL);
    await fresh.baseline();
    expect([...fresh.documents.keys()].sort()).toEqual([...destination.documents.keys()].sort());
    await validateSitemaps([...destination.read, ...fresh.read]);
    await validateDocuments(destination.documents);
  });
});

describe('the local stand-in for the ResourceSync schema', () => {
  it('accepts every example of the specification, through the wrappers', async () => {
    const fs = await import('node:fs');
    const dir = new URL('../schemas/sitemaps/examples/', import.meta.url);
    const examples = fs.readdirSync(dir).filter((f) => f.endsWith('.xml'));
    expect(examples).toHaveLength(30);
    await validateSitemaps(examples.map((name) => ({ name, xml: fs.readFileSync(new URL(name, dir), 'utf8') })));
  });

  it('refuses an unknown change and an unknown attribute', async () => {
    const bad = (md: string) =>
      `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:rs="http://www.openarchives.org/rs/terms/"><rs:md capability="changelist" from="2025-01-01T00:00:00Z"/><url><loc>http://example.org/a</loc>${md}</url></urlset>`;
    await expect(validateSitemaps([{ name: 'bad change', xml: bad('<rs:md change="moved"/>') }])).rejects.toThrow();
    await expect(validateSitemaps([{ name: 'bad attribute', xml: bad('<rs:md change="created" colour="red"/>') }])).rejects.toThrow();
  });
});
