import { xmlElement, type XmlElement } from './xml.js';
import type { ArticleRecord, Lang } from '../model.js';
import { issueNumber, landingPageUrl } from './citation.js';
import { articleTitles, cleanText, COAR_RESOURCE_TYPES, funderIdType, languageOrder, OPEN_ACCESS, recordAccessRights, recordLicense } from './shared.js';
import type { FormatContext, MetadataFormat } from './registry.js';

/**
 * JATS elements are in no namespace, but OAI-PMH requires the content of `<metadata>` to be
 * namespace qualified (OAI-PMH.xsd checks it strictly, against `##other`). The records therefore
 * carry the namespace PubMed Central's OAI-PMH service gives JATS; without it, each is an official
 * JATS 1.3 Journal Publishing document.
 */
export const JATS_NAMESPACE = 'https://jats.nlm.nih.gov/ns/archiving/1.3/';
const JATS_XSD = 'https://jats.nlm.nih.gov/publishing/1.3/xsd/JATS-journalpublishing1-3-mathml3.xsd';
const XLINK = 'http://www.w3.org/1999/xlink';
const ALI = 'http://www.niso.org/schemas/ali/1.0/';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

function add(parent: XmlElement, name: string, attributes: Record<string, string>, text: string): XmlElement {
  return parent.ele(name, attributes).txt(text);
}

/** JATS article types for the COAR resource types a source can give; none given: a research article, as before. */
const ARTICLE_TYPES: Readonly<Record<string, string>> = {
  'http://purl.org/coar/resource_type/c_2df8fbb1': 'research-article',
  'http://purl.org/coar/resource_type/c_6501': 'research-article',
  'http://purl.org/coar/resource_type/c_dcae04bc': 'review-article',
  'http://purl.org/coar/resource_type/c_b239': 'editorial',
  'http://purl.org/coar/resource_type/c_545b': 'letter',
  'http://purl.org/coar/resource_type/c_ba08': 'book-review',
  'http://purl.org/coar/resource_type/c_beb9': 'data-paper',
};

/**
 * JATS article types that say more than "an article", as COAR resource types: what an import reads
 * back. research-article is left out, since platforms write it for any article.
 */
export const JOURNAL_ARTICLE_TYPES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(ARTICLE_TYPES).filter(([uri, type]) => type !== 'research-article' && !uri.endsWith('c_6501')).map(([uri, type]) => [type, uri]),
);

/** The COAR resource types vocabulary, named on the subject group that carries a record's type. */
export const COAR_TYPES_VOCABULARY = 'http://purl.org/coar/resource_type/';

/**
 * Names of the custom metadata the records carry for the issue facts JATS has no element for: the
 * serial number (`issue` holds the number within the volume when there is one) and the season and
 * Solar Hijri year the journal prints. They are display text, never a date to compute with.
 */
export const JATS_CUSTOM_META = {
  serial: 'issue-serial-number',
  season: 'issue-season',
  solarYear: 'issue-solar-hijri-year',
} as const;

/** The known values of a bilingual pair, in the given language order. */
function known(values: Record<Lang, string | null>, order: readonly Lang[]): Array<{ lang: Lang; text: string }> {
  return order.flatMap((lang) => {
    const text = cleanText(values[lang]);
    return text === null ? [] : [{ lang, text }];
  });
}

/** The journal's ISSNs with JATS 1.3's publication-format, print first as journals print them. */
function issns(record: ArticleRecord): Array<{ format: 'print' | 'electronic'; value: string }> {
  const out: Array<{ format: 'print' | 'electronic'; value: string }> = [];
  const print = cleanText(record.journal.issnPrint);
  const online = cleanText(record.journal.issnOnline);
  if (print !== null) out.push({ format: 'print', value: print });
  if (online !== null) out.push({ format: 'electronic', value: online });
  return out;
}

function journalMeta(front: XmlElement, record: ArticleRecord): void {
  const { journal } = record;
  const meta = front.ele('journal-meta');
  // The journal's code is the one its publisher uses for it (its site and the publisher's
  // platform both name it so), hence publisher-id.
  add(meta, 'journal-id', { 'journal-id-type': 'publisher-id' }, cleanText(journal.code) ?? '');
  const [own, other] = languageOrder(record);
  const names = known({ fa: journal.nameFa, en: journal.nameEn }, [own, other]);
  const [main, translated] = names;
  if (main !== undefined) {
    const group = meta.ele('journal-title-group');
    add(group, 'journal-title', { 'xml:lang': main.lang }, main.text);
    if (translated !== undefined) add(group.ele('trans-title-group', { 'xml:lang': translated.lang }), 'trans-title', {}, translated.text);
  }
  for (const issn of issns(record)) add(meta, 'issn', { 'publication-format': issn.format }, issn.value);
  const publishers = known({ fa: journal.publisherFa, en: journal.publisherEn }, [own, other]);
  if (publishers.length > 0) {
    const publisher = meta.ele('publisher');
    for (const p of publishers) add(publisher, 'publisher-name', { 'xml:lang': p.lang }, p.text);
  }
}

function contributors(meta: XmlElement, record: ArticleRecord): void {
  const order = languageOrder(record);
  const authors = record.authors
    .map((author) => ({ author, names: known({ fa: author.nameFa, en: author.nameEn }, order) }))
    .filter((a) => a.names.length > 0);
  if (authors.length === 0) return;
  const group = meta.ele('contrib-group');
  for (const { author, names } of authors) {
    const contrib = group.ele('contrib', { 'contrib-type': 'author', ...(author.corresponding ? { corresp: 'yes' } : {}) });
    // Not authenticated: the iD comes from the journal's data, not from the author signing in to ORCID.
    if (typeof author.orcid === 'string') add(contrib, 'contrib-id', { 'contrib-id-type': 'orcid', authenticated: 'false' }, author.orcid);
    // Names are printed given name first in both blocks ("western" in JATS terms); they stay
    // whole strings, since splitting them into surname and given names would be a guess.
    const holder = names.length > 1 ? contrib.ele('name-alternatives') : contrib;
    for (const name of names) add(holder, 'string-name', { 'name-style': 'western', 'xml:lang': name.lang }, name.text);
    for (const affiliation of author.affiliations ?? []) {
      const wrap = contrib.ele('aff').ele('institution-wrap');
      if (affiliation.ror !== null) add(wrap, 'institution-id', { 'institution-id-type': 'ror' }, affiliation.ror);
      for (const name of known({ fa: affiliation.nameFa, en: affiliation.nameEn }, order)) add(wrap, 'institution', { 'xml:lang': name.lang }, name.text);
    }
  }
}

/** `<history>`: when the article was received and accepted, when a source said. */
function history(meta: XmlElement, record: ArticleRecord): void {
  const dates = [
    { type: 'received', value: record.details.dateReceived },
    { type: 'accepted', value: record.details.dateAccepted },
  ].filter((d): d is { type: string; value: string } => d.value !== null);
  if (dates.length === 0) return;
  const element = meta.ele('history');
  for (const d of dates) {
    const [year = '', month = '', day = ''] = d.value.split('-');
    const date = element.ele('date', { 'date-type': d.type, 'iso-8601-date': d.value });
    date.ele('day').txt(day);
    date.ele('month').txt(month);
    date.ele('year').txt(year);
  }
}

/** `<funding-group>`: each grant, with its funder's ROR id or Funder Registry DOI. */
function fundingGroup(meta: XmlElement, record: ArticleRecord, order: readonly Lang[]): void {
  const grants = record.details.funding.filter((f) => cleanText(f.funderNameFa) !== null || cleanText(f.funderNameEn) !== null);
  if (grants.length === 0) return;
  const group = meta.ele('funding-group');
  for (const f of grants) {
    const award = group.ele('award-group');
    const wrap = award.ele('funding-source').ele('institution-wrap');
    for (const name of known({ fa: f.funderNameFa, en: f.funderNameEn }, order)) add(wrap, 'institution', { 'xml:lang': name.lang }, name.text);
    if (f.funderId !== null) add(wrap, 'institution-id', { 'institution-id-type': funderIdType(f.funderId) === 'ROR' ? 'ror' : 'doi' }, f.funderId);
    const number = cleanText(f.awardNumber);
    if (number !== null) add(award, 'award-id', {}, number);
    // One award-name in JATS: the English one when known, as DataCite and OpenAIRE give it.
    const title = known({ fa: f.awardTitleFa, en: f.awardTitleEn }, ['en', 'fa'])[0];
    if (title !== undefined) add(award, 'award-name', { 'xml:lang': title.lang }, title.text);
  }
}

/** `<pub-date>` from the Gregorian publication date; the Solar Hijri one is display text only. */
function pubDate(meta: XmlElement, record: ArticleRecord): void {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(record.issue.datePublished ?? '');
  if (match === null) return;
  const [iso, year, month, day] = match;
  const date = meta.ele('pub-date', { 'publication-format': 'print', 'date-type': 'pub', 'iso-8601-date': iso });
  if (day !== undefined) date.ele('day').txt(day);
  if (month !== undefined) date.ele('month').txt(month);
  date.ele('year').txt(year ?? '');
}

/** Access and licence in NISO ALI terms: free_to_read for open access, and the licence URL. */
function permissions(meta: XmlElement, record: ArticleRecord): void {
  const open = recordAccessRights(record) === OPEN_ACCESS;
  const license = recordLicense(record);
  if (!open && license === null) return;
  const element = meta.ele('permissions');
  if (open) element.ele('ali:free_to_read');
  if (license !== null) add(element.ele('license', { 'xlink:href': license }), 'ali:license_ref', {}, license);
}

/** The record's COAR resource type, when a source gave one, as a subject of the COAR vocabulary. */
function categories(meta: XmlElement, record: ArticleRecord): void {
  const type = COAR_RESOURCE_TYPES.find((t) => t.uri === record.details.resourceType);
  if (type === undefined) return;
  const group = meta.ele('article-categories').ele('subj-group', { 'subj-group-type': 'coar-resource-type', vocab: 'COAR Resource Types', 'vocab-identifier': COAR_TYPES_VOCABULARY });
  add(group, 'subject', { 'vocab-term': type.label, 'vocab-term-identifier': type.uri }, type.label);
}

/** The issue facts JATS has no element for, so that an import of this record gives it back whole. */
function customMeta(meta: XmlElement, record: ArticleRecord): void {
  const { issue } = record;
  const group = meta.ele('custom-meta-group');
  const item = (name: string, value: string, attributes: Record<string, string> = {}) => {
    const element = group.ele('custom-meta', attributes);
    add(element, 'meta-name', {}, name);
    add(element, 'meta-value', {}, value);
  };
  item(JATS_CUSTOM_META.serial, String(issue.number));
  const season = cleanText(issue.seasonFa);
  if (season !== null) item(JATS_CUSTOM_META.season, season, { 'xml:lang': 'fa' });
  if (issue.yearSolar !== null) item(JATS_CUSTOM_META.solarYear, String(issue.yearSolar));
}

function paragraphs(parent: XmlElement, text: string): void {
  // Abstracts are stored as plain text; a line break is the only paragraph mark they can carry.
  for (const p of text.split(/\n+/)) if (p.trim() !== '') parent.ele('p').txt(p);
}

/** A JATS 1.3 `<article>` with `<front>` only: the journal's and the article's metadata. */
function render(record: ArticleRecord, context: FormatContext): string {
  const [own, other] = languageOrder(record);
  const usesAli = recordAccessRights(record) === OPEN_ACCESS || recordLicense(record) !== null;
  const article = xmlElement('article', {
    xmlns: JATS_NAMESPACE,
    'xmlns:xlink': XLINK,
    ...(usesAli ? { 'xmlns:ali': ALI } : {}),
    'xmlns:xsi': XSI,
    'xsi:schemaLocation': `${JATS_NAMESPACE} ${JATS_XSD}`,
    'article-type': ARTICLE_TYPES[record.details.resourceType ?? ''] ?? 'research-article',
    'dtd-version': '1.3',
    'xml:lang': record.language,
  });
  const front = article.ele('front');
  journalMeta(front, record);

  const meta = front.ele('article-meta');
  const doi = cleanText(record.doi);
  if (doi !== null) add(meta, 'article-id', { 'pub-id-type': 'doi' }, doi);
  // The OAI identifier is always a real identifier of the record, assigned by this repository.
  const oaiIdentifier = `oai:${context.repositoryIdentifier}:${record.localId}`;
  add(meta, 'article-id', { 'pub-id-type': 'other', 'assigning-authority': context.repositoryIdentifier }, oaiIdentifier);
  categories(meta, record);

  const titles = meta.ele('title-group');
  const title = articleTitles(record);
  if (title !== null) {
    add(titles, 'article-title', { 'xml:lang': title.main.lang }, title.main.text);
    const { translated } = title;
    if (translated !== null) add(titles.ele('trans-title-group', { 'xml:lang': translated.lang }), 'trans-title', {}, translated.text);
  }

  contributors(meta, record);
  pubDate(meta, record);
  if (record.issue.volume !== null) add(meta, 'volume', {}, String(record.issue.volume));
  add(meta, 'issue', {}, String(issueNumber(record.issue)));
  if (record.pageStart !== null) add(meta, 'fpage', {}, String(record.pageStart));
  if (record.pageEnd !== null) add(meta, 'lpage', {}, String(record.pageEnd));
  history(meta, record);
  permissions(meta, record);
  meta.ele('self-uri', { 'xlink:href': landingPageUrl(context.publicUrl, record.localId) });
  const journalPage = cleanText(record.landingUrl);
  if (journalPage !== null) meta.ele('self-uri', { 'xlink:href': journalPage });
  for (const file of record.details.fullText) {
    meta.ele('self-uri', { 'xlink:href': file.url, 'content-type': file.mediaType, ...(file.lang === null ? {} : { 'xml:lang': file.lang }) });
  }

  // The abstract in the article's language is the abstract; the other is its translation. With
  // only the other one known, it is the abstract, tagged with its language.
  const abstracts = known({ fa: record.text.fa.abstract, en: record.text.en.abstract }, [own, other]);
  abstracts.forEach((a, i) => paragraphs(meta.ele(i === 0 ? 'abstract' : 'trans-abstract', { 'xml:lang': a.lang }), a.text));

  for (const lang of [own, other]) {
    const keywords = record.keywords[lang].flatMap((k) => cleanText(k) ?? []);
    if (keywords.length === 0) continue;
    // No kwd-group-type: the source does not say who chose the keywords.
    const group = meta.ele('kwd-group', { 'xml:lang': lang });
    for (const k of keywords) add(group, 'kwd', {}, k);
  }
  fundingGroup(meta, record, [own, other]);
  customMeta(meta, record);
  return article.end();
}

/**
 * What JATS Journal Publishing requires and we may not know: an article title (title-group needs
 * article-title), at least one ISSN (journal-meta needs issn+ in this tag set) and the journal id.
 */
function canDisseminate(record: ArticleRecord): boolean {
  return articleTitles(record) !== null && issns(record).length > 0 && cleanText(record.journal.code) !== null;
}

/** `jats`: JATS 1.3 Journal Publishing front matter, the form journal platforms and PMC exchange. */
export const jats: MetadataFormat = {
  prefix: 'jats',
  namespace: JATS_NAMESPACE,
  schema: JATS_XSD,
  mediaType: 'application/vnd.jats+xml',
  version: 3,
  canDisseminate,
  render,
};
