import { html, type Html } from './html.js';

// Intl does the calendar arithmetic: the Solar Hijri date is display text only, never stored.
const PERSIAN = new Intl.DateTimeFormat('fa-IR-u-ca-persian', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
const GREGORIAN = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });

/** A date, or a datestamp, in the Gregorian and the Solar Hijri calendars side by side. */
export function bothCalendars(value: string | null): Html {
  if (value === null || value === '') return html`<span class="missing">not known</span>`;
  const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) return html`${value}`;
  const time = value.length > 10 ? ` ${value.slice(11, 19)} UTC` : '';
  return html`<time datetime="${value}">${GREGORIAN.format(date)}${time}</time> · <span lang="fa" dir="rtl">${PERSIAN.format(date)}</span>`;
}
