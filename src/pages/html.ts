import { SITEMAP_PATH, SOURCE_DESCRIPTION_PATH } from '../discovery/urls.js';
import type { Messages } from './i18n/en.js';
import type { Locale } from './i18n/locale.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** A tagged template whose interpolations are escaped unless they are already `Html`. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Part = string | number | Html | null | undefined | false | readonly Part[];

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof Html) return part.value;
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeHtml(String(part));
}

/** Builds HTML, escaping every interpolated value. */
export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  return new Html(strings.reduce((out, s, i) => out + s + (i < parts.length ? render(parts[i]) : ''), ''));
}

/** What every page is laid out with: the repository, and the interface's language for this request. */
export interface Layout {
  repositoryName: string;
  baseUrl: string;
  /** The interface language: `<html lang dir>`, the messages, the digits. */
  lang: Locale;
  t: Messages;
  /** `/fa` or `/en` when the URL named the language, so that links keep it; else empty. */
  base: string;
  /** The same page in the other language. */
  switchHref: string;
}

/** A link to one of the pages, in the page's language. */
export function href(layout: Layout, path: string): string {
  return `${layout.base}${path}`;
}

/** A whole page in the shared layout: no inline script or style, so a strict CSP applies. */
export function page(layout: Layout, title: string, body: Html, head: Html = html``): string {
  const { t, lang } = layout;
  const other = lang === 'fa' ? 'en' : 'fa';
  return `<!doctype html>\n${html`<html lang="${lang}" dir="${lang === 'fa' ? 'rtl' : 'ltr'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${layout.repositoryName}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/vazirmatn/400.css">
<link rel="stylesheet" href="/static/vazirmatn/700.css">
<link rel="stylesheet" href="/static/app.css">
${head}
</head>
<body>
<header class="site"><nav>
<span class="name"><bdi>${layout.repositoryName}</bdi></span>
<a href="${href(layout, '/')}">${t.nav.dashboard}</a>
<a href="${href(layout, '/articles')}">${t.nav.articles}</a>
<a href="${href(layout, '/explore')}">${t.nav.explorer}</a>
<a href="${href(layout, '/quality')}">${t.nav.quality}</a>
<a href="${href(layout, '/activity')}">${t.nav.activity}</a>
<a href="${href(layout, '/selfcheck')}">${t.nav.selfcheck}</a>
<a href="${`${layout.baseUrl}?verb=Identify`}">${t.nav.oaiPmh}</a>
<a class="language" href="${layout.switchHref}" hreflang="${other}" lang="${other}" title="${t.language.switchLabel}">${t.language.switchTo}</a>
</nav></header>
<main>
${body}
</main>
<footer class="site"><nav>
<a href="${SITEMAP_PATH}">${t.nav.sitemap}</a>
<a href="${SOURCE_DESCRIPTION_PATH}">${t.nav.resourceSync}</a>
<a href="${`${layout.baseUrl}?verb=Identify`}">${t.nav.oaiPmh}</a>
</nav></footer>
</body>
</html>`.value}\n`;
}
