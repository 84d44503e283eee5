import type { Affiliation, ArticleRecord, Author, Funding, Lang } from '../model.js';
import { stripXmlIllegal } from '../text/normalize.js';
import type { XmlElement } from './xml.js';

// What the DataCite-family formats (DataCite, OpenAIRE) and JATS share: titles in the article's
// language first, one name per creator, COAR access rights and Creative Commons licences.

/** A text with the language it is in. */
export interface LangText {
  lang: Lang;
  text: string;
}

/**
 * A text fit to serialize: XML-illegal characters removed, or null when nothing but whitespace is
 * left, so that an empty value counts as unknown everywhere (in canDisseminate as in render).
 */
export function cleanText(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const text = stripXmlIllegal(value);
  return text.trim() === '' ? null : text;
}

/**
 * The record's languages, the article's own first. The journal publishes in Persian and gives
 * English parallel texts, so any language other than English counts as the Persian side.
 */
export function languageOrder(record: ArticleRecord): readonly [Lang, Lang] {
  return record.language === 'en' ? ['en', 'fa'] : ['fa', 'en'];
}

/**
 * The article's main title and its translation. The main title is the one in the article's
 * language; when only the other language has a title, that one is the main title, since a
 * record's only title is the name it is known by, not a translation of a title nobody has.
 * Null when neither language has a title.
 */
export function articleTitles(record: ArticleRecord): { main: LangText; translated: LangText | null } | null {
  const [own, other] = languageOrder(record);
  const ownTitle = cleanText(record.text[own].title);
  const otherTitle = cleanText(record.text[other].title);
  if (ownTitle !== null) {
    return { main: { lang: own, text: ownTitle }, translated: otherTitle === null ? null : { lang: other, text: otherTitle } };
  }
  if (otherTitle !== null) return { main: { lang: other, text: otherTitle }, translated: null };
  return null;
}

/**
 * The one name a DataCite-style creator can carry: the Latin-script form from the English block
 * when there is one, because DataCite and OpenAIRE build Latin-script citations and indexes from
 * it, else the Persian form. Names stay as printed (given name first): splitting them into
 * "Family, Given" would be a guess.
 */
export function creatorName(author: Author): LangText | null {
  const en = cleanText(author.nameEn);
  if (en !== null) return { lang: 'en', text: en };
  const fa = cleanText(author.nameFa);
  return fa === null ? null : { lang: 'fa', text: fa };
}

/** An affiliation's name for a field that takes one, unlabelled: the English when known, else the Persian. */
export function affiliationName(affiliation: Affiliation): string | null {
  return cleanText(affiliation.nameEn) ?? cleanText(affiliation.nameFa);
}

/** A funder's name for a field that takes one: the English when known, else the Persian. */
export function funderName(funding: Funding): string | null {
  return cleanText(funding.funderNameEn) ?? cleanText(funding.funderNameFa);
}

/** How DataCite and OpenAIRE type a funder id: a ROR id, or a Crossref Funder ID. */
export function funderIdType(id: string): 'ROR' | 'Crossref Funder ID' {
  return id.startsWith('https://ror.org/') ? 'ROR' : 'Crossref Funder ID';
}

/**
 * `<fundingReferences>` as DataCite kernel 4 and OpenAIRE v4 both spell it (in their own default
 * namespace): each grant whose funder has a name, with the funder's id, the award number and the
 * award's title (English first). `titleLang` tags the title with its language, where the schema allows.
 */
export function addFundingReferences(parent: XmlElement, record: ArticleRecord, titleLang: boolean): void {
  const grants = record.details.funding.flatMap((f) => {
    const name = funderName(f);
    return name === null ? [] : [{ f, name }];
  });
  if (grants.length === 0) return;
  const references = parent.ele('fundingReferences');
  for (const { f, name } of grants) {
    const reference = references.ele('fundingReference');
    reference.ele('funderName').txt(name);
    if (f.funderId !== null) reference.ele('funderIdentifier', { funderIdentifierType: funderIdType(f.funderId) }).txt(f.funderId);
    const award = cleanText(f.awardNumber);
    if (award !== null) reference.ele('awardNumber').txt(award);
    const titleEn = cleanText(f.awardTitleEn);
    const title = titleEn ?? cleanText(f.awardTitleFa);
    if (title !== null) reference.ele('awardTitle', titleLang ? { 'xml:lang': titleEn === null ? 'fa' : 'en' } : {}).txt(title);
  }
}

/** The COAR resource type of a record: its own, else "journal article". */
export function recordResourceType(record: ArticleRecord): { uri: string; label: string } {
  const uri = record.details.resourceType;
  const known = COAR_RESOURCE_TYPES.find((t) => t.uri === uri) ?? COAR_RESOURCE_TYPES[0];
  return { uri: known?.uri ?? 'http://purl.org/coar/resource_type/c_6501', label: known?.label ?? 'journal article' };
}

/**
 * The COAR access-right concepts (http://purl.org/coar/access_right/): the words admins use, the
 * URI, and the label COAR (and OpenAIRE) spell them with.
 */
export const COAR_ACCESS_RIGHTS: ReadonlyArray<{ word: string; uri: string; label: string }> = [
  { word: 'open', uri: 'http://purl.org/coar/access_right/c_abf2', label: 'open access' },
  { word: 'embargoed', uri: 'http://purl.org/coar/access_right/c_f1cf', label: 'embargoed access' },
  { word: 'restricted', uri: 'http://purl.org/coar/access_right/c_16ec', label: 'restricted access' },
  { word: 'metadata-only', uri: 'http://purl.org/coar/access_right/c_14cb', label: 'metadata only access' },
];

/** COAR resource types an article can be, by the words sources use, with their labels. */
export const COAR_RESOURCE_TYPES: ReadonlyArray<{ word: string; uri: string; label: string }> = [
  { word: 'journal-article', uri: 'http://purl.org/coar/resource_type/c_6501', label: 'journal article' },
  { word: 'research-article', uri: 'http://purl.org/coar/resource_type/c_2df8fbb1', label: 'research article' },
  { word: 'review-article', uri: 'http://purl.org/coar/resource_type/c_dcae04bc', label: 'review article' },
  { word: 'editorial', uri: 'http://purl.org/coar/resource_type/c_b239', label: 'editorial' },
  { word: 'letter', uri: 'http://purl.org/coar/resource_type/c_545b', label: 'letter to the editor' },
  { word: 'book-review', uri: 'http://purl.org/coar/resource_type/c_ba08', label: 'book review' },
  { word: 'data-paper', uri: 'http://purl.org/coar/resource_type/c_beb9', label: 'data paper' },
];

/** The licence URL a record is published under: its own, else its journal's; null when nobody said. */
export function recordLicense(record: ArticleRecord): string | null {
  return cleanText(record.details.license) ?? cleanText(record.journal.license);
}

/** The COAR access-right URI of a record: its own, else its journal's; null when nobody said. */
export function recordAccessRights(record: ArticleRecord): string | null {
  return cleanText(record.details.accessRights) ?? cleanText(record.journal.accessRights);
}

/** COAR's URI for open access. */
export const OPEN_ACCESS = 'http://purl.org/coar/access_right/c_abf2';

/** The COAR label of an access-right URI, or null when the URI is not one of the four COAR concepts. */
export function coarAccessRightLabel(uri: string): string | null {
  return COAR_ACCESS_RIGHTS.find((r) => r.uri === uri)?.label ?? null;
}

const CC_ELEMENTS: Readonly<Record<string, string>> = {
  by: 'Attribution',
  'by-sa': 'Attribution-ShareAlike',
  'by-nd': 'Attribution-NoDerivatives',
  'by-nc': 'Attribution-NonCommercial',
  'by-nc-sa': 'Attribution-NonCommercial-ShareAlike',
  'by-nc-nd': 'Attribution-NonCommercial-NoDerivatives',
};

/**
 * Name and SPDX identifier of a licence read off its URL, for the Creative Commons 4.0 and 3.0
 * (unported) licences and CC0, whose URLs name them unambiguously; null for any other URL, which
 * is then served as a bare URL rather than under a guessed name.
 */
export function licenseName(url: string): { name: string; spdx: string } | null {
  if (/^https?:\/\/creativecommons\.org\/publicdomain\/zero\/1\.0\/?(legalcode(\.[a-z-]+)?)?$/i.test(url)) {
    return { name: 'Creative Commons Zero v1.0 Universal', spdx: 'CC0-1.0' };
  }
  const match = /^https?:\/\/creativecommons\.org\/licenses\/([a-z-]+)\/(4\.0|3\.0)\/?(legalcode(\.[a-z-]+)?)?$/i.exec(url);
  const code = match?.[1]?.toLowerCase();
  const version = match?.[2];
  if (code === undefined || version === undefined) return null;
  let elements = CC_ELEMENTS[code];
  if (elements === undefined) return null;
  // 3.0 spelled "NoDerivs"; 4.0 renamed it "NoDerivatives".
  if (version === '3.0') elements = elements.replace('NoDerivatives', 'NoDerivs');
  return {
    name: `Creative Commons ${elements} ${version} ${version === '4.0' ? 'International' : 'Unported'}`,
    spdx: `CC-${code.toUpperCase()}-${version}`,
  };
}

/** The publication date as ISO `YYYY-MM-DD` (or a shorter W3CDTF prefix), when known. */
