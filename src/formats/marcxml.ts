/**
 * MARC 21 bibliographic records in MARCXML (`marcxml`), one `<record>` per article.
 *
 * Scripts follow MARC 21 "Model A" for multiscript records (MARC 21 Bibliographic, Appendix D):
 * the regular fields carry the Latin-script form and each Persian (Arabic-script) form goes into
 * an 880 field, linked to its regular field through subfield $6. We never transliterate: a value
 * that exists only in Persian stays in an unlinked 880 (occurrence number 00) rather than getting
 * a made-up romanization, and a value missing in both languages is left out entirely.
 */
import { xmlElement } from './xml.js';
import type { ArticleRecord, Author } from '../model.js';
import { stripXmlIllegal } from '../text/normalize.js';
import { issuePart, landingPageUrl } from './citation.js';
import type { FormatContext, MetadataFormat } from './registry.js';
import { licenseName, recordLicense } from './shared.js';

const MARC = 'http://www.loc.gov/MARC21/slim';
const MARC_XSD = 'http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

/** MARC language codes (which for these two languages equal ISO 639-2/B) of the ISO 639-1 codes the store uses. */
const MARC_LANGUAGE: Readonly<Record<string, string>> = { fa: 'per', en: 'eng' };

/**
 * $6 suffix of every Persian-script 880: script identification code `(3` (Arabic, the code MARC 21
 * prescribes in Unicode records for the Arabic script, Persian letters included) and `/r` because
 * the field reads right to left.
 */
const ARABIC_RTL = '(3/r';

type Subfield = readonly [code: string, value: string];

interface DataField {
  tag: string;
  ind1: string;
  ind2: string;
  subfields: Subfield[];
}

/** The cleaned value, or null when there is nothing left to say. */
function clean(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const stripped = stripXmlIllegal(value);
  return stripped.trim() === '' ? null : stripped;
}

/** A subfield for a value that may be unknown: none at all rather than an empty one. */
function sub(code: string, value: string | null | undefined): Subfield[] {
  const v = clean(value);
  return v === null ? [] : [[code, v]];
}

/** A field's subfields, or null when none of them has content (the schema needs at least one). */
function content(...groups: Subfield[][]): Subfield[] | null {
  const all = groups.flat();
  return all.length > 0 ? all : null;
}

/**
 * Collects data fields in tag order and their 880 counterparts, numbering the links. Callers add
 * fields in ascending tag order, so the 880s, kept apart and emitted last as is customary, come
 * out ordered by the tag they stand for and the occurrence numbers rise through the record.
 */
class Fields {
  readonly regular: DataField[] = [];
  readonly vernacular: DataField[] = [];
  private occurrence = 0;

  /** A field with no Persian-script side. */
  add(tag: string, ind1: string, ind2: string, subfields: Subfield[] | null): void {
    if (subfields) this.regular.push({ tag, ind1, ind2, subfields });
  }

  /**
   * One field in Latin script and/or in Persian script. Both present: the regular field starts with
   * `$6 880-nn` and its 880 with `$6 <tag>-nn/(3/r`. Persian alone: an unlinked 880 with
   * occurrence number 00, as MARC 21 prescribes for a vernacular field without a regular
   * counterpart. Latin alone: the regular field, without $6.
   */
  pair(tag: string, ind1: string, ind2: string, latin: Subfield[] | null, persian: Subfield[] | null): void {
    if (latin && persian) {
      this.occurrence += 1;
      const nn = String(this.occurrence).padStart(2, '0');
      this.regular.push({ tag, ind1, ind2, subfields: [['6', `880-${nn}`], ...latin] });
      this.vernacular.push({ tag: '880', ind1, ind2, subfields: [['6', `${tag}-${nn}/${ARABIC_RTL}`], ...persian] });
    } else if (latin) {
      this.regular.push({ tag, ind1, ind2, subfields: latin });
    } else if (persian) {
      this.vernacular.push({ tag: '880', ind1, ind2, subfields: [['6', `${tag}-00/${ARABIC_RTL}`], ...persian] });
    }
  }
}

/**
 * Leader, 24 positions. Record length (00-04) and base address (12-16) only mean something in an
 * ISO 2709 file, so they stay blank here. 05 status n (new), or d for a withdrawn record; 06 a
 * (language material); 07 b (serial component part: an article of a journal); 08 blank (no
 * type of control); 09 a (Unicode); 10-11 "22"; 17 3 (abbreviated level: the record is generated
 * from the journal's table of contents, without authority work); 18 n (non-ISBD, punctuation
 * omitted: no ISBD punctuation is added to any field); 19 blank; 20-23 "4500".
 */
function leader(record: ArticleRecord): string {
  const status = record.deleted ? 'd' : 'n';
  return `     ${status}ab a22     3n 4500`;
}

/** `YYYYMMDDhhmmss` of an OAI datestamp `YYYY-MM-DDThh:mm:ssZ`. */
function compactDatestamp(datestamp: string): string {
  return datestamp.replace(/\D/g, '').slice(0, 14).padEnd(14, '0');
}

/** The Gregorian publication year, when the issue date is known. */
function publicationYear(record: ArticleRecord): string | null {
  const match = /^(\d{4})/.exec(record.issue.datePublished ?? '');
  return match?.[1] ?? null;
}

/**
 * 008, 40 positions. Leader/06-07 = a/b selects the continuing-resources layout for 18-34.
 * 00-05 date entered on file (the record's datestamp, yymmdd: the store keeps no separate creation
 * date); 06 s + 07-10 the publication year, or n + uuuu when the issue date is unknown; 11-14
 * blank; 15-17 `ir ` (the journal is published in Iran); 18-19 frequency and regularity not coded
 * (|) as they describe the journal, not the article; 20 undefined; 21 p (periodical); 22-24, 25-27,
 * 28, 29 not coded (|): nothing in the record says; 30-32 undefined; 33 (script of a key title) and
 * 34 (entry convention) not coded, as there is no key title; 35-37 language of the text; 38 blank
 * (not modified); 39 d (cataloging source: other).
 */
function field008(record: ArticleRecord): string {
  const entered = compactDatestamp(record.datestamp).slice(2, 8);
  const year = publicationYear(record);
  const dates = year ? `s${year}    ` : 'nuuuuuuuu';
  const language = MARC_LANGUAGE[record.language] ?? 'und';
  const continuing = [
    '||', // 18-19 frequency, regularity
    ' ', // 20 undefined
    'p', // 21 type of continuing resource: periodical
    '|||', // 22-24 form of original item, form of item, nature of entire work
    '|||', // 25-27 nature of contents
    '||', // 28-29 government publication, conference publication
    '   ', // 30-32 undefined
    '||', // 33-34 original script of key title, entry convention
  ].join('');
  const value = `${entered}${dates}ir ${continuing}${language} d`;
  // Guards the positions: a slip here would shift every later code without failing the schema.
  if (value.length !== 40) throw new Error(`008 must be 40 characters, got ${value.length}`);
  return value;
}

/** Number of nonfiling characters of an English title (245 second indicator): its initial article. */
function nonfiling(title: string): string {
  const article = /^(the|an|a) /i.exec(title);
  return article ? String(article[0].length) : '0';
}

/**
 * Relator subfields of an author. $e author with $4 aut (MARC relator list). MARC has no code for
 * the corresponding author, so a second $e carries it as an uncontrolled relator term: $e admits
 * terms from outside the relator list, and keeping it inside the name's own field ties the mark to
 * the right person, which a 500 note could only do by repeating the name.
 */
/**
 * The subfields after a name: relator terms ($e), affiliations in the field's script ($u), the
 * relator code ($4), then the ORCID iD as the URI of the person ($1).
 */
function afterName(author: Author, script: 'latin' | 'persian'): Subfield[] {
  const affiliations = (author.affiliations ?? []).flatMap((a) => sub('u', script === 'latin' ? a.nameEn : a.nameFa));
  return [
    ['e', 'author'],
    ...(author.corresponding ? ([['e', 'corresponding author']] as const) : []),
    ...affiliations,
    ['4', 'aut'],
    ...sub('1', author.orcid),
  ];
}

/** The MARC 21 record of an article: a pure function of the record and the server's address. */
function render(record: ArticleRecord, context: FormatContext): string {
  const fields = new Fields();
  const { journal, text } = record;
  const year = publicationYear(record);
  const landing = landingPageUrl(context.publicUrl, record.localId);
  const doi = clean(record.doi);

  fields.add('024', '7', ' ', doi ? [['a', doi], ['2', 'doi']] : null);

  // 041 first indicator 0: not a translation. $b lists the abstracts in other languages than the text.
  const textLanguage = MARC_LANGUAGE[record.language];
  const summaryLanguages = (['fa', 'en'] as const)
    .filter((lang) => lang !== record.language && clean(text[lang].abstract) !== null)
    .map((lang) => MARC_LANGUAGE[lang] ?? lang);
  fields.add('041', '0', ' ', content(sub('a', textLanguage), ...summaryLanguages.map((code) => sub('b', code))));

  // Authors: the names are stored as printed, forename first, and a Persian name's surname cannot
  // be told apart reliably, so none is inverted and the first indicator is 0 (direct order), not
  // 1 (inverted surname). The first author is the main entry (100), the others added entries (700).
  const authors = record.authors.filter((a) => clean(a.nameEn) !== null || clean(a.nameFa) !== null);
  const authorField = (author: Author, tag: string) => {
    const latin = content(sub('a', author.nameEn));
    const persian = content(sub('a', author.nameFa));
    fields.pair(tag, '0', ' ', latin && [...latin, ...afterName(author, 'latin')], persian && [...persian, ...afterName(author, 'persian')]);
  };
  const [mainAuthor, ...otherAuthors] = authors;
  if (mainAuthor) authorField(mainAuthor, '100');

  // 245: the English title (the journal's own Latin-script title) in the regular field, the
  // Persian title in its 880. First indicator 1 when there is a main entry to make a title added
  // entry from; second indicator the nonfiling characters (Persian titles have no initial article).
  const titleEn = clean(text.en.title);
  const titleFa = clean(text.fa.title);
  const titleInd1 = mainAuthor ? '1' : '0';
  if (titleEn !== null || titleFa !== null) {
    const ind2 = titleEn !== null ? nonfiling(titleEn) : '0';
    fields.pair('245', titleInd1, ind2, content(sub('a', titleEn)), content(sub('a', titleFa)));
  }

  // 264 second indicator 1: publication. No place is recorded, so no $a.
  fields.pair(
    '264',
    ' ',
    '1',
    content(sub('b', journal.publisherEn), sub('c', year)),
    clean(journal.publisherFa) !== null ? content(sub('b', journal.publisherFa), sub('c', year)) : null,
  );

  // 520 first indicator 3: abstract.
  fields.pair('520', '3', ' ', content(sub('a', text.en.abstract)), content(sub('a', text.fa.abstract)));

  // 536: funding information, one field per grant: the funder ($a) and the grant number ($c).
  for (const f of record.details.funding) {
    fields.pair('536', ' ', ' ', content(sub('a', f.funderNameEn), sub('c', f.awardNumber)), clean(f.funderNameFa) === null ? null : content(sub('a', f.funderNameFa), sub('c', f.awardNumber)));
  }
  // 540: terms governing use: the licence's name when its URL names it ($a), and its URL ($u).
  const license = recordLicense(record);
  if (license !== null) fields.add('540', ' ', ' ', content(sub('a', licenseName(license)?.name), [['u', license]]));

  // 653: uncontrolled keywords, one field each. The two lists are not translations of each other
  // item by item (they differ in length), so the Persian ones are unlinked 880s.
  for (const keyword of record.keywords.en) fields.pair('653', ' ', ' ', content(sub('a', keyword)), null);
  for (const keyword of record.keywords.fa) fields.pair('653', ' ', ' ', null, content(sub('a', keyword)));

  for (const author of otherAuthors) authorField(author, '700');

  // 773 host item: first indicator 0 (display note), $7 nnas (no main entry; the host is a serial).
  // The journal has no known Latin-script name, so the regular field may lack $t; the 880 carries
  // the Persian name and the Persian wording of the issue.
  const issn = clean(journal.issnOnline) ?? clean(journal.issnPrint);
  fields.pair(
    '773',
    '0',
    ' ',
    content(sub('t', journal.nameEn), sub('g', issuePart(record, 'en')), sub('x', issn), [['7', 'nnas']]),
    clean(journal.nameFa) !== null ? content(sub('t', journal.nameFa), sub('g', issuePart(record, 'fa')), sub('x', issn), [['7', 'nnas']]) : null,
  );

  // 856 first indicator 4 (HTTP), second 0 (the resource itself): the landing page, then the DOI.
  fields.add('856', '4', '0', content(sub('u', landing)));
  if (doi) fields.add('856', '4', '0', [['u', `https://doi.org/${doi}`]]);
  // The full text: its URL, its media type ($q) and what it is ($3).
  for (const file of record.details.fullText) fields.add('856', '4', '0', content(sub('3', 'Full text'), sub('u', file.url), sub('q', file.mediaType)));

  const root = xmlElement('record', { xmlns: MARC, 'xmlns:xsi': XSI, 'xsi:schemaLocation': `${MARC} ${MARC_XSD}` });
  root.ele('leader').txt(leader(record));
  // 003 is left out: it must hold a MARC organization code, which the repository does not have.
  const control: Array<[string, string]> = [
    ['001', stripXmlIllegal(record.localId)],
    ['005', `${compactDatestamp(record.datestamp)}.0`],
    ['008', field008(record)],
  ];
  for (const [tag, value] of control) root.ele('controlfield', { tag }).txt(value);
  for (const field of [...fields.regular, ...fields.vernacular]) {
    const element = root.ele('datafield', { tag: field.tag, ind1: field.ind1, ind2: field.ind2 });
    for (const [code, value] of field.subfields) element.ele('subfield', { code }).txt(value);
  }
  return root.end();
}

/**
 * `marcxml`: MARC 21 in MARCXML, the Latin-script data in the regular fields and the Persian
 * in linked 880 fields (alternate graphic representation).
 */
export const marcxml: MetadataFormat = {
  prefix: 'marcxml',
  namespace: MARC,
  schema: MARC_XSD,
  mediaType: 'application/marcxml+xml',
  version: 2,
  // MARC21slim.xsd makes the record's content optional and every record here gets a leader, 001,
  // 005, 008 and an 856, so every record (deleted ones too) can be disseminated.
  everyRecord: true,
  canDisseminate: () => true,
  render,
};
