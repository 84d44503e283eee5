import type { Lang } from '../model.js';
import type { Finding, JournalCoverage } from '../store/quality.js';
import { html, page, type Layout } from './html.js';

/** How many ids of one gap the page lists before it says how many more. */
const COVERAGE_SHOWN = 50;

/** `/quality`: what is missing, in which language, with links to the records. */
export function qualityPage(layout: Layout, findings: Finding[], coverage: readonly JournalCoverage[]): string {
  const problems = findings.filter((f) => f.severity === 'problem');
  const missing = (field: string, lang: Lang) => findings.filter((f) => f.field === field && f.lang === lang && f.message.startsWith('no ')).length;
  return page(
    layout,
    'Data quality',
    html`<h1>Data quality</h1>
<p>${problems.length} problem${problems.length === 1 ? '' : 's'} and ${findings.length - problems.length} note${findings.length - problems.length === 1 ? '' : 's'} in the live records.
The same report comes from <code>npm run admin -- check</code>.</p>
<h2>Missing</h2>
<table><thead><tr><th>Field</th><th lang="fa">فارسی</th><th>English</th></tr></thead><tbody>
${['title', 'abstract', 'keywords'].map((f) => html`<tr><td>${f}</td><td>${missing(f, 'fa')}</td><td>${missing(f, 'en')}</td></tr>`)}
</tbody></table>
<h2>What aggregators rank first, per journal</h2>
<p>Live records that lack each of them. No source may have given them: these are what to ask the journal for.</p>
<table><thead><tr><th>Journal</th><th>Records</th><th>Without ORCID iDs</th><th>Without affiliations</th><th>Without a licence</th><th>Without full text</th></tr></thead><tbody>
${coverage.map(
  (c) => html`<tr><td><a href="${`/articles?journal=${encodeURIComponent(c.journal)}`}"><code>${c.journal}</code></a></td><td>${c.records}</td>${[c.withoutOrcid, c.withoutAffiliation, c.withoutLicense, c.withoutFullText].map(
    (ids) => html`<td>${ids.length}${ids.length === 0 ? '' : html` <details><summary>which</summary>${ids.slice(0, COVERAGE_SHOWN).map((id, i) => html`${i > 0 ? ' ' : ''}<a href="${`/articles/${encodeURIComponent(id)}`}"><code>${id}</code></a>`)}${ids.length > COVERAGE_SHOWN ? ` … and ${ids.length - COVERAGE_SHOWN} more` : ''}</details>`}</td>`,
  )}</tr>`,
)}
</tbody></table>
<h2>Findings</h2>
<table><thead><tr><th>Record</th><th>Field</th><th>Language</th><th>Finding</th></tr></thead><tbody>
${findings.map(
  (f) => html`<tr class="${f.severity}"><td><a href="${`/articles/${encodeURIComponent(f.id)}`}"><code>${f.id}</code></a></td><td>${f.field}</td><td>${f.lang ?? ''}</td>
<td class="${f.severity}">${f.severity}: <bdi>${f.message}</bdi></td></tr>`,
)}
</tbody></table>`,
  );
}
