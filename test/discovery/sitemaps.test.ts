import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { makeServer, PUBLIC_URL, runAdmin } from '../support/app.js';
import { fetchBytes } from '../support/discovery.js';
import { validateSitemap } from '../support/sitemap-schemas.js';
import { nodes, parseXml, texts } from '../support/xml.js';

// robots.txt and sitemaps, for crawlers such as Google Scholar's.

// robots-parser is CommonJS, and its types declare an ES default export it does not have.
const robotsParser = createRequire(import.meta.url)('robots-parser') as (url: string, text: string) => {
  isAllowed(url: string, agent?: string): boolean | undefined;
  getSitemaps(): string[];
};

const server = makeServer();
runAdmin(server.dbPath, '2025-05-01T10:00:00Z', 'set', '58-7', 'abstract', '--lang', 'en', 'A fixture abstract, changed for the test.');
runAdmin(server.dbPath, '2025-05-02T11:00:00Z', 'delete', '58-141');
const live = ['58-7', '58-39', '58-67', '58-89', '58-113', '58-175', '58-197'];

describe('robots.txt', () => {
  it('lets crawlers reach the landing pages, keeps them off the endless URLs, and names the sitemap', async () => {
    const res = await fetchBytes(server.app, '/robots.txt');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const robots = robotsParser(`${PUBLIC_URL}/robots.txt`, res.text);
    for (const agent of ['Googlebot', 'Googlebot-Scholar', 'CCBot']) {
      expect(robots.isAllowed(`${PUBLIC_URL}/articles/58-7`, agent)).toBe(true);
      expect(robots.isAllowed(`${PUBLIC_URL}/articles/58-7/metadata/oai_dc.xml`, agent)).toBe(true);
      expect(robots.isAllowed(`${PUBLIC_URL}/`, agent)).toBe(true);
      expect(robots.isAllowed(`${PUBLIC_URL}/sitemap.xml`, agent)).toBe(true);
      expect(robots.isAllowed(`${PUBLIC_URL}/oai?verb=ListRecords&metadataPrefix=oai_dc`, agent)).toBe(false);
      expect(robots.isAllowed(`${PUBLIC_URL}/explore?verb=Identify`, agent)).toBe(false);
      expect(robots.isAllowed(`${PUBLIC_URL}/articles?q=Iran&after=2025-03-01T08:30:00Z_3`, agent)).toBe(false);
    }
    expect(robots.getSitemaps()).toEqual([`${PUBLIC_URL}/sitemap.xml`]);
  });
});

describe('the sitemaps', () => {
  it('/sitemap.xml is a valid sitemap index of its parts, each with its latest change', async () => {
    const res = await fetchBytes(server.app, '/sitemap.xml');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/xml; charset=UTF-8');
    await validateSitemap('sitemap.xml', res.text);
    expect(texts(parseXml(res.text), '//sm:sitemap/sm:loc')).toEqual([`${PUBLIC_URL}/sitemap-1.xml`]);
    // A withdrawal changes a part too: its page leaves the sitemap.
    expect(texts(parseXml(res.text), '//sm:sitemap/sm:lastmod')).toEqual(['2025-05-02T11:00:00Z']);
  });

  it('a part lists the landing page of every live record, with its datestamp, and no withdrawn one', async () => {
    const res = await fetchBytes(server.app, '/sitemap-1.xml');
    expect(res.status).toBe(200);
    await validateSitemap('sitemap-1.xml', res.text);
    const doc = parseXml(res.text);
    const urls = nodes(doc, '//sm:url').map((u) => ({ loc: texts(u, 'sm:loc')[0], lastmod: texts(u, 'sm:lastmod')[0] }));
    expect(urls.map((u) => u.loc).sort()).toEqual(live.map((l) => `${PUBLIC_URL}/articles/${l}`).sort());
    for (const u of urls) {
      const local = (u.loc ?? '').split('/').pop() ?? '';
      expect(u.lastmod).toBe(server.store.repository.getRecord(local)?.datestamp);
      // Every page it names is there for a crawler.
      expect((await fetchBytes(server.app, u.loc ?? '')).status).toBe(200);
    }
  });

  it('answers 404 for a part that does not exist, and HEAD with the headers alone', async () => {
    for (const path of ['/sitemap-0.xml', '/sitemap-2.xml', '/sitemap-x.xml', '/sitemap-01.xml']) {
      expect((await fetchBytes(server.app, path)).status, path).toBe(404);
    }
    const head = await fetchBytes(server.app, '/sitemap-1.xml', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
  });

  it('is linked from every page, as is the ResourceSync Source Description', async () => {
    const res = await fetchBytes(server.app, '/');
    expect(res.text).toContain('<a href="/sitemap.xml">');
    expect(res.text).toContain('<a href="/.well-known/resourcesync">');
  });
});
