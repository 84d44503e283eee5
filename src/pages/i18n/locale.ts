import type { Request, Response } from 'express';
import { en, type Messages } from './en.js';
import { fa } from './fa.js';

/** The interface languages. */
export type Locale = 'fa' | 'en';

/** Each language's catalogue. */
export const CATALOGUES: Readonly<Record<Locale, Messages>> = { fa, en };

/** The cookie that remembers the language a visitor chose. */
export const LANG_COOKIE = 'lang';
const ONE_YEAR_SECONDS = 365 * 24 * 3600;

function isLocale(value: unknown): value is Locale {
  return value === 'fa' || value === 'en';
}

/**
 * The language an `Accept-Language` header prefers between ours, by its q-values; null when it
 * names neither (the caller's default applies).
 */
export function preferredLocale(header: string | undefined): Locale | null {
  let best: { locale: Locale; q: number } | null = null;
  for (const part of (header ?? '').split(',')) {
    const [tag = '', ...params] = part.trim().split(';');
    const primary = tag.trim().toLowerCase().split('-')[0];
    if (!isLocale(primary)) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (Number.isFinite(q) && q > 0 && (best === null || q > best.q)) best = { locale: primary, q };
  }
  return best?.locale ?? null;
}

function cookieLocale(header: string | undefined): Locale | null {
  for (const pair of (header ?? '').split(';')) {
    const [name, value] = pair.trim().split('=');
    if (name === LANG_COOKIE && isLocale(value)) return value;
  }
  return null;
}

/** The path prefix that addresses a language (`/fa/articles`), or null. */
export function pathLocale(path: string): Locale | null {
  const match = /^\/(fa|en)(?:\/|$)/.exec(path);
  return match ? (match[1] as Locale) : null;
}

/** The language of a page and how it was chosen: the path prefix, `?lang=`, the cookie, then `Accept-Language`. */
export interface PageLocale {
  lang: Locale;
  /** `/fa` or `/en` when the URL named the language, else empty: links keep it. */
  base: string;
}

/**
 * Chooses a page's language, remembers an explicit choice (prefix or `?lang=`) in a cookie, and
 * says in the response that it varies with the cookie and the header.
 */
export function chooseLocale(req: Request, res: Response): PageLocale {
  res.vary('Accept-Language');
  res.vary('Cookie');
  const prefixed = pathLocale(req.originalUrl);
  const asked = req.query['lang'];
  const explicit = prefixed ?? (isLocale(asked) ? asked : null);
  const lang = explicit ?? cookieLocale(req.headers.cookie) ?? preferredLocale(req.headers['accept-language']) ?? 'en';
  if (explicit !== null && cookieLocale(req.headers.cookie) !== explicit) {
    res.cookie(LANG_COOKIE, explicit, { maxAge: ONE_YEAR_SECONDS * 1000, sameSite: 'lax', path: '/', httpOnly: true });
  }
  res.set('Content-Language', lang);
  return { lang, base: prefixed === null ? '' : `/${prefixed}` };
}

/**
 * The same page in the other language: its path under the other prefix, without a `lang`
 * argument. Following it also remembers the choice.
 */
export function otherLanguageHref(originalUrl: string, lang: Locale): string {
  const other: Locale = lang === 'fa' ? 'en' : 'fa';
  const [rawPath = '/', rawQuery = ''] = originalUrl.split('?');
  const path = rawPath.replace(/^\/(fa|en)(?=\/|$)/, '') || '/';
  const params = new URLSearchParams(rawQuery);
  params.delete('lang');
  const query = params.toString();
  return `/${other}${path === '/' ? '' : path}${query === '' ? '' : `?${query}`}`;
}

// Made at first use, as the date formatters are: their ICU data is memory a server that shows no page never needs.
const NUMBER_FORMATS: Partial<Record<Locale, Intl.NumberFormat>> = {};

/** A number as text of the language: Persian digits in Persian, Latin in English. */
export function formatNumber(lang: Locale, value: number): string {
  return (NUMBER_FORMATS[lang] ??= new Intl.NumberFormat(lang === 'fa' ? 'fa-IR' : 'en-US')).format(value);
}

/** Persian digits for the Latin ones in a display text (`1-18` → `۱-۱۸`); identifiers and code never pass here. */
export function localDigits(lang: Locale, text: string): string {
  return lang === 'fa' ? text.replace(/\d/g, (d) => String.fromCharCode(0x06f0 + Number(d))) : text;
}
