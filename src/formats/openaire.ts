import { xmlElement, type XmlElement } from './xml.js';
import type { ArticleRecord } from '../model.js';
import { issueNumber, landingPageUrl } from './citation.js';
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
} from './shared.js';
import type { FormatContext, MetadataFormat } from './registry.js';

const OAIRE = 'http://namespace.openaire.eu/schema/oaire/';
const OAIRE_XSD = 'https://www.openaire.eu/schema/repo-lit/4.0/openaire.xsd';
const DATACITE = 'http://datacite.org/schema/kernel-4';
const DC = 'http://purl.org/dc/elements/1.1/';
const VC = 'http://www.w3.org/2007/XMLSchema-versioning';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
/** COAR version type "Version of Record": the records describe the articles as the journal published them. */
const VERSION_OF_RECORD = 'http://purl.org/coar/version/c_970fb48d4fbd8a85';

/**
 * ISO 639-3 codes, which the Guidelines name as best practice for dc:language, for the
 * ISO 639-1 codes the store holds; any other code is served as stored (BCP 47 is also allowed).
 */
const ISO_639_3: Readonly<Record<string, string>> = { fa: 'fas', en: 'eng' };

function add(parent: XmlElement, name: string, attributes: Record<string, string>, text: string): void {
  parent.ele(name, attributes).txt(text);
}

/** An OpenAIRE Guidelines v4 `<resource>` for an article. */
function render(record: ArticleRecord, context: FormatContext): string {
  const { journal, issue } = record;
  const langs = languageOrder(record);
  const landing = landingPageUrl(context.publicUrl, record.localId);
  const doi = cleanText(record.doi);

  const root = xmlElement('resource', {
    xmlns: OAIRE,
    'xmlns:datacite': DATACITE,
    'xmlns:dc': DC,
    'xmlns:vc': VC,
    'xmlns:xsi': XSI,
    'xsi:schemaLocation': `${OAIRE} ${OAIRE_XSD}`,
  });

  const title = articleTitles(record);
  if (title !== null) {
    const titles = root.ele('datacite:titles');
    add(titles, 'datacite:title', { 'xml:lang': title.main.lang }, title.main.text);
    const { translated } = title;
    if (translated !== null) add(titles, 'datacite:title', { 'xml:lang': translated.lang, titleType: 'TranslatedTitle' }, translated.text);
  }

  // One creatorName per creator, and OpenAIRE's creatorName takes no xml:lang: the Latin-script
  // name when known (the Guidelines suggest transliterating non-Roman names), else the Persian one.
  // Each creator carries its ORCID iD and its affiliations, by name (the schema's affiliation takes
  // no identifier), when a source gave them.
  const named = record.authors.flatMap((author) => {
    const name = creatorName(author);
    return name === null ? [] : [{ author, name }];
  });
  if (named.length > 0) {
    const creators = root.ele('datacite:creators');
    for (const { author, name } of named) {
      const creator = creators.ele('datacite:creator');
      add(creator, 'datacite:creatorName', { nameType: 'Personal' }, name.text);
      if (typeof author.orcid === 'string') add(creator, 'datacite:nameIdentifier', { nameIdentifierScheme: 'ORCID', schemeURI: 'https://orcid.org' }, author.orcid);
      for (const affiliation of author.affiliations ?? []) {
        const text = affiliationName(affiliation);
        if (text !== null) add(creator, 'datacite:affiliation', {}, text);
      }
    }
  }
  addFundingReferences(root, record, false);

  if (doi !== null) {
    add(root, 'datacite:identifier', { identifierType: 'DOI' }, doi);
    add(root.ele('datacite:alternateIdentifiers'), 'datacite:alternateIdentifier', { alternateIdentifierType: 'URL' }, landing);
  } else {
    // The Guidelines' preferred fallback: a stable URL of the jump-off page.
    add(root, 'datacite:identifier', { identifierType: 'URL' }, landing);
  }

  // The journal's ISSNs: an article IsPartOf its journal, as DataCite's ISSN example has it.
  const issns = [
    { type: 'PISSN', value: cleanText(journal.issnPrint) },
    { type: 'EISSN', value: cleanText(journal.issnOnline) },
  ].filter((i): i is { type: string; value: string } => i.value !== null);
  if (issns.length > 0) {
    const related = root.ele('datacite:relatedIdentifiers');
    for (const i of issns) add(related, 'datacite:relatedIdentifier', { relatedIdentifierType: i.type, relationType: 'IsPartOf' }, i.value);
  }

  add(root, 'dc:language', {}, ISO_639_3[record.language] ?? record.language);
  for (const lang of langs) {
    const publisher = cleanText(lang === 'fa' ? journal.publisherFa : journal.publisherEn);
    if (publisher !== null) add(root, 'dc:publisher', { 'xml:lang': lang }, publisher);
  }
  const dates = [
    { type: 'Issued', value: record.issue.datePublished },
    { type: 'Submitted', value: record.details.dateReceived },
    { type: 'Accepted', value: record.details.dateAccepted },
  ].filter((d): d is { type: string; value: string } => d.value !== null);
  if (dates.length > 0) {
    const list = root.ele('datacite:dates');
    for (const d of dates) add(list, 'datacite:date', { dateType: d.type }, d.value);
  }
  const type = recordResourceType(record);
  add(root, 'resourceType', { resourceTypeGeneral: 'literature', uri: type.uri }, type.label);
  for (const lang of langs) {
    const abstract = cleanText(record.text[lang].abstract);
    if (abstract !== null) add(root, 'dc:description', { 'xml:lang': lang }, abstract);
  }

  const access = recordAccessRights(record);
  const label = access === null ? null : coarAccessRightLabel(access);
  if (access !== null && label !== null) add(root, 'datacite:rights', { rightsURI: access }, label);
  const license = recordLicense(record);
  // The licence's name when its URL names it; else the URL, the one thing known about it. No
  // startDate: nobody has said since when the licence applies.
  if (license !== null) add(root, 'licenseCondition', { uri: license }, licenseName(license)?.name ?? license);
  for (const file of record.details.fullText) {
    add(root, 'file', { ...(access !== null && label !== null ? { accessRightsURI: access } : {}), mimeType: file.mediaType, objectType: 'fulltext' }, file.url);
  }

  const keywords = langs.flatMap((lang) => record.keywords[lang].flatMap((k) => cleanText(k) ?? []).map((text) => ({ lang, text })));
  if (keywords.length > 0) {
    const subjects = root.ele('datacite:subjects');
    for (const k of keywords) add(subjects, 'datacite:subject', { 'xml:lang': k.lang }, k.text);
  }

  add(root, 'version', { uri: VERSION_OF_RECORD }, 'VoR');

  // citationTitle takes no xml:lang, and is one: the journal's name in the article's language
  // (its own title), else the other.
  const journalNames = { fa: journal.nameFa, en: journal.nameEn };
  const journalName = cleanText(journalNames[langs[0]]) ?? cleanText(journalNames[langs[1]]);
  if (journalName !== null) add(root, 'citationTitle', {}, journalName);
  if (issue.volume !== null) add(root, 'citationVolume', {}, String(issue.volume));
  add(root, 'citationIssue', {}, String(issueNumber(issue)));
  if (record.pageStart !== null) add(root, 'citationStartPage', {}, String(record.pageStart));
  if (record.pageEnd !== null) add(root, 'citationEndPage', {}, String(record.pageEnd));
  return root.end();
}

/**
 * The Guidelines make title, access rights (one of the four COAR concepts, the only values the
 * schema's rightsURI accepts) and the publication date mandatory, and the journal cannot be
 * assumed open access: a record lacking any of them is not served in this format. (The XSD puts
 * every element in one repeatable choice, so it enforces none of them itself.)
 */
function canDisseminate(record: ArticleRecord): boolean {
  const access = recordAccessRights(record);
  return (
    articleTitles(record) !== null &&
    access !== null &&
    coarAccessRightLabel(access) !== null &&
    record.issue.datePublished !== null
  );
}

/** `oai_openaire`: the OpenAIRE Guidelines for Literature Repositories v4 application profile. */
export const oaiOpenaire: MetadataFormat = {
  prefix: 'oai_openaire',
  namespace: OAIRE,
  schema: OAIRE_XSD,
  mediaType: 'application/xml',
  version: 2,
  canDisseminate,
  render,
};
