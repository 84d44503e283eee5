import { describe, expect, it } from 'vitest';
import { makeServer, runAdmin } from '../support/app.js';
import { cardIds, chromiumSession, NO_TROUBLE, screenshot, SKIP_BROWSER_TESTS, troubles } from '../support/browser.js';

// Several journals in one repository, as an admin sees them in a real Chromium: the dashboard
// lists each, the article browser filters by each, and landing pages name each.

const TIMEOUT = { timeout: 60_000 };
const fixture = (name: string) => new URL(`../ingest/fixtures/${name}`, import.meta.url).pathname;

describe.skipIf(SKIP_BROWSER_TESTS)('several journals in Chromium', () => {
  const session = chromiumSession((origin) => {
    const server = makeServer({ PUBLIC_URL: origin, OAI_REPOSITORY_IDENTIFIER: 'repo.example.org' });
    const admin = (...argv: string[]) => runAdmin(server.dbPath, '2025-08-01T00:00:00Z', ...argv);
    admin('journal', 'add', 'jir', '--name-fa', 'فصلنامه نمونه مطالعات ایران', '--name-en', 'Iran Studies Sample Quarterly', '--issn-online', '2345-6787');
    admin('import', fixture('sample-sheet.csv'));
    admin('import', fixture('volume-titles-toc.txt'), '--journal', 'gps');
    admin('import', fixture('two-seasons-toc.txt'), '--journal', 'cul');
    return server.app;
  });
  const open = () => session.open();

  it('the dashboard lists each journal, and its link lists exactly that journal’s articles', TIMEOUT, async () => {
    const w = await open();
    await w.page.goto('/');
    const rows = await w.page.locator('h2:text("Journals") + table tbody tr').evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).innerText.split('\t').map((c) => c.trim())));
    expect(rows.map((r) => r[0])).toEqual(['prb', 'jir', 'gps', 'cul']);
    expect(rows[1]).toEqual(['jir', 'فصلنامه نمونه مطالعات ایران · Iran Studies Sample Quarterly', '2345-6787 (online)', '1', '3', '0']);
    await screenshot(w.page, 'dashboard-journals');
    await Promise.all([w.page.waitForURL(/journal=gps/), w.page.locator('a[href="/articles?journal=gps"]').click()]);
    expect((await cardIds(w.page)).sort()).toEqual(['gps-22-1', 'gps-22-25', 'gps-22-49']);
    expect(troubles(w)).toEqual(NO_TROUBLE);
  });

  it('the article browser filters by the journal chosen in its form', TIMEOUT, async () => {
    const w = await open();
    await w.page.goto('/articles');
    expect((await cardIds(w.page)).length).toBe(17);
    await w.page.locator('form.filters select[name="journal"]').selectOption('cul');
    await Promise.all([w.page.waitForURL(/journal=cul/), w.page.locator('form.filters button[type="submit"]').click()]);
    expect((await cardIds(w.page)).sort()).toEqual(['cul-5-1', 'cul-5-19', 'cul-5-n3']);
    expect(await w.page.locator('form.filters select[name="journal"]').inputValue()).toBe('cul');
    expect(await w.page.locator('article.card[data-id="cul-5-n3"]').innerText()).toContain('pages not known');
    await screenshot(w.page, 'articles-journal-cul');
    expect(troubles(w)).toEqual(NO_TROUBLE);
  });

  it('a landing page names its journal, and fits the window', TIMEOUT, async () => {
    const w = await open();
    const response = await w.page.goto('/articles/gps-22-1');
    expect(response?.status()).toBe(200);
    const facts = await w.page.locator('dl.facts').first().innerText();
    expect(facts).toContain('فصلنامه پژوهش‌های سیاست جهانی');
    expect(facts).toContain('issue 22, volume 11 number 2, pages 1-24');
    expect(await w.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    await screenshot(w.page, 'article-gps-22-1');
    expect(troubles(w)).toEqual(NO_TROUBLE);
  });
});
