import type { ArticleRecord, Lang } from '../model.js';
import type { BrowseQuery, RepositoryStats } from '../store/browse.js';
import { bothCalendars } from './dates.js';
import { href, html, page, type Html, type Layout } from './html.js';
import { localDigits } from './i18n/locale.js';

function summaryBlock(record: ArticleRecord, lang: Lang): Html {
  const title = record.text[lang].title;
  const names = record.authors.map((a) => (lang === 'fa' ? a.nameFa : a.nameEn)).filter((n): n is string => n !== null);
  return html`<div lang="${lang}" dir="${lang === 'fa' ? 'rtl' : 'ltr'}" class="lang-${lang}">
<h3>${title === null ? html`<span class="missing">${lang === 'fa' ? 'بدون عنوان فارسی' : 'no English title'}</span>` : title}</h3>
<p>${names.map((n, i) => html`${i > 0 ? (lang === 'fa' ? '، ' : ', ') : ''}<bdi>${n}</bdi>`)}</p>
<p class="muted">${record.keywords[lang].map((k, i) => html`${i > 0 ? (lang === 'fa' ? '، ' : ', ') : ''}<bdi>${k}</bdi>`)}</p>
</div>`;
}

/** The issue and pages of a record in a line, in the interface's language: `issue 22, volume 11 number 2, pages 7-37`. */
export function issueLabel(record: ArticleRecord, layout: Pick<Layout, 't' | 'lang'>): string {
  const { issue, pageStart, pageEnd } = record;
  const a = layout.t.articles;
  const n = (value: number) => localDigits(layout.lang, String(value));
  const label = a.issueLabel(n(issue.number), issue.volume === null ? null : n(issue.volume), issue.numberInVolume === null ? null : n(issue.numberInVolume));
  const pages = pageStart === null ? a.pagesNotKnown : pageStart === pageEnd ? a.page(n(pageStart)) : a.pages(n(pageStart), n(pageEnd ?? pageStart));
  return `${label}${layout.t.common.listSeparator}${pages}`;
}

/** One record as a card: both languages side by side, and its state. */
export function recordCard(record: ArticleRecord, layout: Layout): Html {
  return html`<article class="card${record.deleted ? ' deleted' : ''}" data-id="${record.localId}">
<p><a href="${href(layout, `/articles/${encodeURIComponent(record.localId)}`)}"><code>${record.localId}</code></a>
· ${record.journal.code} · ${issueLabel(record, layout)} · ${bothCalendars(record.datestamp, layout.lang)}
${record.deleted ? html` <span class="badge deleted">${layout.t.articles.withdrawn}</span>` : ''}</p>
<div class="pair">${summaryBlock(record, 'fa')}${summaryBlock(record, 'en')}</div>
</article>`;
}

/** What the list page shows. */
export interface ArticlesView {
  query: BrowseQuery;
  stats: RepositoryStats;
  records: ArticleRecord[];
  /** The query string of the next page, or null on the last page. */
  next: string | null;
}

/** `/articles`: filters, full-text search in both languages, keyset pages. */
export function articlesPage(layout: Layout, view: ArticlesView): string {
  const { query, stats } = view;
  const a = layout.t.articles;
  const option = (value: string, label: string, selected: boolean) => html`<option value="${value}"${selected ? html` selected` : ''}>${label}</option>`;
  const any = layout.t.common.any;
  return page(
    layout,
    a.title,
    html`<h1>${a.title}</h1>
<form class="filters" method="get" action="${href(layout, '/articles')}" role="search">
<label>${a.search}
<input type="search" name="q" value="${query.text ?? ''}" dir="auto" size="36"></label>
<label>${a.journal} <select name="journal">${option('', any, query.journal === null)}${stats.journals.map((j) => option(j.code, `${j.code} · ${(layout.lang === 'fa' ? (j.nameFa ?? j.nameEn) : (j.nameEn ?? j.nameFa)) ?? ''}`, query.journal === j.code))}</select></label>
<label>${a.set} <select name="set" dir="ltr">${option('', any, query.set === null)}${stats.perSet.map((s) => option(s.spec, s.spec, query.set === s.spec))}</select></label>
<label>${a.issue} <select name="issue">${option('', any, query.issue === null)}${stats.issues.map((n) => option(String(n), localDigits(layout.lang, String(n)), query.issue === n))}</select></label>
<label>${a.state} <select name="state">${option('all', a.all, query.state === 'all')}${option('live', a.live, query.state === 'live')}${option('deleted', a.withdrawn, query.state === 'deleted')}</select></label>
<button type="submit">${a.show}</button>
</form>
${view.records.length === 0 ? html`<p class="missing">${a.noMatch}</p>` : view.records.map((r) => recordCard(r, layout))}
<nav class="pager">${view.next === null ? html`<span class="muted">${a.end}</span>` : html`<a rel="next" href="${href(layout, `/articles?${view.next}`)}">${layout.t.common.nextPage}</a>`}</nav>`,
  );
}
