import { html, type Html } from './html.js';
import type { Locale } from './i18n/locale.js';
import { CATALOGUES } from './i18n/locale.js';

// Intl does the calendar arithmetic: the Solar Hijri date is display text only, never stored.
const OPTIONS: Intl.DateTimeFormatOptions = { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' };
const TIME_OPTIONS: Intl.DateTimeFormatOptions = { timeZone: 'UTC', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false };

interface Formats {
  gregorian: Intl.DateTimeFormat;
  solar: Intl.DateTimeFormat;
  time: Intl.DateTimeFormat;
}

const FORMATS: Partial<Record<Locale, Formats>> = {};

/** A language's formatters, made when a page first shows a date: their ICU data is several MiB a server that shows none never needs. */
function formatsOf(lang: Locale): Formats {
  return (FORMATS[lang] ??=
    lang === 'fa'
      ? // In Persian both are written in Persian, with Persian digits.
        { gregorian: new Intl.DateTimeFormat('fa-IR-u-ca-gregory', OPTIONS), solar: new Intl.DateTimeFormat('fa-IR-u-ca-persian', OPTIONS), time: new Intl.DateTimeFormat('fa-IR', TIME_OPTIONS) }
      : { gregorian: new Intl.DateTimeFormat('en-GB', OPTIONS), solar: new Intl.DateTimeFormat('fa-IR-u-ca-persian', OPTIONS), time: new Intl.DateTimeFormat('en-GB', TIME_OPTIONS) });
}

/**
 * A date, or a datestamp, in both calendars: in English the Gregorian first, then the Solar Hijri;
 * in Persian the Solar Hijri first, then the Gregorian.
 */
export function bothCalendars(value: string | null, lang: Locale = 'en'): Html {
  if (value === null || value === '') return html`<span class="missing">${CATALOGUES[lang].common.notKnown}</span>`;
  const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) return html`${value}`;
  const { gregorian, solar, time: clock } = formatsOf(lang);
  const time = value.length > 10 ? ` ${clock.format(date)} ${CATALOGUES[lang].common.utc}` : '';
  const solarText = html`<span lang="fa" dir="rtl">${solar.format(date)}</span>`;
  if (lang === 'fa') return html`<time datetime="${value}">${solarText} · <bdi>${gregorian.format(date)}</bdi>${time}</time>`;
  return html`<time datetime="${value}">${gregorian.format(date)}${time}</time> · ${solarText}`;
}
