import type { Element, Node } from '@xmldom/xmldom';
import xpath from 'xpath';
import { describe, expect, it } from 'vitest';
import { marcxml } from '../../src/formats/marcxml.js';
import type { ArticleRecord } from '../../src/model.js';
import { PUBLIC_URL } from '../support/app.js';
import { validateFormat } from '../support/format-schemas.js';
import { expectGolden } from '../support/golden.js';
import { context, IDS, seededRecords } from './fixtures.js';
import { parseXml } from '../support/xml.js';

const MARC = 'http://www.loc.gov/MARC21/slim';
const select = xpath.useNamespaces({ marc: MARC });
const all = (context: Node, path: string) => select(path, context as never) as unknown as Element[];
const strings = (context: Node, path: string) => all(context, path).map((n) => n.textContent ?? '');

const records = seededRecords();
const record = (id: string): ArticleRecord => records.get(id)!;
const fragments = new Map(IDS.map((id) => [id, marcxml.render(record(id), context)]));
const root = (id: string): Element => parseXml(fragments.get(id)!).documentElement!;

/** Values of subfield `code` of every data field with `tag` (880s: of the 880s standing for `tag`). */
function sub(id: string, tag: string, code: string, linked?: '880'): string[] {
  const path = linked
    ? `marc:datafield[@tag="880"][starts-with(marc:subfield[@code="6"], "${tag}-")]/marc:subfield[@code="${code}"]`
    : `marc:datafield[@tag="${tag}"]/marc:subfield[@code="${code}"]`;
  return strings(root(id), path);
}

/** The regular field and the 880 linked to it by occurrence number, for every linked pair of `tag`. */
function linkedPairs(id: string, tag: string): Array<[Element, Element]> {
  return all(root(id), `marc:datafield[@tag="${tag}"][marc:subfield[@code="6"]]`).map((field) => {
    const link = strings(field, 'marc:subfield[@code="6"]')[0]!;
    const nn = /^880-(\d\d)$/.exec(link)![1]!;
    const vernacular = all(root(id), `marc:datafield[@tag="880"][marc:subfield[@code="6"]="${tag}-${nn}/(3/r"]`);
    expect(vernacular).toHaveLength(1);
    return [field, vernacular[0]!];
  });
}


describe('marcxml format', () => {
  it('declares the MARC 21 slim identity', () => {
    expect(marcxml.prefix).toBe('marcxml');
    expect(marcxml.namespace).toBe(MARC);
    expect(marcxml.schema).toBe('http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd');
    expect(marcxml.version).toBe(2);
  });

  it('renders every record schema-valid, and can disseminate every record, deleted ones too', async () => {
    expect(records.size).toBe(8);
    for (const r of records.values()) {
      expect(marcxml.canDisseminate(r)).toBe(true);
      expect(marcxml.canDisseminate({ ...r, deleted: true })).toBe(true);
    }
    await validateFormat('marcxml', [...fragments.values()]);
  });

  it('keeps records schema-valid and linked when both titles and a DOI are known', async () => {
    const both: ArticleRecord = {
      ...record('58-39'),
      doi: '10.1234/example.58-39',
      text: { ...record('58-39').text, en: { ...record('58-39').text.en, title: 'The Think Tanks of Obama and Trump' } },
      authors: [{ nameFa: null, nameEn: 'Only Latin', corresponding: false }, { nameFa: 'فقط فارسی', nameEn: null, corresponding: true }],
    };
    const xml = marcxml.render(both, context);
    await validateFormat('marcxml', [xml, marcxml.render({ ...record('58-7'), deleted: true }, context)]);
    const doc = parseXml(xml).documentElement!;
    // 245 English, nonfiling "The " = 4, linked to the Persian 880.
    const [title] = all(doc, 'marc:datafield[@tag="245"]');
    expect(title!.getAttribute('ind2')).toBe('4');
    expect(strings(title!, 'marc:subfield[@code="6"]')).toEqual(['880-01']);
    expect(strings(doc, 'marc:datafield[@tag="880"][marc:subfield[@code="6"]="245-01/(3/r"]/marc:subfield[@code="a"]')).toEqual([
      both.text.fa.title,
    ]);
    expect(strings(doc, 'marc:datafield[@tag="100"]/marc:subfield[@code="a"]')).toEqual(['Only Latin']);
    expect(strings(doc, 'marc:datafield[@tag="880"][marc:subfield[@code="6"]="700-00/(3/r"]/marc:subfield[@code="a"]')).toEqual([
      'فقط فارسی',
    ]);
    expect(strings(doc, 'marc:datafield[@tag="024"][@ind1="7"]/marc:subfield')).toEqual(['10.1234/example.58-39', 'doi']);
    expect(strings(doc, 'marc:datafield[@tag="856"]/marc:subfield[@code="u"]')).toEqual([
      `${PUBLIC_URL}/articles/58-39`,
      'https://doi.org/10.1234/example.58-39',
    ]);
  });

  it('declares its namespaces and its own schemaLocation on a single <record>', () => {
    const r = root('58-7');
    expect(r.localName).toBe('record');
    expect(r.namespaceURI).toBe(MARC);
    expect(r.getAttributeNS('http://www.w3.org/2001/XMLSchema-instance', 'schemaLocation')).toBe(
      `${MARC} http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd`,
    );
  });

  it('codes the leader and control fields at the right positions', () => {
    const r = root('58-175');
    const leader = strings(r, 'marc:leader')[0]!;
    expect(leader).toHaveLength(24);
    expect(leader.slice(5, 10)).toBe('nab a'); // new, language material, serial component part, Unicode
    expect(leader.slice(10, 12)).toBe('22');
    expect(leader.slice(20)).toBe('4500');
    expect(strings(r, 'marc:controlfield[@tag="001"]')).toEqual(['58-175']);
    expect(strings(r, 'marc:controlfield[@tag="003"]')).toEqual([]);
    expect(strings(r, 'marc:controlfield[@tag="005"]')).toEqual(['20250301083000.0']);
    const f008 = strings(r, 'marc:controlfield[@tag="008"]')[0]!;
    expect(f008).toHaveLength(40);
    expect(f008.slice(0, 6)).toBe('250301');
    expect(f008.slice(6, 15)).toBe('s2022    ');
    expect(f008.slice(15, 18)).toBe('ir ');
    expect(f008.slice(21, 22)).toBe('p');
    expect(f008.slice(35, 38)).toBe('per');
    expect(f008.slice(39)).toBe('d');
    // A withdrawn record says so in Leader/05.
    const deleted = parseXml(marcxml.render({ ...record('58-175'), deleted: true }, context)).documentElement!;
    expect(strings(deleted, 'marc:leader')[0]!.charAt(5)).toBe('d');
  });

  it('puts the English title in 245 and a Persian-only title in an unlinked 880, and invents none', () => {
    expect(sub('58-175', '245', 'a')).toEqual(["Political Economy of China's New Silk Road And Iran's Interdependence"]);
    expect(sub('58-175', '245', '6')).toEqual([]);
    expect(sub('58-175', '245', 'a', '880')).toEqual([]);
    expect(sub('58-39', '245', 'a')).toEqual([]);
    expect(sub('58-39', '245', '6', '880')).toEqual(['245-00/(3/r']);
    expect(sub('58-39', '245', 'a', '880')).toEqual(['مقایسه تطبیقی اتاق‌های فکر در تصمیم‌سازی اوباما و ترامپ در قبال ایران']);
    for (const id of IDS.filter((i) => i !== '58-39' && i !== '58-175')) {
      expect(all(root(id), 'marc:datafield[@tag="245"]')).toEqual([]);
      expect(sub(id, '245', '6', '880')).toEqual([]);
    }
  });

  it('gives both abstracts, the Persian one in an 880 linked to the English 520', () => {
    for (const id of IDS) {
      const pairs = linkedPairs(id, '520');
      expect(pairs).toHaveLength(1);
      const [en, fa] = pairs[0]!;
      expect(en.getAttribute('ind1')).toBe('3');
      expect(fa.getAttribute('ind1')).toBe('3');
      expect(strings(en, 'marc:subfield[@code="a"]')).toEqual([record(id).text.en.abstract]);
      expect(strings(fa, 'marc:subfield[@code="a"]')).toEqual([record(id).text.fa.abstract]);
    }
    expect(sub('58-175', '041', 'a')).toEqual(['per']);
    expect(sub('58-175', '041', 'b')).toEqual(['eng']);
  });

  it('lists the authors in order in both scripts, each Persian name linked to its Latin one', () => {
    expect(sub('58-67', '100', 'a')).toEqual(['Fatemeh Hamoei']);
    expect(sub('58-67', '700', 'a')).toEqual(['Kayhan Barzegar', 'Hamid Ahmadi', 'Hossain Daheshiar']);
    expect(sub('58-67', '100', 'a', '880')).toEqual(['فاطمه هموئی']);
    expect(sub('58-67', '700', 'a', '880')).toEqual(['کیهان برزگر', 'حمید احمدی', 'حسین دهشیار']);
    for (const id of IDS) {
      const authors = record(id).authors;
      const pairs = [...linkedPairs(id, '100'), ...linkedPairs(id, '700')];
      expect(pairs).toHaveLength(authors.length);
      pairs.forEach(([latin, persian], i) => {
        expect(strings(latin, 'marc:subfield[@code="a"]')).toEqual([authors[i]!.nameEn]);
        expect(strings(persian, 'marc:subfield[@code="a"]')).toEqual([authors[i]!.nameFa]);
        // Names are stored in direct order, so the first indicator is 0 (forename), not 1.
        expect(latin.getAttribute('ind1')).toBe('0');
        for (const field of [latin, persian]) {
          const relators = strings(field, 'marc:subfield[@code="e"]');
          expect(relators).toEqual(authors[i]!.corresponding ? ['author', 'corresponding author'] : ['author']);
          expect(strings(field, 'marc:subfield[@code="4"]')).toEqual(['aut']);
        }
      });
    }
  });

  it('marks the corresponding author', () => {
    const marked = (id: string, tag: string, linked?: '880') =>
      strings(
        root(id),
        linked
          ? `marc:datafield[@tag="880"][starts-with(marc:subfield[@code="6"], "${tag}-")][marc:subfield[@code="e"]="corresponding author"]/marc:subfield[@code="a"]`
          : `marc:datafield[@tag="${tag}"][marc:subfield[@code="e"]="corresponding author"]/marc:subfield[@code="a"]`,
      );
    expect(marked('58-7', '100')).toEqual(['Habibollah Abolhasanshirazi']);
    expect(marked('58-7', '100', '880')).toEqual(['حبیب الله ابوالحسن شیرازی']);
    expect(marked('58-7', '700')).toEqual([]);
    expect(marked('58-39', '700')).toEqual(['Hossein Ahmadi']);
    expect(marked('58-39', '700', '880')).toEqual(['حسین احمدی']);
  });

  it('gives every keyword in both languages, the Persian ones in unlinked 880 653s', () => {
    for (const id of IDS) {
      expect(sub(id, '653', 'a')).toEqual(record(id).keywords.en);
      expect(sub(id, '653', 'a', '880')).toEqual(record(id).keywords.fa);
      expect(new Set(sub(id, '653', '6', '880'))).toEqual(new Set(['653-00/(3/r']));
      expect(sub(id, '653', '6')).toEqual([]);
    }
    expect(sub('58-175', '653', 'a')).toContain("China's Development");
    expect(sub('58-175', '653', 'a', '880')).toContain('راه ابریشم جدید');
  });

  it('describes the host journal in both languages without inventing an English name or an ISSN', () => {
    const [regular, persian] = linkedPairs('58-175', '773')[0]!;
    expect(strings(regular, 'marc:subfield[@code="t"]')).toEqual([]);
    expect(strings(regular, 'marc:subfield[@code="g"]')).toEqual(['no. 58 (Summer 1401 SH, 2022), pp. 175-196']);
    expect(strings(persian, 'marc:subfield[@code="t"]')).toEqual(['فصلنامه مطالعات روابط بین الملل']);
    expect(strings(persian, 'marc:subfield[@code="g"]')).toEqual(['پیاپی 58 (تابستان 1401)، صفحات 175-196']);
    for (const field of [regular, persian]) {
      expect(strings(field, 'marc:subfield[@code="x"]')).toEqual([]);
      expect(strings(field, 'marc:subfield[@code="7"]')).toEqual(['nnas']);
    }
    expect(sub('58-175', '264', 'c')).toEqual(['2022']);
    expect(sub('58-175', '264', 'b')).toEqual([]);
    expect(sub('58-175', '264', 'b', '880')).toEqual([]);
  });

  it('links the landing page and, with no DOI known, no DOI', () => {
    for (const id of IDS) {
      expect(sub(id, '856', 'u')).toEqual([`${PUBLIC_URL}/articles/${id}`]);
      expect(all(root(id), 'marc:datafield[@tag="024"]')).toEqual([]);
      expect(fragments.get(id)).not.toMatch(/doi\.org|>doi</);
    }
  });

  it('never emits an empty field or subfield', () => {
    for (const id of IDS) {
      for (const field of all(root(id), 'marc:datafield')) expect(all(field, 'marc:subfield').length).toBeGreaterThan(0);
      for (const value of strings(root(id), '//marc:subfield')) expect(value.trim()).not.toBe('');
    }
  });

  it('is a pure function of the record and the context', () => {
    for (const id of IDS) expect(marcxml.render(record(id), context)).toBe(fragments.get(id));
    const copy = structuredClone(record('58-175'));
    expect(marcxml.render(copy, context)).toBe(fragments.get('58-175'));
  });

  it('matches the golden file for 58-175', () => {
    expectGolden('58-175.marcxml.xml', fragments.get('58-175')!);
  });
});
