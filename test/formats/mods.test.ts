import type { Element, Node } from '@xmldom/xmldom';
import xpath from 'xpath';
import { describe, expect, it } from 'vitest';
import { mods } from '../../src/formats/mods.js';
import type { ArticleRecord } from '../../src/model.js';
import { PUBLIC_URL, REPOSITORY_ID } from '../support/app.js';
import { validateFormat } from '../support/format-schemas.js';
import { expectGolden } from '../support/golden.js';
import { context, IDS, seededRecords } from './fixtures.js';
import { parseXml } from '../support/xml.js';

const MODS = 'http://www.loc.gov/mods/v3';
const XML = 'http://www.w3.org/XML/1998/namespace';
const select = xpath.useNamespaces({ m: MODS, xml: XML });
const all = (context: Node, path: string) => select(path, context as never) as unknown as Element[];
const strings = (context: Node, path: string) => all(context, path).map((n) => n.textContent ?? '');

const records = seededRecords();
const record = (id: string): ArticleRecord => records.get(id)!;
const fragments = new Map(IDS.map((id) => [id, mods.render(record(id), context)]));
const root = (id: string): Element => parseXml(fragments.get(id)!).documentElement!;
const values = (id: string, path: string) => strings(root(id), path);

/** lang, xml:lang, script of an element. */
const langOf = (e: Element) => [e.getAttribute('lang'), e.getAttributeNS(XML, 'lang'), e.getAttribute('script')];
const PERSIAN = ['per', 'fa', 'Arab'];
const ENGLISH = ['eng', 'en', 'Latn'];


describe('mods format', () => {
  it('declares the MODS 3.7 identity', () => {
    expect(mods.prefix).toBe('mods');
    expect(mods.namespace).toBe(MODS);
    expect(mods.schema).toBe('http://www.loc.gov/standards/mods/v3/mods-3-7.xsd');
    expect(mods.version).toBe(2);
  });

  it('renders every record schema-valid, and can disseminate every record, deleted ones too', async () => {
    expect(records.size).toBe(8);
    for (const r of records.values()) {
      expect(mods.canDisseminate(r)).toBe(true);
      expect(mods.canDisseminate({ ...r, deleted: true })).toBe(true);
    }
    await validateFormat('mods', [...fragments.values()]);
  });

  it('keeps records schema-valid and paired when both titles, a DOI, a volume and a publisher are known', async () => {
    const base = record('58-39');
    const rich: ArticleRecord = {
      ...base,
      doi: '10.1234/example.58-39',
      text: { ...base.text, en: { ...base.text.en, title: 'Think Tanks of Obama and Trump' } },
      journal: { ...base.journal, nameEn: 'International Relations Studies', publisherFa: 'ناشر', publisherEn: 'Publisher', issnOnline: '1234-5678' },
      issue: { ...base.issue, volume: 15 },
    };
    const xml = mods.render(rich, context);
    await validateFormat('mods', [xml]);
    const doc = parseXml(xml).documentElement!;
    const titles = all(doc, 'm:titleInfo');
    expect(titles.map(langOf)).toEqual([PERSIAN, ENGLISH]);
    expect(titles.map((t) => t.getAttribute('altRepGroup'))).toEqual(['title', 'title']);
    expect(titles.map((t) => t.getAttribute('type'))).toEqual([null, 'translated']);
    expect(strings(doc, 'm:identifier[@type="doi"]')).toEqual(['10.1234/example.58-39']);
    expect(strings(doc, 'm:originInfo/m:publisher')).toEqual(['ناشر', 'Publisher']);
    expect(strings(doc, 'm:relatedItem/m:titleInfo/m:title')).toEqual(['فصلنامه مطالعات روابط بین الملل', 'International Relations Studies']);
    expect(strings(doc, 'm:relatedItem/m:identifier[@type="issn"]')).toEqual(['1234-5678']);
    expect(strings(doc, 'm:relatedItem/m:part/m:detail[@type="volume"]/m:number')).toEqual(['15']);
  });

  it('declares its namespaces, version and its own schemaLocation', () => {
    const r = root('58-7');
    expect(r.localName).toBe('mods');
    expect(r.namespaceURI).toBe(MODS);
    expect(r.getAttribute('version')).toBe('3.7');
    expect(r.getAttributeNS('http://www.w3.org/2001/XMLSchema-instance', 'schemaLocation')).toBe(
      `${MODS} http://www.loc.gov/standards/mods/v3/mods-3-7.xsd`,
    );
  });

  it('serves only the titles the sources give, tagged with language and script, and invents none', () => {
    const [fa] = all(root('58-39'), 'm:titleInfo');
    expect(all(root('58-39'), 'm:titleInfo')).toHaveLength(1);
    expect(langOf(fa!)).toEqual(PERSIAN);
    expect(fa!.getAttribute('type')).toBeNull();
    expect(strings(fa!, 'm:title')).toEqual(['مقایسه تطبیقی اتاق‌های فکر در تصمیم‌سازی اوباما و ترامپ در قبال ایران']);

    const [en] = all(root('58-175'), 'm:titleInfo');
    expect(all(root('58-175'), 'm:titleInfo')).toHaveLength(1);
    expect(langOf(en!)).toEqual(ENGLISH);
    // The article is in Persian, so its English title is a translation.
    expect(en!.getAttribute('type')).toBe('translated');
    expect(strings(en!, 'm:title')).toEqual(["Political Economy of China's New Silk Road And Iran's Interdependence"]);

    for (const id of IDS.filter((i) => i !== '58-39' && i !== '58-175')) expect(all(root(id), 'm:titleInfo')).toEqual([]);
    for (const id of IDS) expect(values(id, '//m:title')).not.toContain('');
  });

  it('gives both abstracts, paired and tagged', () => {
    for (const id of IDS) {
      const abstracts = all(root(id), 'm:abstract');
      expect(abstracts.map(langOf)).toEqual([PERSIAN, ENGLISH]);
      expect(abstracts.map((a) => a.textContent)).toEqual([record(id).text.fa.abstract, record(id).text.en.abstract]);
      expect(abstracts.map((a) => a.getAttribute('altRepGroup'))).toEqual(['abstract', 'abstract']);
    }
    expect(values('58-175', 'm:language[not(@objectPart)]/m:languageTerm[@type="code"][@authority="iso639-2b"]')).toEqual(['per']);
    expect(values('58-175', 'm:language[@objectPart="summary"]/m:languageTerm')).toEqual(['eng']);
  });

  it('lists the authors in order in both scripts, each pair linked, the first author as primary', () => {
    const names = (id: string, lang: string) => values(id, `m:name[@type="personal"][@lang="${lang}"]/m:namePart`);
    expect(names('58-67', 'per')).toEqual(['فاطمه هموئی', 'کیهان برزگر', 'حمید احمدی', 'حسین دهشیار']);
    expect(names('58-67', 'eng')).toEqual(['Fatemeh Hamoei', 'Kayhan Barzegar', 'Hamid Ahmadi', 'Hossain Daheshiar']);
    for (const id of IDS) {
      const authors = record(id).authors;
      const elements = all(root(id), 'm:name');
      expect(elements).toHaveLength(authors.length * 2);
      authors.forEach((author, i) => {
        const pair = elements.filter((e) => e.getAttribute('altRepGroup') === `author-${i + 1}`);
        expect(pair.map(langOf)).toEqual([PERSIAN, ENGLISH]);
        expect(pair.map((e) => strings(e, 'm:namePart')[0])).toEqual([author.nameFa, author.nameEn]);
        // One primary name per record: the first form of the first author.
        expect(pair.map((e) => e.getAttribute('usage'))).toEqual(i === 0 ? ['primary', null] : [null, null]);
        for (const e of pair) {
          expect(strings(e, 'm:role/m:roleTerm[@type="text"][@authority="marcrelator"]')).toEqual(['author']);
        }
      });
    }
  });

  it('marks the corresponding author with a second role, in both languages', () => {
    const marked = (id: string) => values(id, 'm:name[m:role/m:roleTerm="corresponding author"]/m:namePart');
    expect(marked('58-7')).toEqual(['حبیب الله ابوالحسن شیرازی', 'Habibollah Abolhasanshirazi']);
    expect(marked('58-39')).toEqual(['حسین احمدی', 'Hossein Ahmadi']);
    expect(marked('58-175')).toEqual(['مختار صالحی', 'Mokhtar Salehi']);
  });

  it('gives one subject per keyword in each language', () => {
    for (const id of IDS) {
      for (const [lang, code] of [['fa', PERSIAN], ['en', ENGLISH]] as const) {
        const subjects = all(root(id), `m:subject[@lang="${code[0]}"]`);
        expect(subjects.map((s) => strings(s, 'm:topic').join('|'))).toEqual(record(id).keywords[lang]);
        for (const s of subjects) expect(langOf(s)).toEqual(code);
      }
    }
  });

  it('types the article and dates it in Gregorian W3CDTF', () => {
    const r = root('58-175');
    expect(strings(r, 'm:typeOfResource')).toEqual(['text']);
    const [genre] = all(r, 'm:genre');
    expect(genre!.getAttribute('authority')).toBe('coar');
    expect(genre!.getAttribute('valueURI')).toBe('http://purl.org/coar/resource_type/c_6501');
    expect(genre!.textContent).toBe('journal article');
    expect(strings(r, 'm:originInfo/m:dateIssued[@encoding="w3cdtf"]')).toEqual(['2022-09-22']);
    expect(strings(r, 'm:originInfo/m:publisher')).toEqual([]);
    expect(fragments.get('58-175')).not.toContain('1401/06/31');
  });

  it('describes the host journal by its Persian name, issue, pages and year, without an invented English name', () => {
    const [host] = all(root('58-175'), 'm:relatedItem[@type="host"]');
    const titles = all(host!, 'm:titleInfo');
    expect(titles.map(langOf)).toEqual([PERSIAN]);
    expect(strings(host!, 'm:titleInfo/m:title')).toEqual(['فصلنامه مطالعات روابط بین الملل']);
    expect(strings(host!, 'm:part/m:detail[@type="issue"]/m:number')).toEqual(['58']);
    expect(all(host!, 'm:part/m:detail[@type="volume"]')).toEqual([]);
    expect(strings(host!, 'm:part/m:extent[@unit="pages"]/m:start')).toEqual(['175']);
    expect(strings(host!, 'm:part/m:extent[@unit="pages"]/m:end')).toEqual(['196']);
    expect(strings(host!, 'm:part/m:date')).toEqual(['2022']);
    expect(all(host!, 'm:identifier')).toEqual([]);
  });

  it('identifies the article by its landing page, with no DOI since none is known', () => {
    for (const id of IDS) {
      expect(values(id, 'm:identifier[@type="uri"]')).toEqual([`${PUBLIC_URL}/articles/${id}`]);
      expect(values(id, 'm:location/m:url')).toEqual([`${PUBLIC_URL}/articles/${id}`]);
      expect(all(root(id), 'm:identifier[@type="doi"]')).toEqual([]);
      expect(fragments.get(id)).not.toMatch(/doi\.org|"doi"/);
    }
  });

  it('records the local id and the datestamp of the record', () => {
    expect(values('58-175', 'm:recordInfo/m:recordIdentifier')).toEqual(['58-175']);
    expect(all(root('58-175'), 'm:recordInfo/m:recordIdentifier')[0]!.getAttribute('source')).toBe(REPOSITORY_ID);
    expect(values('58-175', 'm:recordInfo/m:recordChangeDate[@encoding="iso8601"]')).toEqual(['2025-03-01T08:30:00Z']);
  });

  it('is a pure function of the record and the context', () => {
    for (const id of IDS) expect(mods.render(record(id), context)).toBe(fragments.get(id));
    expect(mods.render(structuredClone(record('58-175')), context)).toBe(fragments.get('58-175'));
  });

  it('matches the golden file for 58-175', () => {
    expectGolden('58-175.mods.xml', fragments.get('58-175')!);
  });
});
