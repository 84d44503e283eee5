import { issueCitation } from '../formats/citation.js';
import type { ArticleRecord, Lang } from '../model.js';
import { toOaiIdentifier } from '../oai/identifiers.js';
import { html, page, type Html } from './html.js';

const LABELS = {
  fa: { title: 'عنوان', unknownTitle: 'عنوان فارسی در دست نیست', authors: 'نویسندگان', corresponding: 'نویسنده مسئول', abstract: 'چکیده', keywords: 'کلیدواژگان', citation: 'استناد', none: 'در دست نیست' },
  en: { title: 'Title', unknownTitle: 'English title not known', authors: 'Authors', corresponding: 'corresponding author', abstract: 'Abstract', keywords: 'Keywords', citation: 'Citation', none: 'not known' },
} as const;

function column(record: ArticleRecord, lang: Lang): Html {
  const l = LABELS[lang];
  const title = record.text[lang].title;
  const authors = record.authors
    .map((a) => ({ name: lang === 'fa' ? a.nameFa : a.nameEn, corresponding: a.corresponding }))
    .filter((a): a is { name: string; corresponding: boolean } => a.name !== null);
  return html`<section lang="${lang}" dir="${lang === 'fa' ? 'rtl' : 'ltr'}">
<h2>${title === null ? html`<span class="missing">${l.unknownTitle}</span>` : title}</h2>
<dl>
<dt>${l.authors}</dt>
<dd>${authors.map((a, i) => html`${i > 0 ? (lang === 'fa' ? '، ' : ', ') : ''}<bdi>${a.name}</bdi>${a.corresponding ? html`<abbr title="${l.corresponding}">*</abbr>` : ''}`)}</dd>
<dt>${l.abstract}</dt>
<dd>${record.text[lang].abstract ?? html`<span class="missing">${l.none}</span>`}</dd>
<dt>${l.keywords}</dt>
<dd>${record.keywords[lang].length === 0 ? html`<span class="missing">${l.none}</span>` : record.keywords[lang].map((k, i) => html`${i > 0 ? (lang === 'fa' ? '، ' : ', ') : ''}<bdi>${k}</bdi>`)}</dd>
<dt>${l.citation}</dt>
<dd>${issueCitation(record, lang) ?? ''}</dd>
</dl>
</section>`;
}

/** The landing page that dc:identifier points to: the record in both languages. */
export function articlePage(record: ArticleRecord, repositoryIdentifier: string, baseUrl: string): string {
  const identifier = toOaiIdentifier(repositoryIdentifier, record.localId);
  const heading = record.text.en.title ?? record.text.fa.title ?? `Article ${record.localId}`;
  if (record.deleted) {
    return page(
      `Withdrawn: ${heading}`,
      html`<h1>This record has been withdrawn</h1>
<p lang="fa" dir="rtl">این مقاله از مخزن برداشته شده است.</p>
<p>OAI identifier <code>${identifier}</code>, withdrawn at <time>${record.datestamp}</time>.</p>`,
    );
  }
  const getRecord = `${baseUrl}?verb=GetRecord&metadataPrefix=oai_dc&identifier=${encodeURIComponent(identifier)}`;
  return page(
    heading,
    html`<header><p lang="fa" dir="rtl">${record.journal.nameFa ?? ''}</p></header>
<div class="pair">${column(record, 'fa')}${column(record, 'en')}</div>
<footer>
<p>OAI identifier <code>${identifier}</code> · datestamp <time>${record.datestamp}</time> ·
published <time datetime="${record.issue.datePublished ?? ''}">${record.issue.datePublished ?? ''}</time>
(<span lang="fa" dir="rtl">${record.issue.dateSolar ?? ''}</span>) ·
<a href="${getRecord}">GetRecord (oai_dc)</a></p>
</footer>`,
  );
}
