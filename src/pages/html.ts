import { SITEMAP_PATH, SOURCE_DESCRIPTION_PATH } from '../discovery/urls.js';

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

/** Where the layout's navigation points. */
export interface Layout {
  repositoryName: string;
  baseUrl: string;
}

/** A whole page in the shared layout: no inline script or style, so a strict CSP applies. */
export function page(layout: Layout, title: string, body: Html, head: Html = html``): string {
  return `<!doctype html>\n${html`<html lang="en" dir="ltr">
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
<a href="/">Dashboard</a>
<a href="/articles">Articles</a>
<a href="/explore">OAI explorer</a>
<a href="/quality">Data quality</a>
<a href="${`${layout.baseUrl}?verb=Identify`}">OAI-PMH</a>
</nav></header>
<main>
${body}
</main>
<footer class="site"><nav>
<a href="${SITEMAP_PATH}">Sitemap</a>
<a href="${SOURCE_DESCRIPTION_PATH}">ResourceSync</a>
<a href="${`${layout.baseUrl}?verb=Identify`}">OAI-PMH</a>
</nav></footer>
</body>
</html>`.value}\n`;
}
