import type { ArticleRecord, Lang } from '../model.js';
import type { BrowseQuery, RepositoryStats } from '../store/browse.js';
import { bothCalendars } from './dates.js';
import { html, page, type Html, type Layout } from './html.js';

function summaryBlock(record: ArticleRecord, lang: Lang): Html {
  const title = record.text[lang].title;
  const names = record.authors.map((a) => (lang === 'fa' ? a.nameFa : a.nameEn)).filter((n): n is string => n !== null);
  return html`<div lang="${lang}" dir="${lang === 'fa' ? 'rtl' : 'ltr'}" class="lang-${lang}">
<h3>${title === null ? html`<span class="missing">${lang === 'fa' ? 'بدون عنوان فارسی' : 'no English title'}</span>` : title}</h3>
<p>${names.map((n, i) => html`${i > 0 ? (lang === 'fa' ? '، ' : ', ') : ''}<bdi>${n}</bdi>`)}</p>
<p class="muted">${record.keywords[lang].map((k, i) => html`${i > 0 ? (lang === 'fa' ? '، ' : ', ') : ''}<bdi>${k}</bdi>`)}</p>
</div>`;
}

/** The issue and pages of a record in a line: `issue 22, volume 11 number 2, pages 7-37`. */
export function issueLabel(record: ArticleRecord): string {
  const { issue, pageStart, pageEnd } = record;
  const volume = issue.volume === null ? '' : `, volume ${issue.volume}${issue.numberInVolume === null ? '' : ` number ${issue.numberInVolume}`}`;
  const pages = pageStart === null ? 'pages not known' : pageStart === pageEnd ? `page ${pageStart}` : `pages ${pageStart}-${pageEnd ?? pageStart}`;
  return `issue ${issue.number}${volume}, ${pages}`;
}

/** One record as a card: both languages side by side, and its state. */
export function recordCard(record: ArticleRecord): Html {
  return html`<article class="card${record.deleted ? ' deleted' : ''}" data-id="${record.localId}">
<p><a href="${`/articles/${encodeURIComponent(record.localId)}`}"><code>${record.localId}</code></a>
· ${record.journal.code} · ${issueLabel(record)} · ${bothCalendars(record.datestamp)}
${record.deleted ? html` <span class="badge deleted">withdrawn</span>` : ''}</p>
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
  const option = (value: string, label: string, selected: boolean) => html`<option value="${value}"${selected ? html` selected` : ''}>${label}</option>`;
  return page(
    layout,
    'Articles',
    html`<h1>Articles</h1>
<form class="filters" method="get" action="/articles" role="search">
<label>Search titles, abstracts, authors, keywords (فارسی or English)
<input type="search" name="q" value="${query.text ?? ''}" dir="auto" size="36"></label>
<label>Journal <select name="journal">${option('', 'any', query.journal === null)}${stats.journals.map((j) => option(j.code, `${j.code} · ${j.nameEn ?? j.nameFa ?? ''}`, query.journal === j.code))}</select></label>
<label>Set <select name="set">${option('', 'any', query.set === null)}${stats.perSet.map((s) => option(s.spec, s.spec, query.set === s.spec))}</select></label>
<label>Issue <select name="issue">${option('', 'any', query.issue === null)}${stats.issues.map((n) => option(String(n), String(n), query.issue === n))}</select></label>
<label>State <select name="state">${option('all', 'all', query.state === 'all')}${option('live', 'live', query.state === 'live')}${option('deleted', 'withdrawn', query.state === 'deleted')}</select></label>
<button type="submit">Show</button>
</form>
${view.records.length === 0 ? html`<p class="missing">No article matches.</p>` : view.records.map(recordCard)}
<nav class="pager">${view.next === null ? html`<span class="muted">End of the list.</span>` : html`<a rel="next" href="${`/articles?${view.next}`}">Next page →</a>`}</nav>`,
  );
}
