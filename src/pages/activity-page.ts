import type { ActivityReport, HarvestSummary, HarvesterActivity } from '../activity/report.js';
import { dailyChart } from './activity-chart.js';
import { href, html, page, type Html, type Layout } from './html.js';
import { formatNumber } from './i18n/locale.js';

/** A timestamp as it is stored, readable: `2025-09-01 08:30:00 UTC`; left to right, like code. */
const when = (iso: string | null): Html => (iso === null ? html`—` : html`<time dir="ltr" datetime="${iso}">${iso.replace('T', ' ').replace('Z', ' UTC')}</time>`);

/** The page's formatting: numbers in its digits, and its messages. */
function tools(layout: Layout) {
  return { a: layout.t.activity, n: (value: number) => formatNumber(layout.lang, value) };
}

function what(h: HarvestSummary, layout: Layout): Html {
  const { a } = tools(layout);
  return html`${h.verb} <code>${h.metadataPrefix ?? '—'}</code>${h.set === null ? '' : html` ${a.set} <code>${h.set}</code>`}${h.from === null ? ` (${a.full})` : html` ${a.from} <code>${h.from}</code> (${a.incremental})`}`;
}

function harvestRow(h: HarvestSummary, layout: Layout): Html {
  const { a, n } = tools(layout);
  return html`<tr class="${h.status === 'abandoned' ? 'problem' : ''}">
<td><bdi>${h.userAgent || a.none}</bdi><br><code>${h.network}</code></td>
<td>${what(h, layout)}</td><td>${when(h.startedAt)}</td><td>${when(h.lastAt)}</td>
<td>${n(h.pages)}</td><td>${n(h.items)}${h.completeListSize === null ? '' : ` ${a.of} ${n(h.completeListSize)}`}</td>
<td>${a.states[h.status] ?? h.status}${h.seenFromStart ? '' : ` (${a.firstSeenMidList})`}</td></tr>`;
}

function listed(items: ReadonlyArray<{ name: string; count: number }>, layout: Layout): Html | string {
  const { n } = tools(layout);
  return items.length === 0 ? '—' : html`${items.map((i, k) => html`${k > 0 ? ', ' : ''}<code>${i.name}</code> ${n(i.count)}`)}`;
}

function harvesterRow(h: HarvesterActivity, layout: Layout): Html {
  const { a, n } = tools(layout);
  const c = h.harvests;
  return html`<tr>
<td><bdi>${h.userAgent || a.none}</bdi><br><code>${h.network}</code><br><span class="muted">${a.lastSeen} ${when(h.lastSeen)}</span></td>
<td>${h.lastHarvest === null ? '—' : html`${what(h.lastHarvest, layout)}<br>${when(h.lastHarvest.startedAt)}: ${a.states[h.lastHarvest.status] ?? h.lastHarvest.status}`}</td>
<td>${a.formats}: ${listed(h.formats.map((f) => ({ name: f.prefix, count: f.requests })), layout)}<br>${a.sets}: ${listed(h.sets.map((s) => ({ name: s.spec, count: s.requests })), layout)}</td>
<td>${a.harvestStates({ started: n(c.started), finished: n(c.finished), abandoned: n(c.abandoned), inProgress: n(c.inProgress) })}<br>${a.harvestKinds({ incremental: n(c.incremental), full: n(c.full) })}</td>
<td>${a.requestsN(n(h.requests))}<br>${a.recordsN(n(h.records))}<br>${a.headersN(n(h.headers))}</td>
<td>${a.oaiErrors}: ${listed(h.errors.map((e) => ({ name: e.code, count: e.count })), layout)}<br>${a.busy}: ${n(h.busy)}<br>${a.broken}: ${n(h.broken)}</td></tr>`;
}

/**
 * `/activity`: who harvests and how it goes, per harvester (User-Agent and network), with a daily
 * chart of requests and records sent. `report` is null when this server records none.
 */
export function activityPage(layout: Layout, report: ActivityReport | null, retentionDays: number): string {
  const { a, n } = tools(layout);
  if (report === null) return page(layout, a.title, html`<h1>${a.title}</h1>\n<p>${a.off}</p>`);
  const t = report.totals;
  const days = report.daily.map((d) => d.day);
  // Time runs left to right on the chart, in both languages, as on a calendar's axis.
  const chart = dailyChart(a.chartTitle(report.from, report.to), days, [
    { label: a.requestsSeries, unit: a.requestsUnit, colour: '#0b5cad', values: report.daily.map((d) => d.requests) },
    { label: a.recordsSeries, unit: a.recordsUnit, colour: '#0a6b2d', values: report.daily.map((d) => d.records) },
  ]);
  const abandonedAfter = report.abandonedAfterSeconds % 3600 === 0 ? `${n(report.abandonedAfterSeconds / 3600)} h` : `${n(report.abandonedAfterSeconds)} s`;
  const h = t.harvests;
  return page(
    layout,
    a.title,
    html`<h1>${a.title}</h1>
<p>${a.period(n(report.days), report.from, report.to)} ${a.totals({ requests: n(t.requests), harvesters: n(report.harvesters.length), harvesterCount: report.harvesters.length, records: n(t.records), headers: n(t.headers), errors: n(t.oaiErrors), busy: n(t.busy), broken: n(t.broken) })}</p>
<p>${a.harvestCounts({ started: n(h.started), finished: n(h.finished), abandoned: n(h.abandoned), inProgress: n(h.inProgress), incremental: n(h.incremental), full: n(h.full) })}</p>
<p class="muted">${a.sameReport} <code dir="ltr">npm run admin -- activity</code>. ${a.otherPeriods} ${[7, 30, 90].map((d, i) => html`${i > 0 ? ' · ' : ''}<a href="${href(layout, `/activity?days=${d}`)}">${a.daysLink(n(d))}</a>`)}.</p>
<figure dir="ltr">${chart}</figure>
<details><summary>${a.figures}</summary>
<table><thead><tr><th>${a.day}</th><th>${a.requests}</th><th>${a.recordsSent}</th></tr></thead><tbody>
${report.daily.map((d) => html`<tr><td dir="ltr">${d.day}</td><td>${n(d.requests)}</td><td>${n(d.records)}</td></tr>`)}
</tbody></table></details>
<h2>${a.harvesters}</h2>
<p>${a.explain(abandonedAfter)}</p>
${
  report.harvesters.length === 0
    ? html`<p>${a.noHarvester}</p>`
    : html`<table><thead><tr><th>${a.harvester}</th><th>${a.lastHarvest}</th><th>${a.askedFor}</th><th>${a.harvests}</th><th>${a.sentWhole}</th><th>${a.wentWrong}</th></tr></thead><tbody>
${report.harvesters.map((r) => harvesterRow(r, layout))}
</tbody></table>`
}
<h2>${a.latest}</h2>
${
  report.recentHarvests.length === 0
    ? html`<p>${a.noHarvest}</p>`
    : html`<table><thead><tr><th>${a.harvester}</th><th>${a.list}</th><th>${a.started}</th><th>${a.lastPage}</th><th>${a.pages}</th><th>${a.itemsSent}</th><th>${a.status}</th></tr></thead><tbody>
${report.recentHarvests.map((r) => harvestRow(r, layout))}
</tbody></table>`
}
<h2>${a.privacy}</h2>
<p>${a.privacyText(n(retentionDays))}</p>`,
  );
}
