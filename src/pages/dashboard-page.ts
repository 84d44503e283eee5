import type { VerbResult } from '../oai/result.js';
import type { RepositoryStats } from '../store/browse.js';
import { bothCalendars } from './dates.js';
import { href, html, page, type Layout } from './html.js';
import { formatNumber } from './i18n/locale.js';

type Identify = Extract<VerbResult, { verb: 'Identify' }>;

/** `/`: the Identify facts, the counts, and a ready-made link for each verb. */
export function dashboardPage(layout: Layout, identify: Identify, stats: RepositoryStats): string {
  const { t, lang } = layout;
  const d = t.dashboard;
  const num = (n: number) => formatNumber(lang, n);
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
  const articles = (query: string) => href(layout, `/articles${query}`);
  return page(
    layout,
    d.title,
    html`<h1><bdi>${identify.repositoryName}</bdi></h1>
<div class="pair">
<section><h2>${d.identify}</h2>
<dl class="facts">
<dt>${d.baseUrl}</dt><dd><code>${base}</code></dd>
<dt>${d.adminEmail}</dt><dd>${identify.adminEmails.map((e, i) => html`${i > 0 ? ', ' : ''}<a href="${`mailto:${e}`}">${e}</a>`)}</dd>
<dt>${d.earliestDatestamp}</dt><dd>${bothCalendars(identify.earliestDatestamp, lang)}</dd>
<dt>${d.granularity}</dt><dd><code>YYYY-MM-DDThh:mm:ssZ</code></dd>
<dt>${d.deletedRecords}</dt><dd>${d.persistent}</dd>
<dt>${d.compression}</dt><dd>${identify.compression.join(', ')}</dd>
<dt>${d.repositoryIdentifier}</dt><dd><code>${identify.oaiIdentifier?.repositoryIdentifier ?? ''}</code></dd>
</dl></section>
<section><h2>${d.records}</h2>
<dl class="facts">
<dt>${d.records}</dt><dd><a href="${articles('')}">${num(stats.records)}</a></dd>
<dt>${d.deleted}</dt><dd><a href="${articles('?state=deleted')}">${num(stats.deleted)}</a></dd>
<dt>${d.lastChange}</dt><dd>${bothCalendars(stats.lastChange, lang)}</dd>
</dl>
<table><thead><tr><th>${d.set}</th><th>${d.name}</th><th>${d.records}</th></tr></thead><tbody>
${stats.perSet.map((s) => html`<tr><td><a href="${articles(`?set=${encodeURIComponent(s.spec)}`)}"><code>${s.spec}</code></a></td><td>${lang === 'fa' && s.nameFa !== null ? html`<bdi lang="fa" dir="rtl">${s.nameFa}</bdi> · <bdi lang="en" dir="ltr">${s.nameEn}</bdi>` : html`${s.nameEn}${s.nameFa === null ? '' : html` · <bdi lang="fa" dir="rtl">${s.nameFa}</bdi>`}`}</td><td>${num(s.records)}</td></tr>`)}
</tbody></table></section>
</div>
<h2>${d.journals}</h2>
<table><thead><tr><th>${d.code}</th><th>${d.name}</th><th>${d.issn}</th><th>${d.issues}</th><th>${d.records}</th><th>${d.withdrawn}</th></tr></thead><tbody>
${stats.journals.map((j) => html`<tr><td><a href="${articles(`?journal=${encodeURIComponent(j.code)}`)}"><code>${j.code}</code></a></td><td>${j.nameFa === null ? '' : html`<bdi lang="fa" dir="rtl">${j.nameFa}</bdi>`}${j.nameFa !== null && j.nameEn !== null ? ' · ' : ''}${j.nameEn === null ? '' : html`<bdi lang="en" dir="ltr">${j.nameEn}</bdi>`}</td><td>${issns(j, d) ?? html`<span class="missing">${t.common.notKnown}</span>`}</td><td>${num(j.issues)}</td><td>${num(j.records - j.deleted)}</td><td>${num(j.deleted)}</td></tr>`)}
</tbody></table>
<h2>${d.tryProtocol}</h2>
<table><thead><tr><th>${d.verb}</th><th>${d.rawXml}</th><th>${d.readable}</th></tr></thead><tbody>
${links.map(([verb, query]) => html`<tr><td>${verb}</td><td><a href="${`${base}?${query}`}"><code dir="ltr">${`?${query}`}</code></a></td><td><a href="${href(layout, `/explore?${query}`)}">${d.explore}</a></td></tr>`)}
</tbody></table>`,
  );
}

/** A journal's ISSNs, each marked print or online; null when none is known. */
function issns(j: RepositoryStats['journals'][number], d: Layout['t']['dashboard']): string | null {
  const parts = [j.issnPrint === null ? null : `${j.issnPrint} (${d.print})`, j.issnOnline === null ? null : `${j.issnOnline} (${d.online})`].filter((x) => x !== null);
  return parts.length === 0 ? null : parts.join(', ');
}
