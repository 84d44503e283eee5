import type { Lang } from '../model.js';
import type { Finding, JournalCoverage } from '../store/quality.js';
import type { FindingText } from '../store/quality-messages.js';
import { href, html, page, type Layout } from './html.js';
import { formatNumber } from './i18n/locale.js';

/** How many ids of one gap the page lists before it says how many more. */
const COVERAGE_SHOWN = 50;

/** A finding said in the page's language. */
function said(layout: Layout, text: FindingText): string {
  return (layout.t.quality.messages[text.code] as (p: FindingText['params']) => string)(text.params);
}

/** `/quality`: what is missing, in which language, with links to the records. */
export function qualityPage(layout: Layout, findings: Finding[], coverage: readonly JournalCoverage[]): string {
  const q = layout.t.quality;
  const num = (n: number) => formatNumber(layout.lang, n);
  const record = (id: string) => href(layout, `/articles/${encodeURIComponent(id)}`);
  const problems = findings.filter((f) => f.severity === 'problem');
  const absent = { title: 'noTitle', abstract: 'noAbstract', keywords: 'noKeywords' } as const;
  const missing = (field: keyof typeof absent, lang: Lang) => findings.filter((f) => f.text.code === absent[field] && f.lang === lang).length;
  return page(
    layout,
    q.title,
    html`<h1>${q.title}</h1>
<p>${q.summary(problems.length, findings.length - problems.length, num)}
${q.sameReport} <code dir="ltr">npm run admin -- check</code></p>
<h2>${q.missing}</h2>
<table><thead><tr><th>${q.field}</th><th lang="fa">${q.persian}</th><th lang="en">${q.english}</th></tr></thead><tbody>
${(['title', 'abstract', 'keywords'] as const).map((f) => html`<tr><td>${q.fields[f]}</td><td>${num(missing(f, 'fa'))}</td><td>${num(missing(f, 'en'))}</td></tr>`)}
</tbody></table>
<h2>${q.coverage}</h2>
<p>${q.coverageNote}</p>
<table><thead><tr><th>${q.journal}</th><th>${q.records}</th><th>${q.withoutOrcid}</th><th>${q.withoutAffiliation}</th><th>${q.withoutLicense}</th><th>${q.withoutFullText}</th></tr></thead><tbody>
${coverage.map(
  (c) => html`<tr><td><a href="${href(layout, `/articles?journal=${encodeURIComponent(c.journal)}`)}"><code>${c.journal}</code></a></td><td>${num(c.records)}</td>${[c.withoutOrcid, c.withoutAffiliation, c.withoutLicense, c.withoutFullText].map(
    (ids) => html`<td>${num(ids.length)}${ids.length === 0 ? '' : html` <details><summary>${q.which}</summary>${ids.slice(0, COVERAGE_SHOWN).map((id, i) => html`${i > 0 ? ' ' : ''}<a href="${record(id)}"><code>${id}</code></a>`)}${ids.length > COVERAGE_SHOWN ? q.andMore(num(ids.length - COVERAGE_SHOWN)) : ''}</details>`}</td>`,
  )}</tr>`,
)}
</tbody></table>
<h2>${q.findings}</h2>
<table><thead><tr><th>${q.record}</th><th>${q.field}</th><th>${q.lang}</th><th>${q.finding}</th></tr></thead><tbody>
${findings.map(
  (f) => html`<tr class="${f.severity}"><td><a href="${record(f.id)}"><code>${f.id}</code></a></td><td><code>${f.field}</code></td><td>${f.lang ?? ''}</td>
<td class="${f.severity}">${q.severity[f.severity]}: <bdi>${said(layout, f.text)}</bdi></td></tr>`,
)}
</tbody></table>`,
  );
}
