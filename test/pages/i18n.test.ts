import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { en } from '../../src/pages/i18n/en.js';
import { fa } from '../../src/pages/i18n/fa.js';
import { otherLanguageHref, preferredLocale } from '../../src/pages/i18n/locale.js';
import { makeServer } from '../support/app.js';

/** Every key path of a catalogue, with the kind of value at it. */
function shape(value: unknown, path = ''): string[] {
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => shape(v, path === '' ? k : `${path}.${k}`)).sort();
  return [`${path}:${typeof value}`];
}

/** A sample argument for any message function: a number's formatter, a text, or the values a finding names. */
const SAMPLE = Object.assign((n: unknown) => String(n), { excerpt: 'x', keyword: 'k', pages: '1-2', other: 'o', otherPages: '3-4', issue: '5', toString: () => '1' });

/** Every string of a catalogue (functions called with sample values). */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'function') return [String((value as (...a: unknown[]) => unknown)(SAMPLE, SAMPLE, SAMPLE))];
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(strings);
  return [];
}

describe('the message catalogues', () => {
  it('have the same keys in Persian and English, each of the same kind', () => {
    expect(shape(fa)).toEqual(shape(en));
    expect(shape(en).length).toBeGreaterThan(150);
  });

  it('say something for every key, and the Persian one in Persian letters', () => {
    for (const s of [...strings(en), ...strings(fa)]) expect(s.trim()).not.toBe('');
    // Names the protocol spells (OAI-PMH, DOI, UTC…) stay Latin; every nav label and heading of
    // the Persian catalogue that is prose has Persian letters.
    for (const s of [fa.nav.dashboard, fa.dashboard.title, fa.articles.noMatch, fa.explorer.errors.badVerb, fa.quality.title, fa.errors.notFound]) expect(s).toMatch(/[\u0600-\u06FF]/);
    // Persian ی and ک throughout; only the finding about Arabic letters quotes them.
    const { arabicLetters: _quotesThem, ...messages } = fa.quality.messages;
    expect(strings({ ...fa, quality: { ...fa.quality, messages } }).join(' ')).not.toMatch(/[يك]/);
  });
});

describe('choosing the language', () => {
  it('reads Accept-Language by its q-values', () => {
    expect(preferredLocale('fa-IR,fa;q=0.9,en;q=0.8')).toBe('fa');
    expect(preferredLocale('en-GB, fa;q=0.5')).toBe('en');
    expect(preferredLocale('de, fr;q=0.8')).toBeNull();
    expect(preferredLocale(undefined)).toBeNull();
  });

  it('links the same page in the other language, under its prefix', () => {
    expect(otherLanguageHref('/articles?journal=prb&lang=en', 'en')).toBe('/fa/articles?journal=prb');
    expect(otherLanguageHref('/fa/articles/58-7', 'fa')).toBe('/en/articles/58-7');
    expect(otherLanguageHref('/fa', 'fa')).toBe('/en');
    expect(otherLanguageHref('/', 'en')).toBe('/fa');
  });

  const server = makeServer();
  const get = (path: string, headers: Record<string, string> = {}) => request(server.app).get(path).set(headers);

  it('serves English by default, Persian to a browser that prefers it, each with lang and dir', async () => {
    const english = await get('/');
    expect(english.text).toContain('<html lang="en" dir="ltr">');
    expect(english.headers['content-language']).toBe('en');
    expect(english.headers['vary']).toMatch(/Accept-Language/);
    expect(english.headers['vary']).toMatch(/Cookie/);
    const persian = await get('/', { 'Accept-Language': 'fa-IR,fa;q=0.9,en;q=0.5' });
    expect(persian.text).toContain('<html lang="fa" dir="rtl">');
    expect(persian.text).toContain('>پیشخوان</a>');
    expect(persian.headers['set-cookie']).toBeUndefined();
  });

  it('addresses a language by prefix or by ?lang=, and remembers the choice in a cookie', async () => {
    const prefixed = await get('/fa/articles');
    expect(prefixed.status).toBe(200);
    expect(prefixed.text).toContain('<html lang="fa" dir="rtl">');
    expect(prefixed.headers['set-cookie']?.[0]).toMatch(/^lang=fa; Max-Age=\d+; Path=\/; .*HttpOnly; SameSite=Lax/);
    // Links keep the prefix; the switch leads to the same page in English.
    expect(prefixed.text).toContain('href="/fa/articles/58-7"');
    expect(prefixed.text).toContain('<a class="language" href="/en/articles" hreflang="en" lang="en"');
    const remembered = await get('/articles', { Cookie: 'lang=fa', 'Accept-Language': 'en' });
    expect(remembered.text).toContain('<html lang="fa" dir="rtl">');
    const asked = await get('/quality?lang=en', { Cookie: 'lang=fa' });
    expect(asked.text).toContain('<html lang="en" dir="ltr">');
    expect(asked.headers['set-cookie']?.[0]).toMatch(/^lang=en;/);
    expect((await get('/en/explore')).text).toContain('<html lang="en" dir="ltr">');
  });

  it('writes numbers in Persian digits and the Solar Hijri date first in Persian; identifiers stay Latin', async () => {
    const persian = (await get('/fa/articles/58-175')).text;
    // Published 1401/06/31 = 2022-09-22: the Solar Hijri date first, both in Persian digits.
    expect(persian).toMatch(/<time datetime="2022-09-22"><span lang="fa" dir="rtl">۳۱ شهریور ۱۴۰۱<\/span> · <bdi>۲۲ سپتامبر ۲۰۲۲<\/bdi><\/time>/);
    expect(persian).toContain('پیاپی ۵۸، صفحات ۱۷۵-۱۹۶');
    expect(persian).toContain('<code>oai:repo.example.org:58-175</code>');
    const english = (await get('/en/articles/58-175')).text;
    expect(english).toMatch(/<time datetime="2022-09-22">22 September 2022<\/time> · <span lang="fa" dir="rtl">۳۱ شهریور ۱۴۰۱<\/span>/);
    expect(english).toContain('issue 58, pages 175-196');
    const dashboard = (await get('/fa')).text;
    expect(dashboard).toMatch(/<a href="\/fa\/articles">[۰-۹]+<\/a>/);
  });

  it('translates the explorer’s explanations of OAI errors, the quality report and the error pages', async () => {
    const explorer = (await get('/fa/explore?verb=ListRecords&from=junk')).text;
    expect(explorer).toContain(fa.explorer.errors.badArgument);
    expect(explorer).toContain('data-code="badArgument"');
    const quality = (await get('/fa/quality')).text;
    expect(quality).toContain('<h1>کیفیت داده‌ها</h1>');
    expect(quality).toContain('مشکل: <bdi>عنوان ندارد</bdi>');
    expect(quality).toContain('<td>عنوان</td>');
    const missing = await get('/fa/articles/99-1');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('هیچ مقاله‌ای شناسه «99-1» را ندارد.');
    const nowhere = await get('/fa/nowhere');
    expect(nowhere.status).toBe(404);
    expect(nowhere.text).toContain('<html lang="fa" dir="rtl">');
    expect(nowhere.text).toContain('این صفحه وجود ندارد.');
  });

  it('shows records in both languages whatever the interface language', async () => {
    for (const lang of ['fa', 'en']) {
      const text = (await get(`/${lang}/articles/58-175`)).text;
      expect(text).toContain('<section lang="fa" dir="rtl" class="lang-fa">');
      expect(text).toContain('<section lang="en" dir="ltr" class="lang-en">');
      expect(text).toContain('Political Economy of China');
    }
  });
});
