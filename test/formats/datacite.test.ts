import type { Element, Node } from '@xmldom/xmldom';
import xpath from 'xpath';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { oaiDatacite } from '../../src/formats/datacite.js';
import { licenseName } from '../../src/formats/shared.js';
import type { ArticleRecord } from '../../src/model.js';
import { PUBLIC_URL, REPOSITORY_ID } from '../support/app.js';
import { validateFormat } from '../support/format-schemas.js';
import { expectGolden } from '../support/golden.js';
import { CC_BY, context, expectPure, OPEN_ACCESS, seededRecords } from './fixtures.js';
import { parseXml } from '../support/xml.js';


const select = xpath.useNamespaces({
  o: 'http://schema.datacite.org/oai/oai-1.1/',
  d: 'http://datacite.org/schema/kernel-4',
  xml: 'http://www.w3.org/XML/1998/namespace',
});
const all = (node: Node, path: string): Element[] => select(path, node as never) as unknown as Element[];
const texts = (node: Node, path: string): string[] => all(node, path).map((e) => e.textContent ?? '');
const attrs = (node: Node, path: string): string[] => (select(path, node as never) as unknown as Array<{ value: string }>).map((a) => a.value);

const render = (record: ArticleRecord) => oaiDatacite.render(record, context);
const resource = (record: ArticleRecord): Element => all(parseXml(render(record)), '/o:oai_datacite/o:payload/d:resource')[0]!;
const disseminable = (records: Map<string, ArticleRecord>) => [...records].filter(([, r]) => oaiDatacite.canDisseminate(r)).map(([id]) => id).sort();

// The seeded journal: access rights and licence unknown, as they are until an admin sets them.
const plain = seededRecords();
// The same journal once an admin has set its access rights and licence.
const configured = seededRecords({ access_rights: OPEN_ACCESS, license: CC_BY });

// Records the seed does not have, built from real ones, for the branches the seed cannot reach.
// Their extra values (a DOI, a volume, an ISSN, an English title) are test data only.
const r39 = plain.get('58-39')!;
const r175 = configured.get('58-175')!;
const bothTitles: ArticleRecord = { ...r39, text: { ...r39.text, en: { ...r39.text.en, title: 'A Comparative Study of Think Tanks (test title)' } } };
const fullyKnown: ArticleRecord = {
  ...r175,
  doi: '10.1234/test.58.175',
  issue: { ...r175.issue, volume: 15 },
  journal: { ...r175.journal, nameEn: 'Journal Name (test)', publisherEn: 'Publisher (test)', issnOnline: '1234-5679' },
};
const persianOnlyAuthor: ArticleRecord = { ...r175, authors: [{ nameFa: 'سپیده محمدی', nameEn: null, corresponding: true }] };

afterEach(() => {
  vi.useRealTimers();
});

describe('oai_datacite', () => {
  it('disseminates the titled records, with or without access rights, and not the untitled ones', () => {
    expect(disseminable(plain)).toEqual(['58-175', '58-39']);
    expect(disseminable(configured)).toEqual(['58-175', '58-39']);
    // The kernel requires titles, creators, a publisher and a publication year.
    expect(oaiDatacite.canDisseminate({ ...r175, authors: [] })).toBe(false);
    expect(oaiDatacite.canDisseminate({ ...r175, authors: [{ nameFa: null, nameEn: ' ', corresponding: false }] })).toBe(false);
    expect(oaiDatacite.canDisseminate({ ...r175, issue: { ...r175.issue, datePublished: null } })).toBe(false);
    expect(oaiDatacite.canDisseminate({ ...r175, journal: { ...r175.journal, nameFa: null } })).toBe(false);
    expect(oaiDatacite.canDisseminate({ ...r175, text: { fa: { ...r175.text.fa, title: null }, en: { ...r175.text.en, title: '  ' } } })).toBe(false);
  });

  it('validates against the oai-1.1 envelope and kernel-4, every disseminable record and variant', async () => {
    const records = [...plain.values(), ...configured.values()].filter((r) => oaiDatacite.canDisseminate(r));
    expect(records).toHaveLength(4);
    await validateFormat('oai_datacite', [...records, bothTitles, fullyKnown, persianOnlyAuthor].map(render));
  });

  it('wraps the kernel-4 resource in the envelope with its schema locations', () => {
    const doc = parseXml(render(r175));
    const root = doc.documentElement!;
    expect(root.namespaceURI).toBe('http://schema.datacite.org/oai/oai-1.1/');
    expect(root.getAttributeNS('http://www.w3.org/2001/XMLSchema-instance', 'schemaLocation')).toBe(
      'http://schema.datacite.org/oai/oai-1.1/ http://schema.datacite.org/oai/oai-1.1/oai.xsd',
    );
    expect(texts(doc, '/o:oai_datacite/o:schemaVersion')).toEqual(['4']);
    expect(texts(doc, '/o:oai_datacite/o:datacentreSymbol')).toEqual([REPOSITORY_ID]);
    const res = resource(r175);
    expect(res.getAttributeNS('http://www.w3.org/2001/XMLSchema-instance', 'schemaLocation')).toBe(
      'http://datacite.org/schema/kernel-4 http://schema.datacite.org/meta/kernel-4/metadata.xsd',
    );
  });

  it('gives each title its language, marking only the translation as TranslatedTitle', () => {
    expect(texts(resource(r39), 'd:titles/d:title[@xml:lang="fa" and not(@titleType)]')).toEqual([r39.text.fa.title]);
    expect(all(resource(r39), 'd:titles/d:title')).toHaveLength(1);
    // The only title is the article's name, even in the other language.
    expect(texts(resource(r175), 'd:titles/d:title[@xml:lang="en" and not(@titleType)]')).toEqual([r175.text.en.title]);
    expect(all(resource(r175), 'd:titles/d:title')).toHaveLength(1);
    const both = resource(bothTitles);
    expect(attrs(both, 'd:titles/d:title[not(@titleType)]/@xml:lang')).toEqual(['fa']);
    expect(texts(both, 'd:titles/d:title[@titleType="TranslatedTitle"]')).toEqual(['A Comparative Study of Think Tanks (test title)']);
    expect(attrs(both, 'd:titles/d:title[@titleType="TranslatedTitle"]/@xml:lang')).toEqual(['en']);
  });

  it('has abstracts and keywords in both languages', () => {
    for (const r of [r39, r175]) {
      const res = resource(r);
      expect(texts(res, 'd:descriptions/d:description[@descriptionType="Abstract"][@xml:lang="fa"]')).toEqual([r.text.fa.abstract]);
      expect(texts(res, 'd:descriptions/d:description[@descriptionType="Abstract"][@xml:lang="en"]')).toEqual([r.text.en.abstract]);
      expect(texts(res, 'd:subjects/d:subject[@xml:lang="fa"]')).toEqual(r.keywords.fa);
      expect(texts(res, 'd:subjects/d:subject[@xml:lang="en"]')).toEqual(r.keywords.en);
    }
  });

  it('lists the creators in order, one name each: the Latin form, or the Persian one when that is all there is', () => {
    const res = resource(r39);
    expect(texts(res, 'd:creators/d:creator/d:creatorName')).toEqual(['Reza Haghshenas Gorgabi', 'Hossein Ahmadi', 'Mohammadali Basiri']);
    expect(attrs(res, 'd:creators/d:creator/d:creatorName/@xml:lang')).toEqual(['en', 'en', 'en']);
    expect(attrs(res, 'd:creators/d:creator/d:creatorName/@nameType')).toEqual(['Personal', 'Personal', 'Personal']);
    const fa = resource(persianOnlyAuthor);
    expect(texts(fa, 'd:creators/d:creator/d:creatorName[@xml:lang="fa"]')).toEqual(['سپیده محمدی']);
  });

  it('identifies the article by its landing page URL, the journal as publisher, and gives type, dates and language', () => {
    const res = resource(r175);
    expect(texts(res, 'd:identifier[@identifierType="URL"]')).toEqual([`${PUBLIC_URL}/articles/58-175`]);
    expect(texts(res, 'd:publisher[@xml:lang="fa"]')).toEqual(['فصلنامه مطالعات روابط بین الملل']);
    expect(texts(res, 'd:publicationYear')).toEqual(['2022']);
    expect(attrs(res, 'd:resourceType/@resourceTypeGeneral')).toEqual(['JournalArticle']);
    expect(texts(res, 'd:dates/d:date[@dateType="Issued"]')).toEqual(['2022-09-22']);
    expect(texts(res, 'd:language')).toEqual(['fa']);
    const journal = all(res, 'd:relatedItems/d:relatedItem[@relatedItemType="Journal"][@relationType="IsPublishedIn"]')[0]!;
    expect(texts(journal, 'd:titles/d:title[@xml:lang="fa"]')).toEqual(['فصلنامه مطالعات روابط بین الملل']);
    expect(texts(journal, 'd:issue')).toEqual(['58']);
    expect(texts(journal, 'd:firstPage')).toEqual(['175']);
    expect(texts(journal, 'd:lastPage')).toEqual(['196']);
  });

  it('states the access rights with their COAR label and the licence with its name and SPDX id, when known', () => {
    const res = resource(r175);
    expect(texts(res, `d:rightsList/d:rights[@rightsURI="${OPEN_ACCESS}"]`)).toEqual(['open access']);
    const license = all(res, `d:rightsList/d:rights[@rightsURI="${CC_BY}"]`)[0]!;
    expect(license.textContent).toBe('Creative Commons Attribution 4.0 International');
    expect(license.getAttribute('rightsIdentifier')).toBe('CC-BY-4.0');
    expect(licenseName('https://creativecommons.org/licenses/by-nc-nd/3.0/')).toEqual({
      name: 'Creative Commons Attribution-NonCommercial-NoDerivs 3.0 Unported',
      spdx: 'CC-BY-NC-ND-3.0',
    });
    expect(licenseName('https://example.org/licence')).toBeNull();
  });

  it('invents nothing: no DOI, volume, ISSN, English journal name or rights where unknown', () => {
    for (const r of [plain.get('58-39')!, plain.get('58-175')!]) {
      const xml = render(r);
      const res = resource(r);
      expect(all(res, '//d:identifier[@identifierType="DOI"] | //d:alternateIdentifiers')).toHaveLength(0);
      expect(all(res, '//d:volume | //d:relatedItemIdentifier | //d:rightsList')).toHaveLength(0);
      expect(all(res, '//d:title[@xml:lang="en"]').map((t) => t.textContent)).toEqual(r.text.en.title === null ? [] : [r.text.en.title]);
      expect(xml).not.toMatch(/DOI|ISSN|creativecommons|access_right/);
    }
  });

  it('serves a DOI as the identifier and the landing page as an alternate one, with volume and ISSN, when known', () => {
    const res = resource(fullyKnown);
    expect(texts(res, 'd:identifier[@identifierType="DOI"]')).toEqual(['10.1234/test.58.175']);
    expect(texts(res, 'd:alternateIdentifiers/d:alternateIdentifier[@alternateIdentifierType="URL"]')).toEqual([`${PUBLIC_URL}/articles/58-175`]);
    expect(texts(res, 'd:publisher[@xml:lang="en"]')).toEqual(['Publisher (test)']);
    expect(texts(res, 'd:relatedItems/d:relatedItem/d:volume')).toEqual(['15']);
    expect(texts(res, 'd:relatedItems/d:relatedItem/d:relatedItemIdentifier[@relatedItemIdentifierType="EISSN"]')).toEqual(['1234-5679']);
    expect(texts(res, 'd:relatedItems/d:relatedItem/d:titles/d:title[@xml:lang="en"]')).toEqual(['Journal Name (test)']);
  });

  it('renders 58-175 as the golden file (UPDATE_GOLDEN=1 rewrites it)', () => {
    expectGolden('58-175.oai_datacite.xml', render(r175));
  });

  it('is pure: same output twice, whatever the clock, and the record is left untouched', () => {
    expectPure(oaiDatacite, r175);
  });
});
