import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { makeServer, runAdmin } from '../support/app.js';
import { cardIds, chromiumSession, NO_TROUBLE, screenshot, SKIP_BROWSER_TESTS, troubles, type WatchedPage } from '../support/browser.js';

// The admin pages in a real Chromium, over a real socket: what escaping, the CSP, the fonts and
// the bidirectional layout do can only be seen where a browser renders them.

const TIMEOUT = { timeout: 60_000 };
const REPOSITORY = 'oai:repo.example.org';
const LOCAL_IDS = ['58-7', '58-39', '58-67', '58-89', '58-113', '58-141', '58-175', '58-197'];
const WITHDRAWN = '58-141';
const HOSTILE = '58-39';
const SCRIPT_PAYLOAD = '<script>window.__xss=1</script>';
const ATTRIBUTE_PAYLOAD = '"><img src=x onerror="window.__xss=2">';
const PAYLOAD = `${SCRIPT_PAYLOAD} ${ATTRIBUTE_PAYLOAD}`;

/** How the payload reads inside the XML the pages show: the serializer's escapes, shown as written. */
const xmlText = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** The pages that must load cleanly, with the names of their screenshots. */
const PAGES: ReadonlyArray<{ name: string; path: string }> = [
  { name: 'dashboard', path: '/' },
  { name: 'articles', path: '/articles' },
  { name: 'articles-search', path: `/articles?q=${encodeURIComponent('سیاست روسیه')}` },
  { name: 'article-58-7', path: '/articles/58-7' },
  { name: 'article-58-39', path: '/articles/58-39' },
  { name: 'explore', path: '/explore' },
  { name: 'explore-identify', path: '/explore?verb=Identify' },
  { name: 'explore-list-records', path: '/explore?verb=ListRecords&metadataPrefix=oai_dc' },
  { name: 'explore-bad-argument', path: '/explore?verb=ListRecords&from=junk' },
  { name: 'quality', path: '/quality' },
  { name: 'activity', path: '/activity' },
  { name: 'selfcheck', path: '/selfcheck' },
];

/** Runs one admin command on the test database, the way `npm run admin` would. */
function admin(dbPath: string, now: string, ...argv: string[]): void {
  runAdmin(dbPath, now, ...argv);
}

describe.skipIf(SKIP_BROWSER_TESTS)('the admin pages in Chromium', () => {
  const session = chromiumSession((origin) => {
    const server = makeServer({
      PUBLIC_URL: origin,
      // A loopback address is no domain name: the identifiers keep the test suite's domain.
      OAI_REPOSITORY_IDENTIFIER: 'repo.example.org',
      OAI_PAGE_SIZE_IDENTIFIERS: '3',
      OAI_PAGE_SIZE_RECORDS: '3',
    });
    // The data changes go in before the first request: one record withdrawn, one hostile title.
    admin(server.dbPath, '2025-06-01T00:00:00Z', 'delete', WITHDRAWN);
    admin(server.dbPath, '2025-06-01T00:00:05Z', 'set', HOSTILE, 'title', '--lang', 'en', PAYLOAD);
    return server.app;
  });
  const open = () => session.open();

  describe('every page loads cleanly', () => {
    it.for(PAGES)('$path answers 200 with no console or page error', TIMEOUT, async ({ name, path }) => {
      const w = await open();
      const response = await w.page.goto(path, { waitUntil: 'load' });
      await w.page.evaluate(() => document.fonts.ready.then(() => undefined));
      expect(response?.status()).toBe(200);
      expect(response?.headers()['content-type']).toMatch(/^text\/html; charset=utf-8$/i);
      // The layout's stylesheet arrived and applies: the body uses the Persian font stack first.
      const bodyFont = await w.page.evaluate(() => getComputedStyle(document.body).fontFamily);
      expect(bodyFont).toMatch(/^"?Vazirmatn"?,/);
      await screenshot(w.page, name);
      expect(troubles(w)).toEqual(NO_TROUBLE);
    });

    it.for(PAGES)('$path in Persian is mirrored: right to left, the navigation starting on the right', TIMEOUT, async ({ name, path }) => {
      const w = await open();
      const persian = `/fa${path === '/' ? '' : path}`;
      const response = await w.page.goto(persian, { waitUntil: 'load' });
      expect(response?.status()).toBe(200);
      const layout = await w.page.evaluate(() => {
        const nav = document.querySelector('header.site nav');
        const links = Array.from(nav?.children ?? []).map((e) => e.getBoundingClientRect());
        const first = links[0];
        const last = links[links.length - 1];
        return {
          lang: document.documentElement.lang,
          dir: document.documentElement.dir,
          direction: getComputedStyle(document.body).direction,
          // The repository's name comes first: on the right in Persian.
          firstRightOfLast: first !== undefined && last !== undefined && first.left > last.left,
          navText: nav?.textContent ?? '',
        };
      });
      expect(layout).toMatchObject({ lang: 'fa', dir: 'rtl', direction: 'rtl', firstRightOfLast: true });
      expect(layout.navText).toContain('پیشخوان');
      expect(layout.navText).toContain('English');
      await screenshot(w.page, `${name}-fa`);
      expect(troubles(w)).toEqual(NO_TROUBLE);
      // The prefix remembered Persian in a cookie; the other tests read the pages in English.
      await w.page.context().clearCookies();
    });

    it('switches language by the link on the page, and remembers it', TIMEOUT, async () => {
      const w = await open();
      await w.page.context().clearCookies();
      await w.page.goto('/articles');
      expect(await w.page.evaluate(() => document.documentElement.dir)).toBe('ltr');
      await Promise.all([w.page.waitForURL((url) => url.pathname === '/fa/articles'), w.page.locator('a.language').click()]);
      expect(await w.page.evaluate(() => document.documentElement.lang)).toBe('fa');
      // Remembered: the unprefixed address now answers in Persian too.
      await w.page.goto('/quality');
      expect(await w.page.evaluate(() => [document.documentElement.lang, document.querySelector('h1')?.textContent])).toEqual(['fa', 'کیفیت داده‌ها']);
      expect(troubles(w)).toEqual(NO_TROUBLE);
      await w.page.context().clearCookies();
    });

    it('shows an OAI error as a page, explained, without a console error', TIMEOUT, async () => {
      const w = await open();
      await w.page.goto('/explore?verb=ListRecords&from=junk');
      // Two mistakes, each its own badArgument: a malformed date and no metadataPrefix.
      const codes = await w.page.locator('.error-box').evaluateAll((boxes) => boxes.map((b) => b.getAttribute('data-code')));
      expect(codes).toEqual(['badArgument', 'badArgument']);
      const text = await w.page.locator('main').innerText();
      expect(text).toContain('dates are YYYY-MM-DD');
      expect(w.page.url()).toBe(`${session.origin()}/explore?verb=ListRecords&from=junk`);
      expect(troubles(w)).toEqual(NO_TROUBLE);
    });
  });

  describe('bidirectional layout', () => {
    it('the landing page sets Persian right-to-left and English left-to-right', TIMEOUT, async () => {
      const w = await open();
      await w.page.goto('/articles/58-7');
      const fa = w.page.locator('section[lang="fa"]');
      const en = w.page.locator('section[lang="en"]');
      await expect(fa.count()).resolves.toBe(1);
      await expect(en.count()).resolves.toBe(1);
      expect(await fa.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
      // Aligned by logical properties: to the start, which in a right-to-left block is the right.
      expect(await fa.evaluate((el) => getComputedStyle(el).textAlign)).toBe('start');
      expect(await en.evaluate((el) => getComputedStyle(el).direction)).toBe('ltr');
      // Side by side, the Persian block is laid out in its own column.
      const [faBox, enBox] = [await fa.boundingBox(), await en.boundingBox()];
      expect(faBox?.width).toBeGreaterThan(100);
      expect(enBox?.width).toBeGreaterThan(100);
      expect(troubles(w)).toEqual(NO_TROUBLE);
    });

    it('an article card on /articles sets each language block its direction', TIMEOUT, async () => {
      const w = await open();
      await w.page.goto('/articles');
      const card = w.page.locator('article.card[data-id="58-7"]');
      const fa = card.locator('.lang-fa');
      const en = card.locator('.lang-en');
      expect(await fa.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
      expect(await en.evaluate((el) => getComputedStyle(el).direction)).toBe('ltr');
      expect(await fa.evaluate((el) => el.getAttribute('lang'))).toBe('fa');
      expect(await en.evaluate((el) => el.getAttribute('lang'))).toBe('en');
      expect(troubles(w)).toEqual(NO_TROUBLE);
    });
  });

  describe('the Persian web font', () => {
    it('loads Vazirmatn from /static/vazirmatn and renders Persian text with it', TIMEOUT, async () => {
      const w = await open();
      await w.page.goto('/articles/58-7');
      const fonts = await w.page.evaluate(async () => {
        await document.fonts.ready;
        const loaded: Array<{ family: string; range: string; weight: string }> = [];
        document.fonts.forEach((f) => {
          if (f.status === 'loaded') loaded.push({ family: f.family, range: f.unicodeRange, weight: f.weight });
        });
        return { check: document.fonts.check('16px Vazirmatn', 'سلام'), loaded };
      });
      expect(fonts.check).toBe(true);
      // A loaded Vazirmatn face covers the Arabic script block.
      const arabic = fonts.loaded.filter((f) => /Vazirmatn/.test(f.family) && /U\+600-6FF/i.test(f.range));
      expect(arabic.length, JSON.stringify(fonts.loaded)).toBeGreaterThan(0);

      const woff2 = w.responses.filter((r) => /\/static\/vazirmatn\/files\/vazirmatn-arabic-\d+-normal\.woff2$/.test(r.url()));
      expect(woff2.length).toBeGreaterThan(0);
      for (const r of woff2) {
        expect(r.status(), r.url()).toBe(200);
        expect(r.headers()['content-type']).toBe('font/woff2');
      }

      // What Chromium actually drew the Persian title with, as its layout engine reports it.
      const cdp = await w.page.context().newCDPSession(w.page);
      await cdp.send('DOM.enable');
      await cdp.send('CSS.enable');
      const { root } = await cdp.send('DOM.getDocument');
      const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: 'section[lang="fa"] h1' });
      const { fonts: used } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
      await cdp.detach();
      expect(used.map((f) => f.familyName), JSON.stringify(used)).toContain('Vazirmatn');
      expect(used.every((f) => f.familyName === 'Vazirmatn' || f.glyphCount === 0), JSON.stringify(used)).toBe(true);
      expect(troubles(w)).toEqual(NO_TROUBLE);
    });
  });

  describe('search on /articles', () => {
    /** Types the words into the search box and submits the form like a person would. */
    async function search(page: Page, words: string): Promise<string[]> {
      const box = page.locator('form.filters input[name="q"]');
      await box.fill(words);
      await Promise.all([
        page.waitForURL((url) => url.pathname === '/articles' && url.searchParams.get('q') === words),
        page.locator('form.filters button[type="submit"]').click(),
      ]);
      expect(await box.inputValue()).toBe(words);
      return cardIds(page);
    }

    it('finds an article by Persian words, English words and Arabic-letter spellings', TIMEOUT, async () => {
      const w = await open();
      await w.page.goto('/articles');
      expect((await cardIds(w.page)).length).toBe(LOCAL_IDS.length);

      const persian = await search(w.page, 'قره باغ');
      expect(persian).toContain('58-7');
      expect(persian.length).toBeLessThanOrEqual(3);
      await screenshot(w.page, 'search-persian');

      const english = await search(w.page, 'Karabakh');
      expect(english).toContain('58-7');
      expect(english.length).toBeLessThanOrEqual(3);

      // Arabic yeh (ي) where the keyword «سیاست خارجی روسیه» has the Persian one (ی).
      const arabicLetters = await search(w.page, 'سياست خارجي');
      expect(arabicLetters).toContain('58-7');

      const nothing = await search(w.page, 'zqxjvw');
      expect(nothing).toEqual([]);
      expect(await w.page.locator('main').innerText()).toContain('No article matches.');
      expect(troubles(w)).toEqual(NO_TROUBLE);
    });
  });

  describe('the OAI explorer', () => {
    it('walks a whole ListIdentifiers harvest through its resumption tokens', TIMEOUT, async () => {
      const w = await open();
      await w.page.goto('/explore');
      await w.page.locator('form.explore select[name="verb"]').selectOption('ListIdentifiers');
      await w.page.locator('form.explore select[name="metadataPrefix"]').selectOption('oai_dc');
      await Promise.all([
        w.page.waitForURL((url) => url.searchParams.get('verb') === 'ListIdentifiers'),
        w.page.locator('form.explore button[type="submit"]').click(),
      ]);

      const pages: Array<Array<{ identifier: string; state: string }>> = [];
      for (let guard = 0; guard < 10; guard++) {
        const rows = await w.page.locator('tr.header').evaluateAll((trs) =>
          trs.map((tr) => ({
            identifier: tr.querySelector('td:first-child code')?.textContent ?? '',
            state: tr.querySelector('td:last-child')?.textContent?.trim() ?? '',
          })),
        );
        pages.push(rows);
        const next = w.page.locator('a[rel="next"]');
        if ((await next.count()) === 0) break;
        const href = (await next.getAttribute('href')) ?? '';
        expect(href).toMatch(/^\/explore\?verb=ListIdentifiers&resumptionToken=/);
        await Promise.all([w.page.waitForURL((url) => `${url.pathname}${url.search}` === href), next.click()]);
      }

      expect(pages.map((p) => p.length)).toEqual([3, 3, 2]);
      const identifiers = pages.flat().map((r) => r.identifier);
      expect([...identifiers].sort()).toEqual(LOCAL_IDS.map((id) => `${REPOSITORY}:${id}`).sort());
      const states = new Map(pages.flat().map((r) => [r.identifier, r.state]));
      expect(states.get(`${REPOSITORY}:${WITHDRAWN}`)).toBe('deleted');
      for (const id of LOCAL_IDS.filter((i) => i !== WITHDRAWN)) expect(states.get(`${REPOSITORY}:${id}`)).toBe('live');
      expect(await w.page.locator('main').innerText()).toMatch(/Items 7–8 of 8\. Last page/);
      await screenshot(w.page, 'explore-last-page');
      expect(troubles(w)).toEqual(NO_TROUBLE);
    });
  });

  describe('page width', () => {
    it('no page, the explorer pages that carry a resumption token included, is wider than a 1280px window', TIMEOUT, async () => {
      const w = await open();
      const paths = PAGES.map((p) => p.path);
      for (const start of ['/explore?verb=ListIdentifiers&metadataPrefix=oai_dc', '/explore?verb=ListRecords&metadataPrefix=oai_dc']) {
        await w.page.goto(start);
        const next = await w.page.locator('a[rel="next"]').getAttribute('href');
        expect(next).toMatch(/resumptionToken=/);
        paths.push(next ?? '');
      }
      const tooWide: string[] = [];
      for (const path of paths) {
        await w.page.goto(path);
        const { scrollWidth, clientWidth, culprits } = await w.page.evaluate(() => {
          const clientWidth = document.documentElement.clientWidth;
          const culprits = Array.from(document.querySelectorAll('main *'))
            .filter((e) => e.getBoundingClientRect().right > clientWidth + 1 && e.children.length === 0)
            .map((e) => e.tagName.toLowerCase());
          return { scrollWidth: document.documentElement.scrollWidth, clientWidth, culprits };
        });
        if (scrollWidth > clientWidth) tooWide.push(`${path.slice(0, 60)}…: ${scrollWidth}px wide (${[...new Set(culprits)].join(', ')})`);
      }
      expect(tooWide).toEqual([]);
    });
  });

  describe('a withdrawn article', () => {
    it('answers 410 with a tombstone page, and is listed among the withdrawn', TIMEOUT, async () => {
      const w = await open();
      const response = await w.page.goto(`/articles/${WITHDRAWN}`);
      expect(response?.status()).toBe(410);
      const text = await w.page.locator('main').innerText();
      expect(text).toMatch(/withdrawn/i);
      expect(text).toContain(`${REPOSITORY}:${WITHDRAWN}`);
      await screenshot(w.page, 'article-withdrawn');
      // The same tombstone in Persian, right to left.
      expect((await w.page.goto(`/fa/articles/${WITHDRAWN}`))?.status()).toBe(410);
      expect(await w.page.evaluate(() => [document.documentElement.dir, document.querySelector('h1')?.textContent])).toEqual(['rtl', 'این رکورد از مخزن برداشته شده است']);
      await w.page.context().clearCookies();

      await w.page.goto('/articles?state=deleted');
      expect(await cardIds(w.page)).toEqual([WITHDRAWN]);
      expect(await w.page.locator(`article.card[data-id="${WITHDRAWN}"] .badge.deleted`).innerText()).toBe('withdrawn');
      // Chromium logs a 410 document as a failed load: that is the status itself, and the only errors.
      expect(w.consoleErrors).toEqual(
        [`/articles/${WITHDRAWN}`, `/fa/articles/${WITHDRAWN}`].map((p) => `Failed to load resource: the server responded with a status of 410 (Gone) (${session.origin()}${p})`),
      );
      expect({ ...troubles(w), consoleErrors: [] }).toEqual(NO_TROUBLE);
    });
  });

  describe('a hostile title', () => {
    /** Checks the page ran nothing from the title, made no element of it, and shows it as text. */
    async function expectInert(w: WatchedPage): Promise<string> {
      const page = w.page;
      expect(await page.evaluate(() => (window as unknown as Record<string, unknown>)['__xss'])).toBeUndefined();
      expect(await page.locator('img').count()).toBe(0);
      // A JSON-LD data block holds the title as data, which no browser runs.
      expect(await page.evaluate(() => document.querySelectorAll('script:not([type="application/ld+json"])').length)).toBe(0);
      expect(w.dialogs).toEqual([]);
      expect(w.pageErrors).toEqual([]);
      expect(w.consoleErrors).toEqual([]);
      // Collapsed <details> keep their text out of innerText: open them to read what a person would.
      await page.locator('details').evaluateAll((all) => all.forEach((d) => ((d as HTMLDetailsElement).open = true)));
      return page.locator('body').innerText();
    }

    it('is inert on /articles', TIMEOUT, async () => {
      const w = await open();
      await w.page.goto('/articles');
      const text = await expectInert(w);
      expect(await w.page.locator(`article.card[data-id="${HOSTILE}"] .lang-en h3`).innerText()).toBe(PAYLOAD);
      expect(text).toContain(SCRIPT_PAYLOAD);
      expect(text).toContain(ATTRIBUTE_PAYLOAD);
    });

    it('is inert on its landing page', TIMEOUT, async () => {
      const w = await open();
      await w.page.goto(`/articles/${HOSTILE}`);
      const text = await expectInert(w);
      expect(await w.page.locator('section[lang="en"] h2').innerText()).toBe(PAYLOAD);
      expect(await w.page.title()).toContain(PAYLOAD);
      expect(await w.page.locator('meta[name="citation_title"][lang="en"]').getAttribute('content')).toBe(PAYLOAD);
      expect(text).toContain(SCRIPT_PAYLOAD);
      expect(text).toContain(ATTRIBUTE_PAYLOAD);
      // The oai_dc XML on the page shows the serializer's escapes literally.
      expect(text).toContain(xmlText(PAYLOAD));
      await screenshot(w.page, 'article-hostile');
    });

    it('is inert in the explorer, for GetRecord', TIMEOUT, async () => {
      const w = await open();
      await w.page.goto(`/explore?verb=GetRecord&metadataPrefix=oai_dc&identifier=${REPOSITORY}:${HOSTILE}`);
      const text = await expectInert(w);
      expect(text).toContain(xmlText(PAYLOAD));
    });

    it('is inert in the explorer, on every page of ListRecords', TIMEOUT, async () => {
      const w = await open();
      await w.page.goto('/explore?verb=ListRecords&metadataPrefix=oai_dc');
      let seen = 0;
      for (let guard = 0; guard < 10; guard++) {
        const text = await expectInert(w);
        if (text.includes(xmlText(PAYLOAD))) seen++;
        const next = w.page.locator('a[rel="next"]');
        if ((await next.count()) === 0) break;
        const href = (await next.getAttribute('href')) ?? '';
        await Promise.all([w.page.waitForURL((url) => `${url.pathname}${url.search}` === href), next.click()]);
      }
      expect(seen).toBe(1);
    });
  });

  describe('the Content-Security-Policy', () => {
    it.for(PAGES)('$path is sent with default-src \'none\' and has no inline script', TIMEOUT, async ({ path }) => {
      const w = await open();
      const response = await w.page.goto(path);
      const csp = response?.headers()['content-security-policy'] ?? '';
      expect(csp.split(';').map((d) => d.trim())).toContain("default-src 'none'");
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(await w.page.locator('script:not([type="application/ld+json"])').count()).toBe(0);
      expect(await w.page.locator('[style]').count()).toBe(0);
    });

    it('leaves a landing page’s JSON-LD data block alone, and Chromium reports nothing', TIMEOUT, async () => {
      const w = await open();
      await w.page.goto('/articles/58-175');
      const blocks = await w.page.locator('script[type="application/ld+json"]').allTextContents();
      expect(blocks).toHaveLength(1);
      const data = JSON.parse(blocks[0] ?? '') as Record<string, unknown>;
      expect(data['@type']).toBe('ScholarlyArticle');
      expect(data['headline']).toEqual([{ '@value': "Political Economy of China's New Silk Road And Iran's Interdependence", '@language': 'en' }]);
      // A CSP violation is reported on the console: there is none.
      expect(troubles(w)).toEqual(NO_TROUBLE);
    });

    it('the hostile title stays data in the JSON-LD block', TIMEOUT, async () => {
      const w = await open();
      await w.page.goto(`/articles/${HOSTILE}`);
      const block = await w.page.locator('script[type="application/ld+json"]').textContent();
      expect(block).not.toContain('<');
      const data = JSON.parse(block ?? '') as { headline: Array<{ '@value': string; '@language': string }> };
      expect(data.headline.find((h) => h['@language'] === 'en')?.['@value']).toBe(PAYLOAD);
      expect(troubles(w)).toEqual(NO_TROUBLE);
    });

    it('also covers the tombstone and the stylesheet', TIMEOUT, async () => {
      const w = await open();
      const response = await w.page.goto(`/articles/${WITHDRAWN}`);
      expect(response?.headers()['content-security-policy']).toContain("default-src 'none'");
      const css = await w.page.request.get('/static/app.css');
      expect(css.status()).toBe(200);
      expect(css.headers()['content-security-policy']).toContain("default-src 'none'");
    });
  });
});
