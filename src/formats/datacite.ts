import { xmlElement, type XmlElement } from './xml.js';
import type { ArticleRecord, Lang } from '../model.js';
import { issueNumber, landingPageUrl } from './citation.js';
import type { FormatContext, MetadataFormat } from './registry.js';
import {
  addFundingReferences,
  affiliationName,
  articleTitles,
  cleanText,
  coarAccessRightLabel,
  creatorName,
  languageOrder,
  licenseName,
  recordAccessRights,
  recordLicense,
  recordResourceType,
  type LangText,
} from './shared.js';

const OAI_DATACITE = 'http://schema.datacite.org/oai/oai-1.1/';
const OAI_DATACITE_XSD = 'http://schema.datacite.org/oai/oai-1.1/oai.xsd';
const KERNEL_4 = 'http://datacite.org/schema/kernel-4';
const KERNEL_4_XSD = 'http://schema.datacite.org/meta/kernel-4/metadata.xsd';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

function issued(record: ArticleRecord): string | null {
  const date = record.issue.datePublished;
  return date !== null && /^\d{4}(-\d{2}(-\d{2})?)?$/.test(date) ? date : null;
}

/**
 * The DataCite publisher: the journal's publisher when known, else the journal itself, which
 * issues the article and is what a citation names; Latin script first, as for creators.
 */
function publisher(record: ArticleRecord): LangText | null {
  const j = record.journal;
  const candidates: Array<[string | null, Lang]> = [
    [j.publisherEn, 'en'],
    [j.publisherFa, 'fa'],
    [j.nameEn, 'en'],
    [j.nameFa, 'fa'],
  ];
  for (const [value, lang] of candidates) {
    const text = cleanText(value);
    if (text !== null) return { lang, text };
  }
  return null;
}

function add(parent: XmlElement, name: string, attributes: Record<string, string>, text: string | null): void {
  const element = parent.ele(name, attributes);
  if (text !== null) element.txt(text);
}

/** The DataCite kernel-4 `<resource>` of an article, inside the OAI envelope. */
function render(record: ArticleRecord, context: FormatContext): string {
  const landing = landingPageUrl(context.publicUrl, record.localId);
  const doi = cleanText(record.doi);
  const langs = languageOrder(record);

  const root = xmlElement('oai_datacite', {
    xmlns: OAI_DATACITE,
    'xmlns:xsi': XSI,
    'xsi:schemaLocation': `${OAI_DATACITE} ${OAI_DATACITE_XSD}`,
  });
  // The envelope's "4" is the major version: kernel-4 records share one namespace and schema URL.
  root.ele('schemaVersion').txt('4');
  // Required by the envelope. No DataCite client registered this record (it has no DOI), so the
  // symbol names the data centre that does hold it: this repository, by its OAI identifier domain.
  root.ele('datacentreSymbol').txt(context.repositoryIdentifier);
  const resource = root.ele('payload').ele('resource', {
    xmlns: KERNEL_4,
    'xsi:schemaLocation': `${KERNEL_4} ${KERNEL_4_XSD}`,
  });

  // A DOI when the journal registered one; otherwise the landing page URL, which is a real,
  // resolvable identifier of the article (the kernel requires one).
  if (doi !== null) add(resource, 'identifier', { identifierType: 'DOI' }, doi);
  else add(resource, 'identifier', { identifierType: 'URL' }, landing);

  const creators = resource.ele('creators');
  for (const author of record.authors) {
    const name = creatorName(author);
    if (name === null) continue;
    const creator = creators.ele('creator');
    add(creator, 'creatorName', { nameType: 'Personal', 'xml:lang': name.lang }, name.text);
    if (typeof author.orcid === 'string') add(creator, 'nameIdentifier', { nameIdentifierScheme: 'ORCID', schemeURI: 'https://orcid.org' }, author.orcid);
    for (const affiliation of author.affiliations ?? []) {
      const text = affiliationName(affiliation);
      if (text === null) continue;
      const ror = affiliation.ror === null ? {} : { affiliationIdentifier: affiliation.ror, affiliationIdentifierScheme: 'ROR', schemeURI: 'https://ror.org' };
      add(creator, 'affiliation', ror, text);
    }
  }

  const titles = resource.ele('titles');
  const title = articleTitles(record);
  if (title !== null) {
    add(titles, 'title', { 'xml:lang': title.main.lang }, title.main.text);
    const { translated } = title;
    if (translated !== null) add(titles, 'title', { 'xml:lang': translated.lang, titleType: 'TranslatedTitle' }, translated.text);
  }

  const pub = publisher(record);
  if (pub !== null) add(resource, 'publisher', { 'xml:lang': pub.lang }, pub.text);
  const date = issued(record);
  if (date !== null) add(resource, 'publicationYear', {}, date.slice(0, 4));
  // JournalArticle (kernel 4.4+); the COAR type's label as the free-text subtype when a source gave one.
  add(resource, 'resourceType', { resourceTypeGeneral: 'JournalArticle' }, record.details.resourceType === null ? null : recordResourceType(record).label);

  const keywords = langs.flatMap((lang) => record.keywords[lang].map((k) => ({ lang, text: cleanText(k) })));
  if (keywords.some((k) => k.text !== null)) {
    const subjects = resource.ele('subjects');
    for (const k of keywords) if (k.text !== null) add(subjects, 'subject', { 'xml:lang': k.lang }, k.text);
  }

  const dates = [
    { type: 'Issued', value: date },
    { type: 'Submitted', value: record.details.dateReceived },
    { type: 'Accepted', value: record.details.dateAccepted },
  ].filter((d): d is { type: string; value: string } => d.value !== null);
  if (dates.length > 0) {
    const list = resource.ele('dates');
    for (const d of dates) add(list, 'date', { dateType: d.type }, d.value);
  }
  add(resource, 'language', {}, record.language);

  // The landing page is an identifier of its own only when the DOI is the main one.
  if (doi !== null) add(resource.ele('alternateIdentifiers'), 'alternateIdentifier', { alternateIdentifierType: 'URL' }, landing);

  const rights = rightsList(record);
  if (rights.length > 0) {
    const list = resource.ele('rightsList');
    for (const r of rights) add(list, 'rights', r.attributes, r.text);
  }

  const abstracts = langs.map((lang) => ({ lang, text: cleanText(record.text[lang].abstract) }));
  if (abstracts.some((a) => a.text !== null)) {
    const descriptions = resource.ele('descriptions');
    for (const a of abstracts) {
      if (a.text !== null) add(descriptions, 'description', { descriptionType: 'Abstract', 'xml:lang': a.lang }, a.text);
    }
  }

  relatedJournal(resource, record);
  addFundingReferences(resource, record, true);
  return root.end();
}

/** Access rights (COAR) and licence, each as one `<rights>` with its URI. */
function rightsList(record: ArticleRecord): Array<{ attributes: Record<string, string>; text: string | null }> {
  const out: Array<{ attributes: Record<string, string>; text: string | null }> = [];
  const access = recordAccessRights(record);
  if (access !== null) {
    const label = coarAccessRightLabel(access);
    out.push({ attributes: label === null ? { rightsURI: access } : { rightsURI: access, 'xml:lang': 'en' }, text: label });
  }
  const license = recordLicense(record);
  if (license !== null) {
    const known = licenseName(license);
    out.push(
      known === null
        ? { attributes: { rightsURI: license }, text: null }
        : {
            attributes: {
              rightsURI: license,
              rightsIdentifier: known.spdx,
              rightsIdentifierScheme: 'SPDX',
              schemeURI: 'https://spdx.org/licenses/',
              'xml:lang': 'en',
            },
            text: known.name,
          },
    );
  }
  return out;
}

/**
 * The journal the article is published in, as a kernel-4.4 relatedItem: DataCite's place for the
 * citation details (journal title, volume, issue, pages) that a journal article needs.
 */
function relatedJournal(resource: XmlElement, record: ArticleRecord): void {
  const { journal, issue } = record;
  const item = resource.ele('relatedItems').ele('relatedItem', { relatedItemType: 'Journal', relationType: 'IsPublishedIn' });
  const issnOnline = cleanText(journal.issnOnline);
  const issnPrint = cleanText(journal.issnPrint);
  // One identifier only: the online ISSN, the edition an OAI harvester reaches, else the print one.
  if (issnOnline !== null) add(item, 'relatedItemIdentifier', { relatedItemIdentifierType: 'EISSN' }, issnOnline);
  else if (issnPrint !== null) add(item, 'relatedItemIdentifier', { relatedItemIdentifierType: 'ISSN' }, issnPrint);
  const names: LangText[] = [];
  for (const [value, lang] of [
    [journal.nameFa, 'fa'],
    [journal.nameEn, 'en'],
  ] as const) {
    const text = cleanText(value);
    if (text !== null) names.push({ lang, text });
  }
  if (names.length > 0) {
    const titles = item.ele('titles');
    for (const n of names) add(titles, 'title', { 'xml:lang': n.lang }, n.text);
  }
  if (issue.volume !== null) add(item, 'volume', {}, String(issue.volume));
  add(item, 'issue', {}, String(issueNumber(issue)));
  if (record.pageStart !== null) add(item, 'firstPage', {}, String(record.pageStart));
  if (record.pageEnd !== null) add(item, 'lastPage', {}, String(record.pageEnd));
}

/**
 * Whether the kernel's required properties are all known: a title, at least one named creator,
 * a publisher (or the journal's name in its place) and a publication year. The identifier is
 * always known (the landing page) and the resource type is fixed.
 */
function canDisseminate(record: ArticleRecord): boolean {
  return (
    articleTitles(record) !== null &&
    record.authors.some((a) => creatorName(a) !== null) &&
    publisher(record) !== null &&
    issued(record) !== null
  );
}

/**
 * `oai_datacite`: DataCite Metadata Schema 4 in DataCite's own OAI envelope (oai-1.1), as DataCite's
 * OAI-PMH service and its harvesters expect it.
 */
export const oaiDatacite: MetadataFormat = {
  prefix: 'oai_datacite',
  namespace: OAI_DATACITE,
  schema: OAI_DATACITE_XSD,
  mediaType: 'application/vnd.datacite.datacite+xml',
  version: 2,
  canDisseminate,
  render,
};
