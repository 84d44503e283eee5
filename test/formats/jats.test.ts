import type { Element, Node } from '@xmldom/xmldom';
import xpath from 'xpath';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jats, JATS_NAMESPACE } from '../../src/formats/jats.js';
import type { ArticleRecord } from '../../src/model.js';
import { PUBLIC_URL, REPOSITORY_ID } from '../support/app.js';
import { validateFormat } from '../support/format-schemas.js';
import { expectGolden } from '../support/golden.js';
import { CC_BY, context, expectPure, OPEN_ACCESS, seededRecords } from './fixtures.js';
import { parseXml } from '../support/xml.js';

// The JATS schema takes about ten seconds to compile.
vi.setConfig({ testTimeout: 120_000 });

/** Test data: the seed knows no ISSN, and JATS Journal Publishing requires one. */
const TEST_ISSN = '1234-5679';
const XLINK = 'http://www.w3.org/1999/xlink';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

const select = xpath.useNamespaces({
  xlink: XLINK,
  ali: 'http://www.niso.org/schemas/ali/1.0/',
  xml: 'http://www.w3.org/XML/1998/namespace',
});
const all = (node: Node, path: string): Element[] => select(path, node as never) as unknown as Element[];
const texts = (node: Node, path: string): string[] => all(node, path).map((e) => e.textContent ?? '');
const attrs = (node: Node, path: string): string[] => (select(path, node as never) as unknown as Array<{ value: string }>).map((a) => a.value);

const render = (record: ArticleRecord) => jats.render(record, context);
// Queried as the official JATS schema sees the record: without the namespace OAI-PMH needs.
const article = (record: ArticleRecord): Element => parseXml(render(record).replace(` xmlns="${JATS_NAMESPACE}"`, '')).documentElement!;
const meta = (record: ArticleRecord): Element => all(article(record), '/article/front/article-meta')[0]!;
const disseminable = (records: Map<string, ArticleRecord>) => [...records].filter(([, r]) => jats.canDisseminate(r)).map(([id]) => id).sort();

// The seeded journal: no ISSN, access rights and licence unknown.
const plain = seededRecords();
// The journal once an admin has set its access rights, licence and (test) print ISSN.
const configured = seededRecords({ access_rights: OPEN_ACCESS, license: CC_BY, issn_print: TEST_ISSN });

// Records the seed does not have, built from real ones, for the branches the seed cannot reach.
// Their extra values (a DOI, a volume, names, an English title) are test data only.
const r39 = configured.get('58-39')!;
const r175 = configured.get('58-175')!;
const issnOnly: ArticleRecord = { ...r39, journal: { ...r39.journal, accessRights: null, license: null } };
const bothTitles: ArticleRecord = { ...issnOnly, text: { ...r39.text, en: { ...r39.text.en, title: 'A Comparative Study of Think Tanks (test title)' } } };
const fullyKnown: ArticleRecord = {
  ...r175,
  doi: '10.1234/test.58.175',
  issue: { ...r175.issue, volume: 15 },
  journal: { ...r175.journal, nameEn: 'Journal Name (test)', publisherFa: 'ناشر (آزمایشی)', publisherEn: 'Publisher (test)', issnOnline: '2345-6787' },
};
const oneNameAuthor: ArticleRecord = { ...r175, authors: [{ nameFa: 'سپیده محمدی', nameEn: null, corresponding: false }] };

afterEach(() => {
  vi.useRealTimers();
});

describe('jats', () => {
  it('disseminates only titled records of a journal with an ISSN', () => {
    // Journal Publishing requires journal-meta/issn, which the seed does not know: nothing is served.
    expect(disseminable(plain)).toEqual([]);
    expect(disseminable(configured)).toEqual(['58-175', '58-39']);
    expect(jats.canDisseminate(issnOnly)).toBe(true);
    expect(jats.canDisseminate({ ...r175, journal: { ...r175.journal, issnPrint: null, issnOnline: '2345-6787' } })).toBe(true);
    expect(jats.canDisseminate({ ...r175, text: { fa: { ...r175.text.fa, title: null }, en: { ...r175.text.en, title: null } } })).toBe(false);
  });

  it('validates against JATS 1.3 Journal Publishing, every disseminable record and variant', async () => {
    const records = [...configured.values()].filter((r) => jats.canDisseminate(r));
    await validateFormat('jats', [...records, issnOnly, bothTitles, fullyKnown, oneNameAuthor].map(render));
  });

  it('is an <article> in the namespace OAI-PMH needs, pointing at the JATS XSD, in the article language', () => {
    const namespaced = parseXml(render(r175)).documentElement!;
    expect(namespaced.namespaceURI).toBe(JATS_NAMESPACE);
    expect(jats.namespace).toBe(JATS_NAMESPACE);
    expect(namespaced.getAttributeNS(XSI, 'schemaLocation')).toBe(`${JATS_NAMESPACE} ${jats.schema}`);
    const root = article(r175);
    expect(root.localName).toBe('article');
    expect(root.getAttribute('article-type')).toBe('research-article');
    expect(root.getAttribute('dtd-version')).toBe('1.3');
    expect(root.getAttribute('xml:lang')).toBe('fa');
    expect(all(root, '/article/*').map((e) => e.localName)).toEqual(['front']);
  });

  it('describes the journal by its id, Persian title and ISSN, and nothing it does not know', () => {
    const journal = all(article(r175), '/article/front/journal-meta')[0]!;
    expect(texts(journal, 'journal-id[@journal-id-type="publisher-id"]')).toEqual(['prb']);
    expect(texts(journal, 'journal-title-group/journal-title[@xml:lang="fa"]')).toEqual(['فصلنامه مطالعات روابط بین الملل']);
    expect(all(journal, 'journal-title-group/trans-title-group | publisher')).toHaveLength(0);
    expect(texts(journal, 'issn[@publication-format="print"]')).toEqual([TEST_ISSN]);
    const known = all(article(fullyKnown), '/article/front/journal-meta')[0]!;
    expect(texts(known, 'journal-title-group/trans-title-group[@xml:lang="en"]/trans-title')).toEqual(['Journal Name (test)']);
    expect(texts(known, 'issn[@publication-format="electronic"]')).toEqual(['2345-6787']);
    expect(texts(known, 'publisher/publisher-name[@xml:lang="fa"]')).toEqual(['ناشر (آزمایشی)']);
    expect(texts(known, 'publisher/publisher-name[@xml:lang="en"]')).toEqual(['Publisher (test)']);
  });

  it('puts the title it has in article-title with its language, and a second one in trans-title-group', () => {
    expect(texts(meta(r39), 'title-group/article-title[@xml:lang="fa"]')).toEqual([r39.text.fa.title]);
    expect(texts(meta(r175), 'title-group/article-title[@xml:lang="en"]')).toEqual([r175.text.en.title]);
    for (const r of [r39, r175]) expect(all(meta(r), 'title-group/trans-title-group')).toHaveLength(0);
    const both = meta(bothTitles);
    expect(texts(both, 'title-group/article-title[@xml:lang="fa"]')).toEqual([r39.text.fa.title]);
    expect(texts(both, 'title-group/trans-title-group[@xml:lang="en"]/trans-title')).toEqual(['A Comparative Study of Think Tanks (test title)']);
  });

  it('lists the authors in order with both forms of each name, marking the corresponding one', () => {
    const m = meta(r39);
    const contribs = all(m, 'contrib-group/contrib[@contrib-type="author"]');
    expect(contribs).toHaveLength(3);
    expect(texts(m, 'contrib-group/contrib/name-alternatives/string-name[@xml:lang="fa"]')).toEqual(r39.authors.map((a) => a.nameFa));
    expect(texts(m, 'contrib-group/contrib/name-alternatives/string-name[@xml:lang="en"]')).toEqual([
      'Reza Haghshenas Gorgabi',
      'Hossein Ahmadi',
      'Mohammadali Basiri',
    ]);
    expect(attrs(m, 'contrib-group/contrib//string-name/@name-style')).toEqual(Array(6).fill('western'));
    expect(contribs.map((c) => c.getAttribute('corresp') ?? 'absent')).toEqual(['absent', 'yes', 'absent']);
    // A single known form needs no name-alternatives.
    expect(texts(meta(oneNameAuthor), 'contrib-group/contrib/string-name[@xml:lang="fa"]')).toEqual(['سپیده محمدی']);
  });

  it('dates, numbers and locates the article, with abstracts and keywords in both languages', () => {
    const m = meta(r175);
    const date = all(m, 'pub-date[@publication-format="print"][@date-type="pub"]')[0]!;
    expect(date.getAttribute('iso-8601-date')).toBe('2022-09-22');
    expect([texts(date, 'day'), texts(date, 'month'), texts(date, 'year')]).toEqual([['22'], ['09'], ['2022']]);
    expect(texts(m, 'issue')).toEqual(['58']);
    expect(texts(m, 'fpage')).toEqual(['175']);
    expect(texts(m, 'lpage')).toEqual(['196']);
    expect(attrs(m, 'self-uri/@xlink:href')).toEqual([`${PUBLIC_URL}/articles/58-175`]);
    expect(texts(m, 'article-id[@pub-id-type="other"]')).toEqual([`oai:${REPOSITORY_ID}:58-175`]);
    expect(texts(m, 'abstract[@xml:lang="fa"]/p')).toEqual([r175.text.fa.abstract]);
    expect(texts(m, 'trans-abstract[@xml:lang="en"]/p')).toEqual([r175.text.en.abstract]);
    expect(texts(m, 'kwd-group[@xml:lang="fa"]/kwd')).toEqual(r175.keywords.fa);
    expect(texts(m, 'kwd-group[@xml:lang="en"]/kwd')).toEqual(r175.keywords.en);
  });

  it('states open access and the licence in ALI terms when known', () => {
    const m = meta(r175);
    expect(all(m, 'permissions/ali:free_to_read')).toHaveLength(1);
    expect(attrs(m, 'permissions/license/@xlink:href')).toEqual([CC_BY]);
    expect(texts(m, 'permissions/license/ali:license_ref')).toEqual([CC_BY]);
  });

  it('invents nothing: no DOI, volume, licence or access statement where unknown', () => {
    const m = meta(issnOnly);
    expect(all(m, 'article-id[@pub-id-type="doi"] | volume | permissions')).toHaveLength(0);
    expect(render(issnOnly)).not.toContain('xmlns:ali');
    expect(render(issnOnly)).not.toContain('xmlns:mml');
    for (const r of configured.values()) if (jats.canDisseminate(r)) expect(all(meta(r), 'article-id[@pub-id-type="doi"] | volume')).toHaveLength(0);
    const known = meta(fullyKnown);
    expect(texts(known, 'article-id[@pub-id-type="doi"]')).toEqual(['10.1234/test.58.175']);
    expect(texts(known, 'volume')).toEqual(['15']);
  });

  it('renders 58-175 as the golden file (UPDATE_GOLDEN=1 rewrites it)', () => {
    expectGolden('58-175.jats.xml', render(r175));
  });

  it('is pure: same output twice, whatever the clock, and the record is left untouched', () => {
    expectPure(jats, r175);
  });
});
