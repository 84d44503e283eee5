import type { Element } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { makeServer, oai, PUBLIC_URL, REPOSITORY_ID } from '../support/app.js';
import { nodes, text, texts } from '../support/xml.js';

const server = makeServer();
const { doc } = await oai(server.app, 'verb=ListRecords&metadataPrefix=oai_dc');
const records = new Map(
  nodes(doc, '//oai:record').map((r) => [text(r, 'oai:header/oai:identifier').split(':').at(-1)!, nodes(r, 'oai:metadata/oai_dc:dc')[0]!]),
);
const dc = (local: string): Element => records.get(local)!;
const values = (local: string, element: string, lang?: 'fa' | 'en') =>
  texts(dc(local), lang ? `dc:${element}[@xml:lang="${lang}"]` : `dc:${element}`);

describe('oai_dc records', () => {
  it('root declares its namespaces and its own schemaLocation', () => {
    const root = dc('58-7');
    expect(root.namespaceURI).toBe('http://www.openarchives.org/OAI/2.0/oai_dc/');
    expect(root.getAttributeNS('http://www.w3.org/2001/XMLSchema-instance', 'schemaLocation')).toBe(
      'http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd',
    );
  });

  it('has abstracts and keywords in both languages for all 8 articles', () => {
    expect(records.size).toBe(8);
    for (const local of records.keys()) {
      expect(values(local, 'description', 'fa')).toHaveLength(1);
      expect(values(local, 'description', 'en')).toHaveLength(1);
      expect(values(local, 'subject', 'fa').length).toBeGreaterThan(2);
      expect(values(local, 'subject', 'en').length).toBeGreaterThan(2);
    }
  });

  it('tags every language-bearing element with xml:lang fa or en', () => {
    for (const local of records.keys()) {
      for (const name of ['title', 'creator', 'subject', 'description', 'source', 'publisher']) {
        for (const e of nodes(dc(local), `dc:${name}`)) {
          expect(['fa', 'en']).toContain(e.getAttributeNS('http://www.w3.org/XML/1998/namespace', 'lang'));
        }
      }
    }
  });

  it('serves only the titles the sources give, and invents none', () => {
    expect(values('58-39', 'title', 'fa')).toEqual(['مقایسه تطبیقی اتاق‌های فکر در تصمیم‌سازی اوباما و ترامپ در قبال ایران']);
    expect(values('58-39', 'title', 'en')).toEqual([]);
    expect(values('58-175', 'title', 'en')).toEqual(["Political Economy of China's New Silk Road And Iran's Interdependence"]);
    // Only probable: waits for an admin.
    expect(values('58-197', 'title')).toEqual([]);
    const titled = [...records.keys()].filter((local) => values(local, 'title').length > 0);
    expect(titled.sort()).toEqual(['58-175', '58-39']);
  });

  it('lists the authors in order, in both languages, with the capitals of the source title-cased', () => {
    expect(values('58-67', 'creator', 'fa')).toEqual(['فاطمه هموئی', 'کیهان برزگر', 'حمید احمدی', 'حسین دهشیار']);
    expect(values('58-67', 'creator', 'en')).toEqual(['Fatemeh Hamoei', 'Kayhan Barzegar', 'Hamid Ahmadi', 'Hossain Daheshiar']);
    expect(values('58-197', 'creator', 'en')).toEqual(['Elaheh Koolaee', 'Somaye Zangeneh']);
  });

  it('gives one dc:subject per keyword, cleaned of the source punctuation', () => {
    expect(values('58-39', 'subject', 'en')).toEqual(['U.S.A', 'I.R. of Iran', 'Think Tank', 'Trump', 'Obama', 'Comparative study']);
    expect(values('58-175', 'subject', 'en')).toEqual([
      'New Silk Road Initiative',
      'interdependence',
      "China's Development",
      '25 year Cooperation Agreement',
      'Iran',
    ]);
    expect(values('58-7', 'subject', 'fa')).toEqual(['اوکراین', 'قره باغ', 'ارمنستان', 'سیاست خارجی روسیه', 'کپنهاگ']);
  });

  it('drops the stray " ." after an abstract', () => {
    const abstract = values('58-7', 'description', 'en')[0]!;
    expect(abstract.endsWith('lack of UN support.')).toBe(true);
  });

  it('cites journal, issue and pages in each language, and dates the article in Gregorian ISO 8601', () => {
    expect(values('58-7', 'source', 'fa')).toEqual(['فصلنامه مطالعات روابط بین الملل، پیاپی 58 (تابستان 1401)، صفحات 7-37']);
    expect(values('58-7', 'source', 'en')).toEqual(['فصلنامه مطالعات روابط بین الملل, no. 58 (Summer 1401 SH, 2022), pp. 7-37']);
    expect(values('58-7', 'publisher', 'fa')).toEqual(['فصلنامه مطالعات روابط بین الملل']);
    expect(values('58-7', 'date')).toEqual(['2022-09-22']);
    expect(values('58-7', 'language')).toEqual(['fa']);
    expect(values('58-7', 'type')).toContain('info:eu-repo/semantics/article');
    expect(values('58-7', 'type')).toContain('Text');
  });

  it('identifies each article by the absolute URL of its landing page, which serves it', async () => {
    for (const local of records.keys()) expect(values(local, 'identifier')).toEqual([`${PUBLIC_URL}/articles/${local}`]);
    const { default: request } = await import('supertest');
    const res = await request(server.app).get('/articles/58-7');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Habibollah Abolhasanshirazi');
    expect(res.text).toContain('حبیب الله ابوالحسن شیرازی');
    expect(res.text).toContain(`oai:${REPOSITORY_ID}:58-7`);
  });

  it('emits NFC text with Persian ی and ک, and nothing XML 1.0 forbids', () => {
    const all = texts(doc, '//oai_dc:dc/*');
    for (const value of all) {
      expect(value).toBe(value.normalize('NFC'));
      expect(value).not.toMatch(/[\u064A\u0643]/);
      // eslint-disable-next-line no-control-regex
      expect(value).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
    }
    expect(all.join(' ')).toMatch(/[یک]/);
  });
});
