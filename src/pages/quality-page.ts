import type { Lang } from '../model.js';
import type { Finding } from '../store/quality.js';
import { html, page, type Layout } from './html.js';

/** `/quality`: what is missing, in which language, with links to the records. */
export function qualityPage(layout: Layout, findings: Finding[]): string {
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
<h2>Findings</h2>
<table><thead><tr><th>Record</th><th>Field</th><th>Language</th><th>Finding</th></tr></thead><tbody>
${findings.map(
  (f) => html`<tr class="${f.severity}"><td><a href="${`/articles/${encodeURIComponent(f.id)}`}"><code>${f.id}</code></a></td><td>${f.field}</td><td>${f.lang ?? ''}</td>
<td class="${f.severity}">${f.severity}: <bdi>${f.message}</bdi></td></tr>`,
)}
</tbody></table>`,
  );
}
