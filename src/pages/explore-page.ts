import type { OaiErrorCode } from '../oai/errors.js';
import type { HeaderOut, OaiResponse, RecordOut, TokenOut } from '../oai/result.js';
import { metadataText } from '../oai/write-xml.js';
import { bothCalendars } from './dates.js';
import { html, page, type Html, type Layout } from './html.js';
import { highlightXml, prettyXml } from './xml-view.js';

const VERBS = ['Identify', 'ListMetadataFormats', 'ListSets', 'ListIdentifiers', 'ListRecords', 'GetRecord'];
const FIELDS = ['identifier', 'metadataPrefix', 'from', 'until', 'set', 'resumptionToken'] as const;

/** What each error code means, for someone who has not read the specification. */
const EXPLAINED: Record<OaiErrorCode, string> = {
  badArgument: 'An argument is not allowed for this verb, is missing, is repeated, or has a value of the wrong form (dates are YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ).',
  badResumptionToken: 'The resumption token is not valid: it was altered, has expired, or belongs to another verb. Start the list again without a token.',
  badVerb: 'The verb is missing, repeated, or not one of the six OAI-PMH verbs.',
  cannotDisseminateFormat: 'The metadata format is not offered by this repository, or not for this record.',
  idDoesNotExist: 'No record has this identifier in this repository.',
  noRecordsMatch: 'Nothing matches: no record falls within these dates or this set.',
  noMetadataFormats: 'No metadata format is available for this item.',
  noSetHierarchy: 'This repository does not organize its records in sets.',
};

function query(pairs: ReadonlyArray<readonly [string, string]>): string {
  return new URLSearchParams(pairs.map(([k, v]): [string, string] => [k, v])).toString();
}

function header(h: HeaderOut, publicUrl: string): Html {
  const local = h.identifier.split(':').slice(2).join(':');
  return html`<td><code>${h.identifier}</code> <a href="${`${publicUrl}/articles/${encodeURIComponent(local)}`}">page</a></td>
<td>${bothCalendars(h.datestamp)}</td><td>${h.setSpecs.join(', ')}</td><td>${h.deleted ? html`<span class="badge deleted">deleted</span>` : 'live'}</td>`;
}

function records(list: RecordOut[], publicUrl: string): Html {
  return html`${list.map(
    (r) => html`<div class="card${r.header.deleted ? ' deleted' : ''}"><table><tbody><tr>${header(r.header, publicUrl)}</tr></tbody></table>
${r.metadata === null ? html`<p class="muted">Deleted: no metadata.</p>` : html`<details><summary>metadata</summary>${highlightXml(prettyXml(metadataText(r.metadata)))}</details>`}</div>`,
  )}`;
}

function token(t: TokenOut | null, verb: string, count: number): Html {
  if (t === null) return html`<p class="muted">The whole list fits in this response.</p>`;
  const position = html`Items ${t.cursor + 1}–${t.cursor + count} of ${t.completeListSize}`;
  if (t.value === '') return html`<p>${position}. <strong>Last page</strong>: the empty resumption token ends the list.</p>`;
  return html`<p>${position}. Resumption token expires ${bothCalendars(t.expirationDate)}.</p>
<nav class="pager"><a rel="next" href="${`/explore?${query([['verb', verb], ['resumptionToken', t.value]])}`}">Next page →</a></nav>`;
}

function body(response: OaiResponse, publicUrl: string): Html {
  const result = response.body;
  if (result.verb === null) {
    return html`${result.errors.map(
      (e) => html`<div class="error-box" data-code="${e.code}"><p><strong><code>${e.code}</code></strong>: ${EXPLAINED[e.code]}</p><p class="muted">${e.message}</p></div>`,
    )}`;
  }
  switch (result.verb) {
    case 'Identify':
      return html`<dl class="facts"><dt>Name</dt><dd><bdi>${result.repositoryName}</bdi></dd><dt>Base URL</dt><dd><code>${result.baseUrl}</code></dd>
<dt>Admin e-mail</dt><dd>${result.adminEmails.join(', ')}</dd><dt>Earliest datestamp</dt><dd>${bothCalendars(result.earliestDatestamp)}</dd>
<dt>Deleted records</dt><dd>persistent</dd><dt>Granularity</dt><dd>YYYY-MM-DDThh:mm:ssZ</dd><dt>Compression</dt><dd>${result.compression.join(', ')}</dd>
<dt>Sample identifier</dt><dd><code>${result.oaiIdentifier?.sampleIdentifier ?? ''}</code></dd></dl>`;
    case 'ListMetadataFormats':
      return html`<table><thead><tr><th>Prefix</th><th>Schema</th><th>Namespace</th></tr></thead><tbody>${result.formats.map(
        (f) => html`<tr><td><code>${f.prefix}</code></td><td>${f.schema}</td><td>${f.namespace}</td></tr>`,
      )}</tbody></table>`;
    case 'ListSets':
      return html`<table><thead><tr><th>Set</th><th>Name</th><th>Description</th></tr></thead><tbody>${result.sets.map(
        (s) => html`<tr><td><code>${s.spec}</code></td><td>${s.nameEn}${s.nameFa === null ? '' : html`<br><bdi lang="fa" dir="rtl">${s.nameFa}</bdi>`}</td>
<td>${s.descriptionEn ?? ''}${s.descriptionFa === null ? '' : html`<br><span lang="fa" dir="rtl">${s.descriptionFa}</span>`}</td></tr>`,
      )}</tbody></table>${token(result.token, 'ListSets', result.sets.length)}`;
    case 'GetRecord':
      return records([result.record], publicUrl);
    case 'ListIdentifiers': {
      const headers = [...result.headers];
      return html`<table><thead><tr><th>Identifier</th><th>Datestamp</th><th>Sets</th><th>State</th></tr></thead><tbody>${headers.map(
        (h) => html`<tr class="header">${header(h, publicUrl)}</tr>`,
      )}</tbody></table>${token(result.token, 'ListIdentifiers', headers.length)}`;
    }
    case 'ListRecords': {
      const list = [...result.records];
      return html`${records(list, publicUrl)}${token(result.token, 'ListRecords', list.length)}`;
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
  const field = (f: (typeof FIELDS)[number]): Html => {
    if (f === 'metadataPrefix') return choice(f, value(f), choices.prefixes.map((p) => ({ value: p, label: p })));
    if (f === 'set') return choice(f, value(f), choices.sets.map((s) => ({ value: s.spec, label: `${s.spec} — ${s.name}` })));
    return html`<label>${f}<input name="${f}" value="${value(f)}" dir="ltr"></label>`;
  };
  return page(
    layout,
    'OAI explorer',
    html`<h1>OAI explorer</h1>
<form class="explore" method="get" action="/explore">
<label>Verb <select name="verb">${VERBS.map((v) => html`<option${v === verb ? html` selected` : ''}>${v}</option>`)}</select></label>
${FIELDS.map(field)}
<button type="submit">Send</button>
</form>
<p class="muted">Empty fields are left out of the request. Dates are YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ, in UTC.</p>
${response === null
  ? ''
  : html`<h2>${verb === '' ? 'Response' : verb}</h2>
<p>Request: <a href="${raw}"><code>${raw}</code></a> (raw XML) · responded ${bothCalendars(response.responseDate)}</p>
${body(response, publicUrl)}`}`,
  );
}
