/**
 * MODS 3.7 records (`mods`), one `<mods>` per article.
 *
 * Every language-bearing element says its language twice, `lang` (ISO 639-2/B, what MODS
 * prescribes) and `xml:lang` (BCP 47, what generic XML tools read), plus its ISO 15924 `script`.
 * The Persian and English forms of the same element are linked by `altRepGroup`, MODS's way of
 * marking alternative representations of one piece of data. The article's own language comes first.
 */
import { xmlElement, type XmlElement } from './xml.js';
import type { ArticleRecord, Author, Lang } from '../model.js';
import { stripXmlIllegal } from '../text/normalize.js';
import { issueNumber, landingPageUrl } from './citation.js';
import type { FormatContext, MetadataFormat } from './registry.js';
import { coarAccessRightLabel, licenseName, recordAccessRights, recordLicense, recordResourceType } from './shared.js';

const MODS = 'http://www.loc.gov/mods/v3';
const MODS_XSD = 'http://www.loc.gov/standards/mods/v3/mods-3-7.xsd';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const RELATORS = 'http://id.loc.gov/vocabulary/relators';
const COAR_TYPES = 'http://purl.org/coar/resource_type/';
const XLINK = 'http://www.w3.org/1999/xlink';

/** ISO 639-2/B code and ISO 15924 script of each language a record carries. */
const LANGUAGE: Readonly<Record<Lang, { code: string; script: string }>> = {
  fa: { code: 'per', script: 'Arab' },
  en: { code: 'eng', script: 'Latn' },
};

type Attributes = Record<string, string>;

/** The cleaned value, or null when there is nothing left to say. */
function clean(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const stripped = stripXmlIllegal(value);
  return stripped.trim() === '' ? null : stripped;
}

/** `lang`, `xml:lang` and `script` of an element in the given language. */
function langAttributes(lang: Lang): Attributes {
  return { lang: LANGUAGE[lang].code, 'xml:lang': lang, script: LANGUAGE[lang].script };
}

/** The article's language first, as the journal prints it; the other language after. */
function languageOrder(record: ArticleRecord): Lang[] {
  return record.language === 'en' ? ['en', 'fa'] : ['fa', 'en'];
}

/**
 * The values of one element in each language that has it, with the attributes that tag the
 * language and, when both languages are there and a group is given, the `altRepGroup` that pairs them.
 */
function variants(order: Lang[], values: Record<Lang, string | null | undefined>, group: string | null): Array<[Attributes, string, Lang]> {
  const present = order.flatMap((lang): Array<[Lang, string]> => {
    const value = clean(values[lang]);
    return value === null ? [] : [[lang, value]];
  });
  const pairing: Attributes = group !== null && present.length > 1 ? { altRepGroup: group } : {};
  return present.map(([lang, value]) => [{ ...langAttributes(lang), ...pairing }, value, lang]);
}

/** Adds `<name>`s of one author, one per language, with the author's roles. */
function addAuthor(mods: XmlElement, order: Lang[], author: Author, index: number): void {
  const forms = variants(order, { fa: author.nameFa, en: author.nameEn }, `author-${index + 1}`);
  forms.forEach(([attributes, name, lang], form) => {
    // The first author is the main entry, as in MARC 100. usage="primary" goes on one element only,
    // the first of its altRepGroup, since several primary names in one record read as a conflict.
    const usage: Attributes = index === 0 && form === 0 ? { usage: 'primary' } : {};
    // The stored name is unsplit (a Persian surname cannot be told apart reliably), hence an untyped namePart.
    const element = mods.ele('name', { type: 'personal', ...usage, ...attributes });
    element.ele('namePart').txt(name);
    element
      .ele('role')
      .ele('roleTerm', { type: 'text', authority: 'marcrelator', authorityURI: RELATORS, valueURI: `${RELATORS}/aut` })
      .txt('author');
    // A second <role>, not a second roleTerm: roleTerms of one role are forms of the same role,
    // whereas this is another one. It has no authority since the relator list has no such term;
    // a role (unlike a free-text <description>) is where harvesters look for what a person did.
    if (author.corresponding) element.ele('role').ele('roleTerm', { type: 'text' }).txt('corresponding author');
    // Each form of the name carries the affiliations in its own language, when a source gave them.
    for (const affiliation of author.affiliations ?? []) {
      const text = clean(lang === 'fa' ? affiliation.nameFa : affiliation.nameEn);
      if (text !== null) element.ele('affiliation', langAttributes(lang)).txt(text);
    }
    if (typeof author.orcid === 'string') element.ele('nameIdentifier', { type: 'orcid' }).txt(author.orcid);
  });
}

/** Adds `<titleInfo>`s, the title in a language other than the article's being `type="translated"`. */
function addTitles(parent: XmlElement, record: ArticleRecord, order: Lang[], values: Record<Lang, string | null>, group: string): void {
  for (const [attributes, title, lang] of variants(order, values, group)) {
    const type: Attributes = lang !== record.language ? { type: 'translated' } : {};
    parent.ele('titleInfo', { ...type, ...attributes }).ele('title').txt(title);
  }
}

/** The MODS record of an article: a pure function of the record and the server's address. */
function render(record: ArticleRecord, context: FormatContext): string {
  const { journal, issue, text } = record;
  const order = languageOrder(record);
  const landing = stripXmlIllegal(landingPageUrl(context.publicUrl, record.localId));
  const doi = clean(record.doi);
  const mods = xmlElement('mods', {
    xmlns: MODS,
    'xmlns:xsi': XSI,
    'xsi:schemaLocation': `${MODS} ${MODS_XSD}`,
    version: '3.7',
  });

  addTitles(mods, record, order, { fa: text.fa.title, en: text.en.title }, 'title');

  record.authors
    .filter((a) => clean(a.nameFa) !== null || clean(a.nameEn) !== null)
    .forEach((author, index) => addAuthor(mods, order, author, index));

  mods.ele('typeOfResource').txt('text');
  const type = recordResourceType(record);
  mods.ele('genre', { authority: 'coar', authorityURI: COAR_TYPES, valueURI: type.uri }).txt(type.label);

  // originInfo needs at least one child, so it appears only with a date or a publisher. The
  // Solar Hijri date stays out: MODS dates here are Gregorian W3CDTF.
  // <publisher> takes no altRepGroup; sharing one originInfo is what pairs the two forms.
  const publishers = variants(order, { fa: journal.publisherFa, en: journal.publisherEn }, null);
  const dateIssued = clean(issue.datePublished);
  if (publishers.length > 0 || dateIssued !== null) {
    const origin = mods.ele('originInfo', { eventType: 'publication' });
    for (const [attributes, publisher] of publishers) origin.ele('publisher', attributes).txt(publisher);
    if (dateIssued !== null) origin.ele('dateIssued', { encoding: 'w3cdtf', keyDate: 'yes' }).txt(dateIssued);
  }

  const textLanguage = (['fa', 'en'] as const).find((lang) => lang === record.language);
  if (textLanguage) {
    const language = mods.ele('language');
    language.ele('languageTerm', { type: 'code', authority: 'iso639-2b' }).txt(LANGUAGE[textLanguage].code);
    language.ele('scriptTerm', { type: 'code', authority: 'iso15924' }).txt(LANGUAGE[textLanguage].script);
  }
  // The abstract in the other language, as MARC 041 $b says it: a summary language.
  for (const lang of order) {
    if (lang === record.language || clean(text[lang].abstract) === null) continue;
    mods
      .ele('language', { objectPart: 'summary' })
      .ele('languageTerm', { type: 'code', authority: 'iso639-2b' })
      .txt(LANGUAGE[lang].code);
  }

  for (const [attributes, abstract] of variants(order, { fa: text.fa.abstract, en: text.en.abstract }, 'abstract')) {
    mods.ele('abstract', attributes).txt(abstract);
  }

  // One <subject> per keyword: several topics in one subject would read as one pre-coordinated heading.
  for (const lang of order) {
    for (const keyword of record.keywords[lang]) {
      const value = clean(keyword);
      if (value !== null) mods.ele('subject', langAttributes(lang)).ele('topic').txt(value);
    }
  }

  const host = mods.ele('relatedItem', { type: 'host' });
  addTitles(host, record, order, { fa: journal.nameFa, en: journal.nameEn }, 'host-title');
  for (const issn of [journal.issnPrint, journal.issnOnline]) {
    const value = clean(issn);
    if (value !== null) host.ele('identifier', { type: 'issn' }).txt(value);
  }
  const part = host.ele('part');
  if (issue.volume !== null) part.ele('detail', { type: 'volume' }).ele('number').txt(String(issue.volume));
  part.ele('detail', { type: 'issue' }).ele('number').txt(String(issueNumber(issue)));
  if (record.pageStart !== null) {
    const extent = part.ele('extent', { unit: 'pages' });
    extent.ele('start').txt(String(record.pageStart));
    extent.ele('end').txt(String(record.pageEnd ?? record.pageStart));
  }
  const year = /^\d{4}/.exec(issue.datePublished ?? '')?.[0];
  if (year) part.ele('date', { encoding: 'w3cdtf' }).txt(year);

  mods.ele('identifier', { type: 'uri' }).txt(landing);
  if (doi !== null) mods.ele('identifier', { type: 'doi' }).txt(doi);
  const location = mods.ele('location');
  location.ele('url', { usage: 'primary', access: 'object in context' }).txt(landing);
  for (const file of record.details.fullText) location.ele('url', { access: 'raw object', note: file.mediaType }).txt(stripXmlIllegal(file.url));

  // The licence and the access rights, each with its URI, when somebody said what they are.
  const license = recordLicense(record);
  if (license !== null) {
    mods.ele('accessCondition', { 'xmlns:xlink': XLINK, type: 'use and reproduction', 'xlink:href': license }).txt(licenseName(license)?.name ?? license);
  }
  const access = recordAccessRights(record);
  const accessLabel = access === null ? null : coarAccessRightLabel(access);
  if (access !== null && accessLabel !== null) {
    mods.ele('accessCondition', { 'xmlns:xlink': XLINK, type: 'restriction on access', 'xlink:href': access }).txt(accessLabel);
  }

  const info = mods.ele('recordInfo');
  // The repository identifier names who assigned the local id, as in oai:<repository>:<local id>.
  info.ele('recordIdentifier', { source: stripXmlIllegal(context.repositoryIdentifier) }).txt(stripXmlIllegal(record.localId));
  info.ele('recordChangeDate', { encoding: 'iso8601' }).txt(stripXmlIllegal(record.datestamp));

  return mods.end();
}

/** `mods`: MODS 3.7, both languages as `altRepGroup`-linked pairs tagged with language and script. */
export const mods: MetadataFormat = {
  prefix: 'mods',
  namespace: MODS,
  schema: MODS_XSD,
  mediaType: 'application/mods+xml',
  version: 2,
  // mods-3-7.xsd requires only one top-level element, and every record gets typeOfResource, genre,
  // identifier, location and recordInfo, so every record (deleted ones too) can be disseminated.
  everyRecord: true,
  canDisseminate: () => true,
  render,
};
