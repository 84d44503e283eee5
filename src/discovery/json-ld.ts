import { doiUrl, issueNumber } from '../formats/citation.js';
import { cleanText, recordLicense } from '../formats/shared.js';
import type { ArticleRecord, Lang } from '../model.js';

/**
 * schema.org JSON-LD for a landing page: a `ScholarlyArticle` as general search engines read it.
 * Text in both languages is given as language-tagged values; only what the record holds is said.
 */

type LangValue = { '@value': string; '@language': Lang };
type Json = Record<string, unknown>;

const LANGS: readonly Lang[] = ['fa', 'en'];

/** A text tagged with its language, or nothing when it is empty. */
function tag(value: string | null | undefined, lang: Lang): LangValue[] {
  const text = cleanText(value);
  return text === null ? [] : [{ '@value': text, '@language': lang }];
}

/** A text in each language that has it, tagged; undefined when none has. */
function tagged(value: (lang: Lang) => string | null | undefined): LangValue[] | undefined {
  const values = LANGS.flatMap((lang) => tag(value(lang), lang));
  return values.length === 0 ? undefined : values;
}

/** Drops the members with no value (undefined, or an empty list), so that nothing unknown is stated. */
function known(object: Json): Json {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)));
}

/** What the article's node needs besides the record. */
export interface ArticleLinks {
  landingPage: string;
  oaiIdentifier: string;
}

/**
 * The record as a schema.org `ScholarlyArticle`: titles, abstracts and keywords in each language,
 * authors with both forms of their names, the issue, the volume when confirmed and the journal
 * (with its ISSNs when known), the Gregorian publication date, pages, and its identifiers.
 */
export function scholarlyArticle(record: ArticleRecord, links: ArticleLinks): Json {
  const title = tagged((lang) => record.text[lang].title);
  const { journal, issue } = record;
  const issns = [journal.issnOnline, journal.issnPrint].filter((i): i is string => i !== null);
  const publisher = tagged((lang) => (lang === 'fa' ? journal.publisherFa : journal.publisherEn));
  const periodical = known({
    '@type': 'Periodical',
    name: tagged((lang) => (lang === 'fa' ? journal.nameFa : journal.nameEn)),
    issn: issns.length === 0 ? undefined : issns,
    publisher: publisher === undefined ? undefined : { '@type': 'Organization', name: publisher },
    url: journal.website ?? undefined,
  });
  // A volume is stated only when a source confirmed it; the issue then sits in it.
  const container = issue.volume === null ? periodical : { '@type': 'PublicationVolume', volumeNumber: String(issue.volume), isPartOf: periodical };
  const doi = record.doi === null ? null : doiUrl(record.doi);
  return known({
    '@context': 'https://schema.org',
    '@type': 'ScholarlyArticle',
    '@id': links.landingPage,
    url: links.landingPage,
    headline: title,
    name: title,
    abstract: tagged((lang) => record.text[lang].abstract),
    author: record.authors.map((author) => {
      const orcid = typeof author.orcid === 'string' ? author.orcid : null;
      return known({
        '@type': 'Person',
        '@id': orcid ?? undefined,
        name: tagged((lang) => (lang === 'fa' ? author.nameFa : author.nameEn)),
        sameAs: orcid ?? undefined,
      });
    }),
    keywords: LANGS.flatMap((lang) => record.keywords[lang].flatMap((k) => tag(k, lang))),
    inLanguage: record.language,
    datePublished: issue.datePublished ?? undefined,
    pageStart: record.pageStart === null ? undefined : String(record.pageStart),
    pageEnd: record.pageEnd === null ? undefined : String(record.pageEnd),
    isPartOf: known({ '@type': 'PublicationIssue', issueNumber: String(issueNumber(issue)), datePublished: issue.datePublished ?? undefined, isPartOf: container }),
    identifier: [
      ...(record.doi === null ? [] : [{ '@type': 'PropertyValue', propertyID: 'DOI', value: record.doi }]),
      { '@type': 'PropertyValue', propertyID: 'OAI', value: links.oaiIdentifier },
    ],
    sameAs: doi ?? undefined,
    license: recordLicense(record) ?? undefined,
  });
}

/**
 * JSON for a `<script type="application/ld+json">` data block: `<`, `>` and `&` escaped, so that
 * no value can close the element or open a comment.
 */
export function jsonLdScript(data: Json): string {
  return JSON.stringify(data).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
