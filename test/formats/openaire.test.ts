import type { Element, Node } from '@xmldom/xmldom';
import xpath from 'xpath';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { oaiOpenaire } from '../../src/formats/openaire.js';
import type { ArticleRecord } from '../../src/model.js';
import { PUBLIC_URL } from '../support/app.js';
import { validateFormat } from '../support/format-schemas.js';
import { expectGolden } from '../support/golden.js';
import { CC_BY, context, expectPure, OPEN_ACCESS, seededRecords } from './fixtures.js';
import { parseXml } from '../support/xml.js';

const OAIRE = 'http://namespace.openaire.eu/schema/oaire/';

const select = xpath.useNamespaces({
  oaire: OAIRE,
  datacite: 'http://datacite.org/schema/kernel-4',
  dc: 'http://purl.org/dc/elements/1.1/',
  xml: 'http://www.w3.org/XML/1998/namespace',
});
const all = (node: Node, path: string): Element[] => select(path, node as never) as unknown as Element[];
const texts = (node: Node, path: string): string[] => all(node, path).map((e) => e.textContent ?? '');
const attrs = (node: Node, path: string): string[] => (select(path, node as never) as unknown as Array<{ value: string }>).map((a) => a.value);

const render = (record: ArticleRecord) => oaiOpenaire.render(record, context);
const resource = (record: ArticleRecord): Element => parseXml(render(record)).documentElement!;
const disseminable = (records: Map<string, ArticleRecord>) => [...records].filter(([, r]) => oaiOpenaire.canDisseminate(r)).map(([id]) => id).sort();

// The seeded journal: access rights and licence unknown, as they are until an admin sets them.
const plain = seededRecords();
// The same journal once an admin has set its access rights and licence.
const configured = seededRecords({ access_rights: OPEN_ACCESS, license: CC_BY });

// Records the seed does not have, built from real ones, for the branches the seed cannot reach.
// Their extra values (a DOI, a volume, ISSNs, a publisher, an English title) are test data only.
const r39 = configured.get('58-39')!;
const r175 = configured.get('58-175')!;
const noLicense: ArticleRecord = { ...r39, journal: { ...r39.journal, license: null, accessRights: 'http://purl.org/coar/access_right/c_14cb' } };
const bothTitles: ArticleRecord = { ...r39, text: { ...r39.text, en: { ...r39.text.en, title: 'A Comparative Study of Think Tanks (test title)' } } };
const fullyKnown: ArticleRecord = {
  ...r175,
  doi: '10.1234/test.58.175',
  issue: { ...r175.issue, volume: 15 },
  journal: { ...r175.journal, publisherFa: 'ناشر (آزمایشی)', publisherEn: 'Publisher (test)', issnPrint: '1234-5679', issnOnline: '2345-6787' },
};

afterEach(() => {
  vi.useRealTimers();
});

describe('oai_openaire', () => {
  it('disseminates nothing while access rights are unknown, then the titled records', () => {
    expect(disseminable(plain)).toEqual([]);
    expect(disseminable(configured)).toEqual(['58-175', '58-39']);
    // Only the four COAR access-right concepts are allowed.
    expect(oaiOpenaire.canDisseminate({ ...r175, journal: { ...r175.journal, accessRights: 'https://example.org/open' } })).toBe(false);
    expect(oaiOpenaire.canDisseminate({ ...r175, issue: { ...r175.issue, datePublished: null } })).toBe(false);
  });

  it('validates against the OpenAIRE 4.0 schema, every disseminable record and variant', async () => {
    const records = [...configured.values()].filter((r) => oaiOpenaire.canDisseminate(r));
    await validateFormat('oai_openaire', [...records, noLicense, bothTitles, fullyKnown].map(render));
  });

  it('is an oaire:resource declaring its namespaces and schema location', () => {
    const root = resource(r175);
    expect(root.localName).toBe('resource');
    expect(root.namespaceURI).toBe(OAIRE);
    expect(root.getAttributeNS('http://www.w3.org/2001/XMLSchema-instance', 'schemaLocation')).toBe(
      `${OAIRE} https://www.openaire.eu/schema/repo-lit/4.0/openaire.xsd`,
    );
  });

  it('gives each title its language, marking only the translation as TranslatedTitle', () => {
    expect(texts(resource(r39), 'datacite:titles/datacite:title[@xml:lang="fa"][not(@titleType)]')).toEqual([r39.text.fa.title]);
    expect(texts(resource(r175), 'datacite:titles/datacite:title[@xml:lang="en"][not(@titleType)]')).toEqual([r175.text.en.title]);
    const both = resource(bothTitles);
    expect(attrs(both, 'datacite:titles/datacite:title[not(@titleType)]/@xml:lang')).toEqual(['fa']);
    expect(texts(both, 'datacite:titles/datacite:title[@titleType="TranslatedTitle"][@xml:lang="en"]')).toEqual([
      'A Comparative Study of Think Tanks (test title)',
    ]);
  });

  it('has abstracts and keywords in both languages, and the creators in order', () => {
    for (const r of [r39, r175]) {
      const res = resource(r);
      expect(texts(res, 'dc:description[@xml:lang="fa"]')).toEqual([r.text.fa.abstract]);
      expect(texts(res, 'dc:description[@xml:lang="en"]')).toEqual([r.text.en.abstract]);
      expect(texts(res, 'datacite:subjects/datacite:subject[@xml:lang="fa"]')).toEqual(r.keywords.fa);
      expect(texts(res, 'datacite:subjects/datacite:subject[@xml:lang="en"]')).toEqual(r.keywords.en);
    }
    expect(texts(resource(r175), 'datacite:creators/datacite:creator/datacite:creatorName[@nameType="Personal"]')).toEqual([
      'Sepideh Mohammadi',
      'Mokhtar Salehi',
    ]);
    const persian = resource({ ...r175, authors: [{ nameFa: 'سپیده محمدی', nameEn: null, corresponding: false }] });
    expect(texts(persian, 'datacite:creators/datacite:creator/datacite:creatorName')).toEqual(['سپیده محمدی']);
  });

  it('identifies, types, dates and cites the article', () => {
    const res = resource(r175);
    expect(texts(res, 'datacite:identifier[@identifierType="URL"]')).toEqual([`${PUBLIC_URL}/articles/58-175`]);
    expect(texts(res, 'oaire:resourceType[@resourceTypeGeneral="literature"][@uri="http://purl.org/coar/resource_type/c_6501"]')).toEqual([
      'journal article',
    ]);
    expect(texts(res, 'datacite:dates/datacite:date[@dateType="Issued"]')).toEqual(['2022-09-22']);
    expect(texts(res, 'dc:language')).toEqual(['fas']);
    expect(texts(res, 'oaire:version[@uri="http://purl.org/coar/version/c_970fb48d4fbd8a85"]')).toEqual(['VoR']);
    expect(texts(res, 'oaire:citationTitle')).toEqual(['فصلنامه مطالعات روابط بین الملل']);
    expect(texts(res, 'oaire:citationIssue')).toEqual(['58']);
    expect(texts(res, 'oaire:citationStartPage')).toEqual(['175']);
    expect(texts(res, 'oaire:citationEndPage')).toEqual(['196']);
  });

  it('states the access rights with their COAR label, and the licence by name and URL', () => {
    const res = resource(r175);
    expect(texts(res, `datacite:rights[@rightsURI="${OPEN_ACCESS}"]`)).toEqual(['open access']);
    expect(texts(res, `oaire:licenseCondition[@uri="${CC_BY}"]`)).toEqual(['Creative Commons Attribution 4.0 International']);
    expect(texts(resource(noLicense), 'datacite:rights')).toEqual(['metadata only access']);
  });

  it('invents nothing: no DOI, volume, ISSN, publisher or licence where unknown', () => {
    for (const r of [r39, r175, noLicense]) {
      const res = resource(r);
      expect(all(res, 'datacite:identifier[@identifierType="DOI"] | datacite:alternateIdentifiers | datacite:relatedIdentifiers')).toHaveLength(0);
      expect(all(res, 'oaire:citationVolume | dc:publisher | oaire:file')).toHaveLength(0);
    }
    expect(all(resource(noLicense), 'oaire:licenseCondition')).toHaveLength(0);
    const known = resource(fullyKnown);
    expect(texts(known, 'datacite:identifier[@identifierType="DOI"]')).toEqual(['10.1234/test.58.175']);
    expect(texts(known, 'datacite:alternateIdentifiers/datacite:alternateIdentifier[@alternateIdentifierType="URL"]')).toEqual([
      `${PUBLIC_URL}/articles/58-175`,
    ]);
    expect(texts(known, 'oaire:citationVolume')).toEqual(['15']);
    expect(texts(known, 'dc:publisher[@xml:lang="fa"]')).toEqual(['ناشر (آزمایشی)']);
    expect(texts(known, 'dc:publisher[@xml:lang="en"]')).toEqual(['Publisher (test)']);
    expect(texts(known, 'datacite:relatedIdentifiers/datacite:relatedIdentifier[@relationType="IsPartOf"]')).toEqual(['1234-5679', '2345-6787']);
  });

  it('renders 58-175 as the golden file (UPDATE_GOLDEN=1 rewrites it)', () => {
    expectGolden('58-175.oai_openaire.xml', render(r175));
  });

  it('is pure: same output twice, whatever the clock, and the record is left untouched', () => {
    expectPure(oaiOpenaire, r175);
  });
});
