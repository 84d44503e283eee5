import { jsonLdScript, scholarlyArticle } from '../discovery/json-ld.js';
import { landingLinks, type Signposts } from '../discovery/signposting.js';
import { doiUrl, issueCitation, issueNumber } from '../formats/citation.js';
import type { FormatContext, MetadataFormat } from '../formats/registry.js';
import { COAR_RESOURCE_TYPES, coarAccessRightLabel } from '../formats/shared.js';
import type { ArticleRecord, Lang } from '../model.js';
import { toOaiIdentifier } from '../oai/identifiers.js';
import { issueLabel } from './articles-page.js';
import { bothCalendars } from './dates.js';
import { href, Html, html, page, type Layout } from './html.js';
import { highlightXml, prettyXml } from './xml-view.js';

const LABELS = {
  fa: { unknownTitle: 'عنوان فارسی در دست نیست', authors: 'نویسندگان', corresponding: 'نویسنده مسئول', abstract: 'چکیده', keywords: 'کلیدواژگان', citation: 'استناد', none: 'در دست نیست', source: 'منبع عنوان', separator: '، ' },
  en: { unknownTitle: 'English title not known', authors: 'Authors', corresponding: 'corresponding author', abstract: 'Abstract', keywords: 'Keywords', citation: 'Citation', none: 'not known', source: 'Title source', separator: ', ' },
} as const;

/** An article's text in one language, marked with its language and direction. */
export function languageBlock(record: ArticleRecord, lang: Lang, headingLevel: 'h1' | 'h2' = 'h2'): Html {
  const l = LABELS[lang];
  const title = record.text[lang].title;
  const authors = record.authors.filter((a) => (lang === 'fa' ? a.nameFa : a.nameEn) !== null);
  const heading = title === null ? html`<span class="missing">${l.unknownTitle}</span>` : title;
  return html`<section lang="${lang}" dir="${lang === 'fa' ? 'rtl' : 'ltr'}" class="lang-${lang}">
${headingLevel === 'h1' ? html`<h1>${heading}</h1>` : html`<h2>${heading}</h2>`}
<p>${authors.map((a, i) => html`${i > 0 ? l.separator : ''}<bdi>${(lang === 'fa' ? a.nameFa : a.nameEn) ?? ''}</bdi>${a.corresponding ? html`<abbr title="${l.corresponding}">*</abbr>` : ''}`)}</p>
<h3>${l.abstract}</h3>
<p>${record.text[lang].abstract ?? html`<span class="missing">${l.none}</span>`}</p>
<h3>${l.keywords}</h3>
<p>${record.keywords[lang].length === 0 ? html`<span class="missing">${l.none}</span>` : record.keywords[lang].map((k, i) => html`${i > 0 ? l.separator : ''}<bdi>${k}</bdi>`)}</p>
<h3>${l.citation}</h3>
<p>${issueCitation(record, lang) ?? html`<span class="missing">${l.none}</span>`}</p>
${record.text[lang].titleSource ? html`<p class="muted">${l.source}: <bdi>${record.text[lang].titleSource ?? ''}</bdi></p>` : ''}
</section>`;
}

/**
 * Google Scholar's `citation_*` tags. Where a value exists in both languages it is given twice,
 * each tag with its `lang`; Scholar reads the one that matches the page.
 */
function citationMeta(record: ArticleRecord, landingUrl: string): Html {
  const meta = (name: string, content: string | number | null, lang?: Lang) =>
    content === null || content === '' ? '' : html`<meta name="${name}" content="${String(content)}"${lang ? html` lang="${lang}"` : ''}>\n`;
  const langs: Lang[] = ['fa', 'en'];
  const pdf = record.details.fullText.find((f) => f.mediaType === 'application/pdf')?.url ?? null;
  // Each author's institutions and ORCID iD follow its name, which is how Scholar ties them to it.
  return html`${langs.map((lang) => meta('citation_title', record.text[lang].title, lang))}${record.authors.map(
    (a) =>
      html`${meta('citation_author', a.nameEn, 'en')}${meta('citation_author', a.nameFa, 'fa')}${(a.affiliations ?? []).map((f) =>
        meta('citation_author_institution', f.nameEn ?? f.nameFa),
      )}${meta('citation_author_orcid', a.orcid ?? null)}`,
  )}${meta('citation_pdf_url', pdf)}${meta('citation_publication_date', record.issue.datePublished?.replaceAll('-', '/') ?? null)}${meta('citation_journal_title', record.journal.nameFa, 'fa')}${meta(
    'citation_journal_title',
    record.journal.nameEn,
    'en',
  )}${meta('citation_publisher', record.journal.publisherEn, 'en')}${meta('citation_volume', record.issue.volume)}${meta('citation_issue', issueNumber(record.issue))}${meta(
    'citation_firstpage',
    record.pageStart,
  )}${meta('citation_lastpage', record.pageEnd)}${meta('citation_doi', record.doi)}${meta('citation_issn', record.journal.issnOnline ?? record.journal.issnPrint)}${meta(
    'citation_language',
    record.language,
  )}${langs.map((lang) => meta('citation_keywords', record.keywords[lang].join('; '), lang))}${langs.map((lang) => meta('citation_abstract', record.text[lang].abstract, lang))}${meta(
    'citation_abstract_html_url',
    landingUrl,
  )}`;
}

/** The rows of what richer sources say (ORCID iDs, affiliations, licence, full text, funding, dates): only those given. */
function detailRows(record: ArticleRecord, layout: Layout): Html {
  const { details } = record;
  const { lang } = layout;
  const a = layout.t.article;
  const name = (a: ArticleRecord['authors'][number]) => a.nameEn ?? a.nameFa ?? '';
  const orcids = record.authors.filter((a) => typeof a.orcid === 'string');
  const affiliated = record.authors.filter((a) => (a.affiliations ?? []).length > 0);
  const license = details.license ?? record.journal.license;
  const access = details.accessRights ?? record.journal.accessRights;
  const rows: Html[] = [];
  if (orcids.length > 0) rows.push(html`<dt>${a.orcids}</dt><dd>${orcids.map((a, i) => html`${i > 0 ? ' · ' : ''}<bdi>${name(a)}</bdi> <a href="${a.orcid ?? ''}">${a.orcid ?? ''}</a>`)}</dd>`);
  if (affiliated.length > 0) {
    rows.push(
      html`<dt>${a.affiliations}</dt><dd>${affiliated.map(
        (a, i) =>
          html`${i > 0 ? html`<br>` : ''}<bdi>${name(a)}</bdi>: ${(a.affiliations ?? []).map(
            (f, j) => html`${j > 0 ? '; ' : ''}${f.nameEn ?? ''}${f.nameEn !== null && f.nameFa !== null ? ' · ' : ''}${f.nameFa === null ? '' : html`<bdi lang="fa" dir="rtl">${f.nameFa}</bdi>`}${f.ror === null ? '' : html` <a href="${f.ror}">ROR</a>`}`,
          )}`,
      )}</dd>`,
    );
  }
  if (details.license !== null || details.accessRights !== null) {
    rows.push(html`<dt>${a.licence}</dt><dd>${license === null ? html`<span class="missing">${layout.t.common.notKnown}</span>` : html`<a href="${license}">${license}</a>`}${access === null ? '' : html` · <a href="${access}">${COAR_LABEL(access)}</a>`}</dd>`);
  }
  if (details.resourceType !== null) rows.push(html`<dt>${a.type}</dt><dd>${COAR_RESOURCE_TYPES.find((t) => t.uri === details.resourceType)?.label ?? details.resourceType}</dd>`);
  if (details.dateReceived !== null || details.dateAccepted !== null) {
    rows.push(html`<dt>${a.receivedAccepted}</dt><dd>${bothCalendars(details.dateReceived, lang)} · ${bothCalendars(details.dateAccepted, lang)}</dd>`);
  }
  if (details.fullText.length > 0) {
    rows.push(html`<dt>${a.fullText}</dt><dd>${details.fullText.map((f, i) => html`${i > 0 ? ' · ' : ''}<a href="${f.url}" type="${f.mediaType}">${f.mediaType}${f.lang === null ? '' : ` (${f.lang})`}</a>`)}</dd>`);
  }
  if (details.funding.length > 0) {
    rows.push(
      html`<dt>${a.funding}</dt><dd>${details.funding.map(
        (f, i) =>
          html`${i > 0 ? html`<br>` : ''}${f.funderNameEn ?? ''}${f.funderNameEn !== null && f.funderNameFa !== null ? ' · ' : ''}${f.funderNameFa === null ? '' : html`<bdi lang="fa" dir="rtl">${f.funderNameFa}</bdi>`}${f.funderId === null ? '' : html` <a href="${f.funderId}">id</a>`}${f.awardNumber === null ? '' : `${layout.t.common.listSeparator}${a.grant(f.awardNumber)}`}${(f.awardTitleEn ?? f.awardTitleFa) === null ? '' : html`: <bdi>${f.awardTitleEn ?? f.awardTitleFa ?? ''}</bdi>`}`,
      )}</dd>`,
    );
  }
  return html`${rows.map((r) => html`${r}\n`)}`;
}

const COAR_LABEL = (uri: string): string => coarAccessRightLabel(uri) ?? uri;

/** What the landing page needs besides the record. */
export interface LandingContext {
  layout: Layout;
  repositoryIdentifier: string;
  formats: readonly MetadataFormat[];
  formatContext: FormatContext;
  landingUrl: string;
  /** The signposting links of a live record, which the page repeats as `<link>` elements. */
  signposts: Signposts | null;
}

/** FAIR Signposting's level-1 links as HTML `<link>` elements, every one of them. */
function signpostingLinks(signposts: Signposts): Html {
  return html`${landingLinks(signposts, false).map(
    (l) => html`<link rel="${l.rel}" href="${l.href}"${l.type === undefined ? '' : html` type="${l.type}"`}${l.profile === undefined ? '' : html` profile="${l.profile}"`}>
`,
  )}`;
}

/**
 * The record as schema.org JSON-LD, in a data block: browsers never run it, so the pages'
 * Content-Security-Policy, which allows no script, stays as it is.
 */
function jsonLd(record: ArticleRecord, ctx: LandingContext, identifier: string): Html {
  const data = scholarlyArticle(record, { landingPage: ctx.landingUrl, oaiIdentifier: identifier });
  return new Html(`<script type="application/ld+json">${jsonLdScript(data)}</script>\n`);
}

/** The landing page that dc:identifier points to: every field in both languages, and the XML. */
export function articlePage(record: ArticleRecord, ctx: LandingContext): string {
  const { layout } = ctx;
  const { t, lang } = layout;
  const a = t.article;
  const identifier = toOaiIdentifier(ctx.repositoryIdentifier, record.localId);
  const heading = record.text[lang].title ?? record.text[lang === 'fa' ? 'en' : 'fa'].title ?? a.untitled(record.localId);
  const getRecord = (prefix: string) => `${layout.baseUrl}?verb=GetRecord&metadataPrefix=${encodeURIComponent(prefix)}&identifier=${encodeURIComponent(identifier)}`;
  if (record.deleted) {
    return page(
      layout,
      a.withdrawnTitle(heading),
      html`<h1>${a.withdrawnHeading}</h1>
<dl class="facts">
<dt>${a.oaiIdentifier}</dt><dd><code>${identifier}</code></dd>
<dt>${a.withdrawnAt}</dt><dd>${bothCalendars(record.datestamp, lang)}</dd>
<dt>${a.harvestersSee}</dt><dd><a href="${getRecord('oai_dc')}">${a.deletedHeader}</a></dd>
</dl>`,
      html`<meta name="robots" content="noindex">`,
    );
  }
  const formats = ctx.formats.filter((f) => f.canDisseminate(record));
  const documents = ctx.signposts?.describedBy ?? [];
  return page(
    layout,
    heading,
    html`<p lang="fa" dir="rtl" class="muted"><bdi>${record.journal.nameFa ?? ''}</bdi></p>
<div class="pair">${languageBlock(record, 'fa', 'h1')}${languageBlock(record, 'en')}</div>
<h2>${a.record}</h2>
<dl class="facts">
<dt>${a.oaiIdentifier}</dt><dd><code>${identifier}</code></dd>
<dt>${a.datestamp}</dt><dd>${bothCalendars(record.datestamp, lang)}</dd>
<dt>${a.published}</dt><dd>${bothCalendars(record.issue.datePublished, lang)}</dd>
<dt>${a.journal}</dt><dd><a href="${href(layout, `/articles?journal=${encodeURIComponent(record.journal.code)}`)}"><bdi>${record.journal.nameFa ?? record.journal.nameEn ?? record.journal.code}</bdi></a> <code>${record.journal.code}</code></dd>
<dt>${a.issue}</dt><dd>${issueLabel(record, layout)}</dd>
<dt>${a.doi}</dt><dd>${record.doi === null ? html`<span class="missing">${t.common.notKnown}</span>` : html`<a href="${doiUrl(record.doi)}">${record.doi}</a>`}</dd>
${detailRows(record, layout)}
<dt>${a.sets}</dt><dd>${record.setSpecs.map((s, i) => html`${i > 0 ? ', ' : ''}<code>${s}</code>`)}</dd>
<dt>${a.getRecord}</dt><dd>${formats.map((f, i) => html`${i > 0 ? ' · ' : ''}<a href="${getRecord(f.prefix)}">${f.prefix}</a>`)}</dd>
<dt>${a.documents}</dt><dd>${documents.map((d, i) => html`${i > 0 ? ' · ' : ''}<a href="${d.href}" type="${d.type}">${d.href.slice(d.href.lastIndexOf('/') + 1)}</a>`)}</dd>
<dt>${a.linkSet}</dt><dd>${(ctx.signposts?.linksets ?? []).map((l, i) => html`${i > 0 ? ' · ' : ''}<a href="${l.href}" type="${l.type}">${l.type}</a>`)}</dd>
</dl>
<h2>${a.metadata}</h2>
${formats.map((f) => html`<details class="format" id="${`xml-${f.prefix}`}"><summary><code>${f.prefix}</code></summary>${highlightXml(prettyXml(f.render(record, ctx.formatContext)))}</details>`)}`,
    html`${citationMeta(record, ctx.landingUrl)}${ctx.signposts === null ? '' : signpostingLinks(ctx.signposts)}${jsonLd(record, ctx, identifier)}`,
  );
}
