import type { VerbResult } from '../oai/result.js';
import type { RepositoryStats } from '../store/browse.js';
import { bothCalendars } from './dates.js';
import { html, page, type Layout } from './html.js';

type Identify = Extract<VerbResult, { verb: 'Identify' }>;

/** `/`: the Identify facts, the counts, and a ready-made link for each verb. */
export function dashboardPage(layout: Layout, identify: Identify, stats: RepositoryStats): string {
  const base = identify.baseUrl;
  const sample = identify.oaiIdentifier?.sampleIdentifier ?? null;
  const links: Array<[string, string]> = [
    ['Identify', 'verb=Identify'],
    ['ListMetadataFormats', 'verb=ListMetadataFormats'],
    ['ListSets', 'verb=ListSets'],
    ['ListIdentifiers', 'verb=ListIdentifiers&metadataPrefix=oai_dc'],
    ['ListRecords', 'verb=ListRecords&metadataPrefix=oai_dc'],
  ];
  if (sample !== null) links.push(['GetRecord', `verb=GetRecord&metadataPrefix=oai_dc&identifier=${encodeURIComponent(sample)}`]);
  return page(
    layout,
    'Dashboard',
    html`<h1><bdi>${identify.repositoryName}</bdi></h1>
<div class="pair">
<section><h2>Identify</h2>
<dl class="facts">
<dt>Base URL</dt><dd><code>${base}</code></dd>
<dt>Admin e-mail</dt><dd>${identify.adminEmails.map((e, i) => html`${i > 0 ? ', ' : ''}<a href="${`mailto:${e}`}">${e}</a>`)}</dd>
<dt>Earliest datestamp</dt><dd>${bothCalendars(identify.earliestDatestamp)}</dd>
<dt>Granularity</dt><dd><code>YYYY-MM-DDThh:mm:ssZ</code></dd>
<dt>Deleted records</dt><dd>persistent</dd>
<dt>Compression</dt><dd>${identify.compression.join(', ')}</dd>
<dt>Repository identifier</dt><dd><code>${identify.oaiIdentifier?.repositoryIdentifier ?? ''}</code></dd>
</dl></section>
<section><h2>Records</h2>
<dl class="facts">
<dt>Records</dt><dd><a href="/articles">${stats.records}</a></dd>
<dt>Deleted</dt><dd><a href="/articles?state=deleted">${stats.deleted}</a></dd>
<dt>Last change</dt><dd>${bothCalendars(stats.lastChange)}</dd>
</dl>
<table><thead><tr><th>Set</th><th>Name</th><th>Records</th></tr></thead><tbody>
${stats.perSet.map((s) => html`<tr><td><a href="${`/articles?set=${encodeURIComponent(s.spec)}`}"><code>${s.spec}</code></a></td><td>${s.nameEn}${s.nameFa === null ? '' : html` · <bdi lang="fa" dir="rtl">${s.nameFa}</bdi>`}</td><td>${s.records}</td></tr>`)}
</tbody></table></section>
</div>
<h2>Journals</h2>
<table><thead><tr><th>Code</th><th>Name</th><th>ISSN</th><th>Issues</th><th>Records</th><th>Withdrawn</th></tr></thead><tbody>
${stats.journals.map((j) => html`<tr><td><a href="${`/articles?journal=${encodeURIComponent(j.code)}`}"><code>${j.code}</code></a></td><td>${j.nameFa === null ? '' : html`<bdi lang="fa" dir="rtl">${j.nameFa}</bdi>`}${j.nameFa !== null && j.nameEn !== null ? ' · ' : ''}${j.nameEn ?? ''}</td><td>${[j.issnPrint === null ? null : `${j.issnPrint} (print)`, j.issnOnline === null ? null : `${j.issnOnline} (online)`].filter((x) => x !== null).join(', ') || html`<span class="missing">not known</span>`}</td><td>${j.issues}</td><td>${j.records - j.deleted}</td><td>${j.deleted}</td></tr>`)}
</tbody></table>
<h2>Try the protocol</h2>
<table><thead><tr><th>Verb</th><th>Raw XML</th><th>Readable</th></tr></thead><tbody>
${links.map(([verb, query]) => html`<tr><td>${verb}</td><td><a href="${`${base}?${query}`}"><code>${`?${query}`}</code></a></td><td><a href="${`/explore?${query}`}">explore</a></td></tr>`)}
</tbody></table>`,
  );
}
