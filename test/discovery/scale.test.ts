import { createHash } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildSyntheticStore } from '../../scripts/synthetic.js';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { oaiContext } from '../../src/context.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { PUBLIC_URL } from '../support/app.js';
import { listenOnLoopback } from '../support/browser.js';
import { tempDir } from '../support/cli.js';
import { fetchBytes, parseLinks } from '../support/discovery.js';
import { validateSitemaps } from '../support/sitemap-schemas.js';
import { nodes, parseXml, texts } from '../support/xml.js';

// The same rules at 100,000 records, where every list needs parts: the synthetic records of the
// benchmark, imported through the real import path into a real SQLite file.

vi.setConfig({ testTimeout: 600_000, hookTimeout: 900_000 });

const N = 100_000;
const LIMIT = 50_000;
let app: App;
let store: Store;

beforeAll(() => {
  const dbPath = path.join(tempDir('oai-scale-'), 'scale.sqlite');
  const config = loadConfig({ DATABASE_PATH: dbPath, PUBLIC_URL, RESUMPTION_TOKEN_SECRET: 'scale-test-secret-of-enough-length' });
  buildSyntheticStore(dbPath, N, 58, config);
  store = openStore(config);
  app = createApp(oaiContext(config, store));
});
afterAll(() => store.close());

const count = (sql: string) => store.db.prepare<[], number>(sql).pluck().get() ?? 0;

/** Fetches an XML document and checks it is there. */
async function xml(url: string): Promise<string> {
  const res = await fetchBytes(app, url);
  expect(res.status, url).toBe(200);
  return res.text;
}

/** The entries of a sitemap or ResourceSync list, without parsing megabytes into a DOM. */
const locs = (text: string) => [...text.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1] ?? '');

describe(`at ${N.toLocaleString('en')} records`, () => {
  it('the sitemap index lists parts of up to 50,000 live landing pages, together every live record once', async () => {
    const index = await xml('/sitemap.xml');
    const parts = texts(parseXml(index), '//sm:sitemap/sm:loc');
    const lastId = count('SELECT max(id) FROM article');
    expect(parts).toHaveLength(Math.ceil(lastId / LIMIT));
    const pages: string[] = [];
    const documents = [{ name: 'sitemap index', xml: index }];
    for (const part of parts) {
      const text = await xml(part);
      const entries = locs(text);
      expect(entries.length).toBeLessThanOrEqual(LIMIT);
      pages.push(...entries);
      documents.push({ name: part, xml: text });
    }
    await validateSitemaps(documents);
    expect(pages).toHaveLength(count('SELECT count(*) FROM article WHERE deleted = 0'));
    expect(new Set(pages).size).toBe(pages.length);
  });

  it('the Resource List becomes an index of parts of up to 50,000 documents, together every live document once', async () => {
    const index = await xml('/resourcesync/resourcelist.xml');
    const doc = parseXml(index);
    expect(doc.documentElement?.localName).toBe('sitemapindex');
    const md = nodes(doc, '/*/rs:md')[0];
    expect(md?.getAttribute('capability')).toBe('resourcelist');
    expect(md?.getAttribute('completed')! >= md?.getAttribute('at')!).toBe(true);
    const parts = texts(doc, '//sm:sitemap/sm:loc');
    expect(parts.length).toBeGreaterThan(1);
    const all: string[] = [];
    const checked = [{ name: 'resource list index', xml: index }];
    for (const [i, part] of parts.entries()) {
      const text = await xml(part);
      const entries = locs(text);
      expect(entries.length).toBeLessThanOrEqual(LIMIT);
      expect(text).toContain(`<rs:ln rel="index" href="${PUBLIC_URL}/resourcesync/resourcelist.xml"/>`);
      all.push(...entries);
      // Each part is megabytes: the first and the last are validated whole.
      if (i === 0 || i === parts.length - 1) checked.push({ name: part, xml: text });
      if (i === Math.floor(parts.length / 2)) {
        // A sample of a middle part: each document is what the list says, byte for byte. Read
        // with a pattern: XPath over a document of megabytes takes minutes.
        const sample = [...text.matchAll(/<url><loc>([^<]+)<\/loc><lastmod>[^<]+<\/lastmod><rs:md hash="md5:(\w+) sha-256:(\w+)" length="(\d+)"/g)];
        expect(sample).toHaveLength(entries.length);
        for (const [, loc = '', md5, sha, length] of sample.filter((_, n) => n % 997 === 0)) {
          const res = await fetchBytes(app, loc);
          expect(md5).toBe(createHash('md5').update(res.body).digest('hex'));
          expect(sha).toBe(createHash('sha256').update(res.body).digest('hex'));
          expect(length).toBe(String(res.body.length));
        }
      }
    }
    await validateSitemaps(checked);
    expect(all).toHaveLength(count('SELECT count(*) FROM document d JOIN article a ON a.id = d.article_id WHERE a.deleted = 0 AND d.md5 IS NOT NULL'));
    expect(new Set(all).size).toBe(all.length);
  });

  it('the Change Lists cut a busy day into parts, in order, holding every document once', async () => {
    const index = await xml('/resourcesync/changelist.xml');
    const parts = texts(parseXml(index), '//sm:sitemap/sm:loc');
    // A whole import shares a day or two: far more than one document can list.
    expect(parts.length).toBeGreaterThan(count('SELECT count(DISTINCT substr(datestamp, 1, 10)) FROM article'));
    const entries: Array<{ loc: string; datetime: string }> = [];
    const checked = [{ name: 'change list index', xml: index }];
    for (const [i, part] of parts.entries()) {
      const text = await xml(part);
      const found = [...text.matchAll(/<loc>([^<]+)<\/loc>(?:<lastmod>[^<]*<\/lastmod>)?<rs:md change="\w+" datetime="([^"]+)"/g)].map((m) => ({ loc: m[1] ?? '', datetime: m[2] ?? '' }));
      expect(found.length).toBe(locs(text).length);
      expect(found.length).toBeLessThanOrEqual(LIMIT);
      entries.push(...found);
      if (i === 1) checked.push({ name: part, xml: text });
    }
    await validateSitemaps(checked);
    expect(entries.map((e) => e.datetime)).toEqual([...entries.map((e) => e.datetime)].sort());
    expect(entries).toHaveLength(count('SELECT count(*) FROM document'));
    expect(new Set(entries.map((e) => e.loc)).size).toBe(entries.length);
  });

  it('writes a part as a slow client takes it, and serves others meanwhile', async () => {
    const listener = await listenOnLoopback();
    listener.server.on('request', app);
    try {
      const whole = (await fetchBytes(app, '/resourcesync/resourcelist-2.xml')).body;
      // A client that reads nothing for a while: the server must wait for it, not hold the store.
      const res = await new Promise<http.IncomingMessage>((resolve) => http.get(`${listener.origin}/resourcesync/resourcelist-2.xml`, resolve));
      res.pause();
      await new Promise((r) => setTimeout(r, 300));
      const others = await Promise.all([
        fetch(`${listener.origin}/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:repo.example.org:58-7`),
        fetch(`${listener.origin}/sitemap-1.xml`),
      ]);
      expect(others.map((r) => r.status)).toEqual([200, 200]);
      expect(locs(await others[1]!.text()).length).toBeGreaterThan(40_000);
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.resume();
      await new Promise((r) => res.on('end', r));
      expect(Buffer.concat(parts).toString('utf8').replace(/ at="[^"]+"/, '')).toBe(whole.toString('utf8').replace(/ at="[^"]+"/, ''));
    } finally {
      await listener.close();
    }
  });

  it('a record deep in the store has its document, its signposts and its link set', async () => {
    const local = store.db.prepare<[], string>('SELECT local_id FROM article WHERE deleted = 0 ORDER BY id DESC LIMIT 1 OFFSET 3').pluck().get() ?? '';
    expect(local).toMatch(/^1\d{3}-\d+$/);
    for (const prefix of ['oai_dc', 'oai_datacite']) expect((await fetchBytes(app, `/articles/${local}/metadata/${prefix}.xml`)).status).toBe(200);
    const page = await fetchBytes(app, `/articles/${local}`);
    const links = parseLinks(page.headers['link']);
    expect(links.filter((l) => l.rel === 'cite-as').map((l) => l.uri)).toEqual([`${PUBLIC_URL}/articles/${local}`]);
    expect(links.filter((l) => l.rel === 'describedby')).toHaveLength(count(`SELECT count(*) FROM document d JOIN article a ON a.id = d.article_id WHERE a.local_id = '${local}' AND d.md5 IS NOT NULL`));
    const set = parseLinks((await fetchBytes(app, `/articles/${local}/linkset`)).text);
    expect(set.filter((l) => l.rel === 'describes')).toHaveLength(links.filter((l) => l.rel === 'describedby').length);
  });
});
