import Database from 'better-sqlite3';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { createLogger } from '../../src/log.js';
import { oaiContext } from '../../src/context.js';
import { makeServer, runAdmin, type TestServer } from '../support/app.js';
import { tempDir, writeFile } from '../support/cli.js';
import { parseXml } from '../support/xml.js';

const HOSTILE_SCRIPT = '<script>window.__xss=1</script>';
const HOSTILE_ATTRIBUTE = '"><img src=x onerror="window.__xss=2">';

function admin(server: TestServer, ...argv: string[]): string {
  return runAdmin(server.dbPath, '2025-06-01T00:00:00Z', ...argv);
}

const server = makeServer();
admin(server, 'set', '58-39', 'title', '--lang', 'en', `${HOSTILE_SCRIPT} ${HOSTILE_ATTRIBUTE}`);
admin(server, 'delete', '58-141');
const get = (path: string) => request(server.app).get(path);

const PAGES = [
  '/',
  '/articles',
  '/articles?q=Iran',
  '/articles/58-7',
  '/articles/58-39',
  '/explore',
  '/explore?verb=ListRecords&metadataPrefix=oai_dc',
  '/explore?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:repo.example.org:58-39',
  '/explore?verb=ListSets',
  '/explore?verb=ListRecords&from=junk',
  '/quality',
];

describe('every page', () => {
  it.each(PAGES)('%s is HTML under a strict Content-Security-Policy with no script to run', async (path) => {
    const res = await get(path);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    // Only a JSON-LD data block, on a landing page: browsers never run one, and its JSON escapes
    // every "<", so nothing in it can close the element.
    const blocks = res.text.match(/<script type="application\/ld\+json">[^<]*<\/script>/g) ?? [];
    expect(blocks.length).toBe(/^\/articles\/[^/?]+$/.test(path) ? 1 : 0);
    expect(res.text.replace(/<script type="application\/ld\+json">[^<]*<\/script>/g, '')).not.toMatch(/<script/i);
    // Attribute names only: quoted values (where the hostile title's escaped "onerror=" sits) are dropped first.
    const attributes = [...res.text.matchAll(/<[a-z][^>]*>/gi)].map((m) => m[0].replace(/"[^"]*"/g, '""'));
    expect(attributes.filter((tag) => /\s(style|on[a-z]+)=/i.test(tag))).toEqual([]);
  });

  it.each(PAGES)('%s shows a hostile title as text, never as markup', async (path) => {
    const res = await get(path);
    expect(res.text).not.toContain(HOSTILE_SCRIPT);
    expect(res.text).not.toContain('<img');
  });

  it('escapes the hostile title where it appears', async () => {
    const res = await get('/articles/58-39');
    expect(res.text).toContain('&lt;script&gt;window.__xss=1&lt;/script&gt;');
    expect(res.text).toContain('&quot;&gt;&lt;img src=x onerror=&quot;window.__xss=2&quot;&gt;');
  });

  it('marks Persian text rtl and English ltr', async () => {
    const res = await get('/articles/58-7');
    expect(res.text).toMatch(/<section lang="fa" dir="rtl"/);
    expect(res.text).toMatch(/<section lang="en" dir="ltr"/);
    expect(res.text).toContain('<bdi>');
  });
});

describe('the dashboard', () => {
  it('shows the Identify facts, the counts per set and a link for each verb', async () => {
    const res = await get('/');
    expect(res.text).toContain('http://repo.example.org/oai');
    expect(res.text).toContain('oai-admin@example.org');
    expect(res.text).toContain('persistent');
    expect(res.text).toMatch(/Deleted<\/dt><dd><a href="\/articles\?state=deleted">1<\/a>/);
    expect(res.text).toMatch(/<code>issue:58<\/code><\/a><\/td><td>[^<]*<bdi lang="fa" dir="rtl">[^<]*<\/bdi><\/td><td>8<\/td>/);
    for (const verb of ['Identify', 'ListMetadataFormats', 'ListSets', 'ListIdentifiers', 'ListRecords', 'GetRecord']) {
      expect(res.text).toContain(`?verb=${verb}`);
    }
  });

  it('shows dates in both calendars, the Persian one from Intl', async () => {
    const res = await get('/articles/58-7');
    expect(res.text).toContain('22 September 2022');
    expect(res.text).toContain('۳۱ شهریور ۱۴۰۱');
  });
});

describe('the article list', () => {
  const ids = (html: string) => [...html.matchAll(/<article class="card[^"]*" data-id="([^"]+)"/g)].map((m) => m[1]);

  it('finds articles by Persian and English words, whatever letters the query uses', async () => {
    expect(ids((await get(`/articles?q=${encodeURIComponent('قره باغ')}`)).text)).toEqual(['58-7']);
    expect(ids((await get('/articles?q=karabakh')).text)).toEqual(['58-7']);
    // Arabic yeh and kaf in the query, Persian ones in the store.
    const arabic = ids((await get(`/articles?q=${encodeURIComponent('سياست خارجي روسيه')}`)).text);
    expect(arabic).toContain('58-7');
    expect(arabic).toEqual(ids((await get(`/articles?q=${encodeURIComponent('سیاست خارجی روسیه')}`)).text));
    // A prefix finds the longer forms Persian builds from it.
    expect(ids((await get(`/articles?q=${encodeURIComponent('اتاق')}`)).text)).toContain('58-39');
    expect((await get('/articles?q=zzzzqqq')).text).toContain('No article matches.');
  });

  it('searches authors and titles too', async () => {
    expect(ids((await get('/articles?q=Koolaee')).text)).toEqual(['58-197']);
    expect(ids((await get(`/articles?q=${encodeURIComponent('کولایی')}`)).text)).toEqual(['58-197']);
    expect(ids((await get('/articles?q=Political+Economy')).text)).toEqual(['58-175']);
  });

  it('filters by state, set and issue', async () => {
    expect(ids((await get('/articles?state=deleted')).text)).toEqual(['58-141']);
    expect(ids((await get('/articles?state=live')).text)).toHaveLength(7);
    expect(ids((await get('/articles?set=issue:58&issue=58')).text)).toHaveLength(8);
    expect(ids((await get('/articles?issue=57')).text)).toEqual([]);
  });

  it('pages by key: following "next" walks every article once', async () => {
    const big = makeServer();
    const lines = Array.from({ length: 45 }, (_, i) => JSON.stringify({ issue: { number: 58 }, pages: `${300 + i}-${300 + i}`, title: { en: `Extra ${i}` } }));
    admin(big, 'import', writeFile(tempDir(), 'extra.jsonl', lines.join('\n')));
    const seen: string[] = [];
    let path: string | null = '/articles';
    while (path !== null) {
      const res = await request(big.app).get(path);
      seen.push(...ids(res.text).map(String));
      const next = /<a rel="next" href="([^"]+)"/.exec(res.text)?.[1];
      path = next === undefined ? null : next.replaceAll('&amp;', '&');
    }
    expect(seen).toHaveLength(53);
    expect(new Set(seen).size).toBe(53);
  });
});

describe('the landing page', () => {
  it('carries Google Scholar citation tags, in both languages where there are two', async () => {
    const res = await get('/articles/58-175');
    const text = res.text;
    expect(text).toContain(`<meta name="citation_title" content="Political Economy of China&#39;s New Silk Road And Iran&#39;s Interdependence" lang="en">`);
    expect(text).toContain('<meta name="citation_author" content="Sepideh Mohammadi" lang="en">');
    expect(text).toContain('<meta name="citation_author" content="سپیده محمدی" lang="fa">');
    expect(text).toContain('<meta name="citation_publication_date" content="2022/09/22">');
    expect(text).toContain('<meta name="citation_journal_title" content="فصلنامه مطالعات روابط بین الملل" lang="fa">');
    expect(text).toContain('<meta name="citation_issue" content="58">');
    expect(text).toContain('<meta name="citation_firstpage" content="175">');
    expect(text).toContain('<meta name="citation_lastpage" content="196">');
    expect(text).toContain('<meta name="citation_abstract_html_url" content="http://repo.example.org/articles/58-175">');
  });

  it('shows each format as pretty, highlighted, escaped XML, folded, and links GetRecord for it', async () => {
    const res = await get('/articles/58-175');
    // Folded, so that the page is short: each format's XML opens on a click.
    expect(res.text).toMatch(/<details class="format" id="xml-oai_dc"><summary><code>oai_dc<\/code><\/summary><pre class="xml"/);
    expect(res.text).not.toMatch(/<details[^>]* open/);
    expect(res.text).toContain('verb=GetRecord&amp;metadataPrefix=oai_dc&amp;identifier=oai%3Arepo.example.org%3A58-175');
    const pre = /<pre class="xml" dir="ltr">([\s\S]*?)<\/pre>/.exec(res.text)?.[1] ?? '';
    expect(pre).toContain('<span class="tag">&lt;oai_dc:dc</span>');
    expect(pre).toContain('<span class="attr">xml:lang</span>');
    // The XML's own escape of the apostrophe shows as written; nothing is unescaped.
    const shown = pre.replace(/<[^>]+>/g, '').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&');
    parseXml(shown);
    expect(shown).toContain('\n  <dc:title xml:lang="en">');
  });

  it('answers 410 with a tombstone for a withdrawn record, 404 for an unknown one', async () => {
    const gone = await get('/articles/58-141');
    expect(gone.status).toBe(410);
    expect(gone.text).toContain('This record has been withdrawn');
    const missing = await get('/articles/99-1');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('No article has the id');
  });
});

describe('the explorer', () => {
  it('renders errors in plain words, and links the raw XML of the same request', async () => {
    const res = await get('/explore?verb=ListRecords&from=junk');
    expect(res.text).toContain('data-code="badArgument"');
    expect(res.text).toContain('dates are YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ');
    expect(res.text).toContain('href="http://repo.example.org/oai?verb=ListRecords&amp;from=junk"');
  });

  it('offers the formats and sets as choices, keeping a value the lists lack', async () => {
    const res = await get('/explore?verb=ListRecords&metadataPrefix=marc21&set=prb:58');
    const select = (name: string) => new RegExp(`<select name="${name}"[^>]*>([\\s\\S]*?)</select>`).exec(res.text)?.[1] ?? '';
    expect(select('metadataPrefix')).toContain('<option value="oai_dc">oai_dc</option>');
    expect(select('metadataPrefix')).toContain('<option value="marc21" selected>marc21</option>');
    expect(select('set')).toContain('<option value="prb:58" selected>prb:58');
    expect(select('set')).toContain('<option value="openaire">openaire');
    expect(res.text).toContain('data-code="cannotDisseminateFormat"');
  });

  it('leaves empty form fields out of the request', async () => {
    const res = await get('/explore?verb=Identify&identifier=&metadataPrefix=&from=&until=&set=&resumptionToken=');
    expect(res.text).not.toContain('data-code');
    expect(res.text).toContain('Sample identifier');
  });
});

describe('errors', () => {
  it('answers an unknown path with a plain 404 page', async () => {
    const res = await get('/no/such/page');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.text).toContain('Not found');
  });

  it('answers a failure with a plain 500 page and no stack trace, and logs the details', async () => {
    const logged: string[] = [];
    const ctx = oaiContext(server.config, server.store);
    const broken = createApp(
      {
        ...ctx,
        repository: {
          ...ctx.repository,
          getRecord: () => {
            throw new Error('disk on fire');
          },
        } as typeof ctx.repository,
      },
      { logger: createLogger('info', { write: (line: string) => logged.push(line) }) },
    );
    const res = await request(broken).get('/articles/58-7');
    expect(res.status).toBe(500);
    expect(res.text).toContain('Something went wrong');
    expect(res.text).not.toContain('disk on fire');
    expect(res.text).not.toMatch(/at .*\.(js|ts):\d+/);
    expect(logged.join('\n')).toContain('disk on fire');
  });

  it('keeps /oai XML for browsers too', async () => {
    const res = await request(server.app).get('/oai?verb=Identify').set('Accept', 'text/html');
    expect(res.headers['content-type']).toBe('text/xml; charset=UTF-8');
  });
});

describe('the search index', () => {
  it('is rebuilt for a store written by older code', async () => {
    const other = makeServer();
    const db = new Database(other.dbPath);
    db.exec(`DELETE FROM article_search; DELETE FROM meta WHERE key = 'search_index'`);
    db.close();
    admin(other, 'list');
    const res = await request(other.app).get('/articles?q=Karabakh');
    expect(res.text).toContain('data-id="58-7"');
  });
});
