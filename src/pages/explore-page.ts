import type { HeaderOut, OaiResponse, RecordOut, TokenOut } from '../oai/result.js';
import { metadataText } from '../oai/write-xml.js';
import { bothCalendars } from './dates.js';
import { href, html, page, type Html, type Layout } from './html.js';
import { formatNumber } from './i18n/locale.js';
import { highlightXml, prettyXml } from './xml-view.js';

const VERBS = ['Identify', 'ListMetadataFormats', 'ListSets', 'ListIdentifiers', 'ListRecords', 'GetRecord'];
const FIELDS = ['identifier', 'metadataPrefix', 'from', 'until', 'set', 'resumptionToken'] as const;

function query(pairs: ReadonlyArray<readonly [string, string]>): string {
  return new URLSearchParams(pairs.map(([k, v]): [string, string] => [k, v])).toString();
}

function header(h: HeaderOut, layout: Layout, publicUrl: string): Html {
  const e = layout.t.explorer;
  const local = h.identifier.split(':').slice(2).join(':');
  return html`<td><code>${h.identifier}</code> <a href="${`${publicUrl}${layout.base}/articles/${encodeURIComponent(local)}`}">${e.page}</a></td>
<td>${bothCalendars(h.datestamp, layout.lang)}</td><td dir="ltr">${h.setSpecs.join(', ')}</td><td>${h.deleted ? html`<span class="badge deleted">${e.deleted}</span>` : e.live}</td>`;
}

function records(list: RecordOut[], layout: Layout, publicUrl: string): Html {
  const e = layout.t.explorer;
  return html`${list.map(
    (r) => html`<div class="card${r.header.deleted ? ' deleted' : ''}"><table><tbody><tr>${header(r.header, layout, publicUrl)}</tr></tbody></table>
${r.metadata === null ? html`<p class="muted">${e.deletedNoMetadata}</p>` : html`<details><summary>${e.metadata}</summary>${highlightXml(prettyXml(metadataText(r.metadata)))}</details>`}</div>`,
  )}`;
}

function token(t: TokenOut | null, verb: string, count: number, layout: Layout): Html {
  const e = layout.t.explorer;
  const num = (n: number) => formatNumber(layout.lang, n);
  if (t === null) return html`<p class="muted">${e.wholeList}</p>`;
  const position = e.items(num(t.cursor + 1), num(t.cursor + count), num(t.completeListSize));
  if (t.value === '') return html`<p>${position}. <strong>${e.lastPage}</strong></p>`;
  return html`<p>${position}. ${e.expires} ${bothCalendars(t.expirationDate, layout.lang)}.</p>
<nav class="pager"><a rel="next" href="${href(layout, `/explore?${query([['verb', verb], ['resumptionToken', t.value]])}`)}">${layout.t.common.nextPage}</a></nav>`;
}

function body(response: OaiResponse, layout: Layout, publicUrl: string): Html {
  const e = layout.t.explorer;
  const result = response.body;
  if (result.verb === null) {
    return html`${result.errors.map(
      (err) => html`<div class="error-box" data-code="${err.code}"><p><strong><code>${err.code}</code></strong>: ${e.errors[err.code]}</p><p class="muted" lang="en" dir="ltr">${err.message}</p></div>`,
    )}`;
  }
  switch (result.verb) {
    case 'Identify':
      return html`<dl class="facts"><dt>${e.name}</dt><dd><bdi>${result.repositoryName}</bdi></dd><dt>${e.baseUrl}</dt><dd><code>${result.baseUrl}</code></dd>
<dt>${e.adminEmail}</dt><dd>${result.adminEmails.join(', ')}</dd><dt>${e.earliestDatestamp}</dt><dd>${bothCalendars(result.earliestDatestamp, layout.lang)}</dd>
<dt>${e.deletedRecords}</dt><dd>${e.persistent}</dd><dt>${e.granularity}</dt><dd dir="ltr">YYYY-MM-DDThh:mm:ssZ</dd><dt>${e.compression}</dt><dd>${result.compression.join(', ')}</dd>
<dt>${e.sampleIdentifier}</dt><dd><code>${result.oaiIdentifier?.sampleIdentifier ?? ''}</code></dd></dl>`;
    case 'ListMetadataFormats':
      return html`<table><thead><tr><th>${e.prefix}</th><th>${e.schema}</th><th>${e.namespace}</th></tr></thead><tbody>${result.formats.map(
        (f) => html`<tr><td><code>${f.prefix}</code></td><td dir="ltr">${f.schema}</td><td dir="ltr">${f.namespace}</td></tr>`,
      )}</tbody></table>`;
    case 'ListSets':
      return html`<table><thead><tr><th>${e.set}</th><th>${e.name}</th><th>${e.description}</th></tr></thead><tbody>${result.sets.map(
        (s) => html`<tr><td><code>${s.spec}</code></td><td><bdi lang="en" dir="ltr">${s.nameEn}</bdi>${s.nameFa === null ? '' : html`<br><bdi lang="fa" dir="rtl">${s.nameFa}</bdi>`}</td>
<td><span lang="en" dir="ltr">${s.descriptionEn ?? ''}</span>${s.descriptionFa === null ? '' : html`<br><span lang="fa" dir="rtl">${s.descriptionFa}</span>`}</td></tr>`,
      )}</tbody></table>${token(result.token, 'ListSets', result.sets.length, layout)}`;
    case 'GetRecord':
      return records([result.record], layout, publicUrl);
    case 'ListIdentifiers': {
      const headers = [...result.headers];
      return html`<table><thead><tr><th>${e.identifier}</th><th>${e.datestamp}</th><th>${e.sets}</th><th>${e.state}</th></tr></thead><tbody>${headers.map(
        (h) => html`<tr class="header">${header(h, layout, publicUrl)}</tr>`,
      )}</tbody></table>${token(result.token, 'ListIdentifiers', headers.length, layout)}`;
    }
    case 'ListRecords': {
      const list = [...result.records];
      return html`${records(list, layout, publicUrl)}${token(result.token, 'ListRecords', list.length, layout)}`;
    }
  }
}

/** What the explorer offers to choose from: the formats and the sets the repository has. */
export interface ExploreChoices {
  prefixes: readonly string[];
  sets: ReadonlyArray<{ spec: string; name: string }>;
}

/**
 * A field offered as a list of choices, with "none" first. A value the list lacks (a request typed
 * into the URL, to see the error it gets) stays chosen, so the form shows what was asked.
 */
function choice(name: string, current: string, options: ReadonlyArray<{ value: string; label: string }>): Html {
  const all = current === '' || options.some((o) => o.value === current) ? options : [...options, { value: current, label: current }];
  return html`<label>${name}<select name="${name}" dir="ltr"><option value="">—</option>${all.map(
    (o) => html`<option value="${o.value}"${o.value === current ? html` selected` : ''}>${o.label}</option>`,
  )}</select></label>`;
}

/** `/explore`: a form for any request, and its answer as a page, from the protocol's own handlers. */
export function explorePage(
  layout: Layout,
  publicUrl: string,
  choices: ExploreChoices,
  pairs: ReadonlyArray<readonly [string, string]>,
  response: OaiResponse | null,
): string {
  const value = (name: string) => pairs.find(([k]) => k === name)?.[1] ?? '';
  const verb = value('verb');
  const raw = `${layout.baseUrl}?${query(pairs)}`;
  const e = layout.t.explorer;
  const field = (f: (typeof FIELDS)[number]): Html => {
    if (f === 'metadataPrefix') return choice(f, value(f), choices.prefixes.map((p) => ({ value: p, label: p })));
    if (f === 'set') return choice(f, value(f), choices.sets.map((s) => ({ value: s.spec, label: `${s.spec} — ${s.name}` })));
    return html`<label>${f}<input name="${f}" value="${value(f)}" dir="ltr"></label>`;
  };
  return page(
    layout,
    e.title,
    html`<h1>${e.title}</h1>
<form class="explore" method="get" action="${href(layout, '/explore')}">
<label>${e.verb} <select name="verb" dir="ltr">${VERBS.map((v) => html`<option${v === verb ? html` selected` : ''}>${v}</option>`)}</select></label>
${FIELDS.map(field)}
<button type="submit">${e.send}</button>
</form>
<p class="muted">${e.hint}</p>
${response === null
  ? ''
  : html`<h2>${verb === '' ? e.response : verb}</h2>
<p>${e.request}: <a href="${raw}"><code>${raw}</code></a> (${e.rawXml}) · ${e.responded} ${bothCalendars(response.responseDate, layout.lang)}</p>
${body(response, layout, publicUrl)}`}`,
  );
}
