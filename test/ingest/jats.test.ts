import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { makeServer, oai, runAdmin } from '../support/app.js';
import { makeAdmin, tempDir, writeFile } from '../support/cli.js';

// Fixtures: a made-up journal's articles as a platform exports them (see fixtures/jats/README.md).
const FOLDER = new URL('fixtures/jats', import.meta.url).pathname;
const ARTICLE_1 = fs.readFileSync(path.join(FOLDER, 'article-1.xml'), 'utf8');

// oai() checks every response against OAI-PMH.xsd and the format's own schema; JATS's takes seconds.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

describe('a folder of JATS files of a journal the store does not hold', () => {
  const server = makeServer();
  const printed = runAdmin(server.dbPath, '2025-09-01T00:00:00Z', 'import', FOLDER);

  /** A record of the new journal in a format, as served and validated. */
  async function served(prefix: string, id = 'jsw-12-1'): Promise<string> {
    const { text, errors } = await oai(server.app, `verb=GetRecord&metadataPrefix=${prefix}&identifier=oai:repo.example.org:${id}`);
    expect(errors).toEqual([]);
    return text;
  }

  it('is added as a new journal next to the seed journal, with the facts its journal-meta states', () => {
    expect(printed).toContain('jats: 2 added, 0 changed, 0 unchanged, 0 deleted');
    expect(printed).toContain('journal added: jsw (set jsw), with the facts the file states');
    const journals = runAdmin(server.dbPath, '2025-09-01T00:00:01Z', 'journal');
    expect(journals).toMatch(/prb/);
    expect(journals).toMatch(/jsw/);
    const record = server.store.repository.getRecord('jsw-12-1')!;
    expect(record.journal).toMatchObject({ code: 'jsw', nameFa: 'فصلنامه نمونه مطالعات آب', nameEn: 'Sample Water Studies Quarterly', issnOnline: '1234-5679', publisherEn: 'Sample Press' });
    expect(record.setSpecs).toEqual(['jsw', 'jsw:12', 'openaire']);
    // The seed journal is as it was.
    expect(server.store.repository.getRecord('58-7')?.journal.code).toBe('prb');
  });

  it('maps the front matter: titles, abstracts without their headings, keywords, authors, affiliations, funding, dates, licence, links', () => {
    const record = server.store.repository.getRecord('jsw-12-1')!;
    expect(record.text.fa).toMatchObject({ title: 'آزمون: حکمرانی آب در شهرهای خشک', titleSource: 'jats/article-1.xml', abstract: 'این چکیده ساختگی برای آزمون است. بند دوم چکیده ساختگی.' });
    expect(record.text.en.title).toBe('Fixture: Water Governance in Arid Cities');
    expect(record.keywords).toEqual({ fa: ['حکمرانی آب', 'شهر خشک'], en: ['water governance', 'arid cities'] });
    expect(record.authors).toEqual([
      {
        nameFa: 'جوزایا کاربری',
        nameEn: 'Josiah Carberry',
        corresponding: true,
        orcid: 'https://orcid.org/0000-0002-1825-0097',
        affiliations: [{ nameFa: 'دانشگاه نمونه', nameEn: 'Sample University', ror: 'https://ror.org/0zzzzzz02' }],
      },
      { nameFa: null, nameEn: 'Maryam Ahmadi', corresponding: false, affiliations: [{ nameFa: null, nameEn: 'Sample Institute of Research', ror: null }] },
    ]);
    expect(record.doi).toBe('10.5555/jsw.2024.12.1');
    expect(record.landingUrl).toBe('https://journal.example.org/jsw/article/view/101');
    expect([record.pageStart, record.pageEnd, record.issue.number, record.issue.volume, record.issue.seasonFa, record.issue.datePublished, record.issue.dateSolar]).toEqual([1, 18, 12, null, null, '2024-06-04', '1403/03/15']);
    expect(record.details).toEqual({
      license: 'https://creativecommons.org/licenses/by/4.0/',
      accessRights: 'http://purl.org/coar/access_right/c_abf2',
      resourceType: null,
      dateReceived: '2024-01-10',
      dateAccepted: '2024-04-02',
      fullText: [{ url: 'https://journal.example.org/jsw/article/download/101/202', mediaType: 'application/pdf', lang: 'fa' }],
      funding: [{ funderNameFa: null, funderNameEn: 'Sample Science Foundation', funderId: 'https://doi.org/10.13039/999999999999', awardNumber: 'FX-2024-17', awardTitleFa: null, awardTitleEn: 'Sample water-governance grant' }],
    });
    const review = server.store.repository.getRecord('jsw-12-19')!;
    expect(review.details.resourceType).toBe('http://purl.org/coar/resource_type/c_dcae04bc');
    expect(review.doi).toBe('10.5555/jsw.2024.12.2');
    // The editor is no author; a Persian name without xml:lang is known by its script.
    expect(review.authors.map((a) => [a.nameFa, a.nameEn])).toEqual([['سارا نوری', null]]);
  });

  it('puts every field in each format that has a place for it, each record schema-valid', async () => {
    const dc = await served('oai_dc');
    expect(dc).toContain('<dc:rights>https://creativecommons.org/licenses/by/4.0/</dc:rights>');
    expect(dc).toContain('https://journal.example.org/jsw/article/download/101/202');

    const openaire = await served('oai_openaire');
    expect(openaire).toContain('<datacite:nameIdentifier nameIdentifierScheme="ORCID" schemeURI="https://orcid.org">https://orcid.org/0000-0002-1825-0097</datacite:nameIdentifier>');
    expect(openaire).toContain('<datacite:affiliation>Sample University</datacite:affiliation>');
    expect(openaire).toContain('<funderIdentifier funderIdentifierType="Crossref Funder ID">https://doi.org/10.13039/999999999999</funderIdentifier><awardNumber>FX-2024-17</awardNumber>');
    expect(openaire).toContain('<licenseCondition uri="https://creativecommons.org/licenses/by/4.0/">');
    expect(openaire).toContain('mimeType="application/pdf" objectType="fulltext">https://journal.example.org/jsw/article/download/101/202</file>');
    expect(await served('oai_openaire', 'jsw-12-19')).toContain('uri="http://purl.org/coar/resource_type/c_dcae04bc">review article</resourceType>');

    const datacite = await served('oai_datacite');
    expect(datacite).toContain('nameIdentifierScheme="ORCID"');
    expect(datacite).toContain('affiliationIdentifier="https://ror.org/0zzzzzz02" affiliationIdentifierScheme="ROR"');
    expect(datacite).toContain('<fundingReference><funderName>Sample Science Foundation</funderName>');
    expect(datacite).toContain('rightsURI="https://creativecommons.org/licenses/by/4.0/"');

    const jats = await served('jats');
    expect(jats).toContain('<contrib-id contrib-id-type="orcid" authenticated="false">https://orcid.org/0000-0002-1825-0097</contrib-id>');
    expect(jats).toContain('<institution-id institution-id-type="ror">https://ror.org/0zzzzzz02</institution-id>');
    expect(jats).toContain('<award-id>FX-2024-17</award-id>');
    expect(jats).toContain('<ali:license_ref>https://creativecommons.org/licenses/by/4.0/</ali:license_ref>');
    expect(jats).toContain('<self-uri xlink:href="https://journal.example.org/jsw/article/download/101/202" content-type="application/pdf" xml:lang="fa"/>');
    expect(jats).toContain('<date date-type="received" iso-8601-date="2024-01-10">');

    const mods = await served('mods');
    expect(mods).toContain('<nameIdentifier type="orcid">https://orcid.org/0000-0002-1825-0097</nameIdentifier>');
    expect(mods).toContain('Sample University</affiliation>');
    expect(mods).toContain('xlink:href="https://creativecommons.org/licenses/by/4.0/"');
    expect(mods).toContain('note="application/pdf">https://journal.example.org/jsw/article/download/101/202</url>');

    const marc = await served('marcxml');
    expect(marc).toContain('<subfield code="u">Sample University</subfield><subfield code="4">aut</subfield><subfield code="1">https://orcid.org/0000-0002-1825-0097</subfield>');
    expect(marc).toMatch(/<datafield tag="856"[^>]*>(?:(?!<\/datafield>).)*download\/101\/202/);
    expect(marc).toContain('<datafield tag="540"');
    expect(marc).toContain('<datafield tag="536" ind1=" " ind2=" "><subfield code="a">Sample Science Foundation</subfield><subfield code="c">FX-2024-17</subfield>');
  });

  it('shows them on the landing page and in its citation tags', async () => {
    const page = await request(server.app).get('/articles/jsw-12-1');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<meta name="citation_author_orcid" content="https://orcid.org/0000-0002-1825-0097">');
    expect(page.text).toContain('<meta name="citation_author_institution" content="Sample University">');
    expect(page.text).toContain('<meta name="citation_pdf_url" content="https://journal.example.org/jsw/article/download/101/202">');
  });

  it('is idempotent: the same folder again changes nothing', () => {
    expect(runAdmin(server.dbPath, '2025-09-02T00:00:00Z', 'import', FOLDER)).toContain('jats: 0 added, 0 changed, 2 unchanged, 0 deleted');
  });
});

describe('JATS of an issue numbered within its volume', () => {
  const server = makeServer();
  const TWO_SEASONS = new URL('fixtures/two-seasons-toc.txt', import.meta.url).pathname;
  runAdmin(server.dbPath, '2025-09-01T00:00:00Z', 'import', TWO_SEASONS, '--journal', 'mcs');
  const dir = tempDir('jats-volume-');
  // The fixture's article, moved to volume 3 number 1 of journal mcs (serial 5 in its table of contents), without pages.
  const file = writeFile(
    dir,
    'note.xml',
    ARTICLE_1.replace('jsw</journal-id>', 'mcs</journal-id>')
      .replace('<issue>12</issue>', '<volume>3</volume><issue>1</issue>')
      .replace('<fpage>1</fpage>', '')
      .replace('<lpage>18</lpage>', '')
      .replace('<article-id pub-id-type="doi">10.5555/jsw.2024.12.1</article-id>', ''),
  );

  it('joins the stored issue, and without pages or DOI is found again by its title', () => {
    expect(runAdmin(server.dbPath, '2025-09-02T00:00:00Z', 'import', file)).toContain('note.xml: 1 added');
    const record = server.store.repository.getRecord('mcs-5-n4')!;
    expect([record.issue.number, record.issue.volume, record.issue.numberInVolume, record.issue.seasonFa]).toEqual([5, 3, 1, 'پاییز و زمستان']);
    // The issue keeps the date its table of contents printed.
    expect(record.issue.dateSolar).toBe('1401/12/25');
    expect(runAdmin(server.dbPath, '2025-09-03T00:00:00Z', 'import', file)).toContain('note.xml: 0 added, 0 changed, 1 unchanged');
  });
});

describe('JATS that cannot be read', () => {
  const admin = makeAdmin();
  admin.run('list');
  const dir = tempDir('jats-bad-');

  /** Imports one edited copy of the fixture; the import must fail and leave the store as it was. */
  function refused(edit: (xml: string) => string, name = 'bad.xml'): string {
    const before = admin.snapshot();
    const file = writeFile(dir, name, edit(ARTICLE_1));
    const run = admin.run('import', file);
    expect(run.code).toBe(1);
    expect(admin.snapshot()).toBe(before);
    fs.rmSync(file);
    return run.err;
  }

  it('refuses a file that is not well-formed, naming the file and line', () => {
    expect(refused((x) => x.replace('</fpage>', '</page>'))).toMatch(/bad\.xml:\d+: xml: not well-formed XML: .*(mismatch|fpage)/);
    expect(refused((x) => x.replace('2024 The Authors', '2024&nbsp;The Authors'))).toContain('bad.xml:');
  });

  it('refuses a wrong identifier, naming the element', () => {
    expect(refused((x) => x.replace('0000-0002-1825-0097', '0000-0002-1825-0098'))).toContain(
      'bad.xml:30: front/article-meta/contrib-group/contrib[1]/contrib-id: "https://orcid.org/0000-0002-1825-0098" is no ORCID iD',
    );
    expect(refused((x) => x.replace('https://ror.org/0zzzzzz02', 'https://ror.org/0zzzzzz03'))).toContain('institution-id: "https://ror.org/0zzzzzz03" is no ROR id');
    expect(refused((x) => x.replace('<issn pub-type="epub">1234-5679', '<issn pub-type="epub">1234-5678'))).toContain('front/journal-meta/issn: "1234-5678" is no ISSN');
    expect(refused((x) => x.replace('10.13039/999999999999', '10.5555/999'))).toContain('is no Crossref Funder ID');
  });

  it('refuses what the repository cannot keep rather than drop it', () => {
    expect(refused((x) => x.replace('<trans-abstract xml:lang="en">', '<trans-abstract xml:lang="ar">'))).toContain('front/article-meta/trans-abstract: is in ar: the repository holds Persian and English text only');
    expect(refused((x) => x.replace('<lpage>18</lpage>', ''))).toContain('fpage: a first page without <lpage>');
    expect(refused((x) => x.replace('<issue>12</issue>', '<volume>4</volume><issue>2</issue>'))).toContain(
      'issue: volume 4 number 2 of journal jsw is not in the store, and the file gives no serial number',
    );
    expect(refused((x) => x.replace(/<article /, '<articl ').replace('</article>', '</articl>'))).toContain('is <articl>, not a JATS <article>');
    expect(refused((x) => x.replace('jsw</journal-id>', 'Sample Water J.</journal-id>'))).toContain('journal-meta/journal-id: «Sample Water J.»: a journal code is 2 to 16 lowercase ASCII letters');
  });

  it('refuses a whole folder when one file is bad, naming that file', () => {
    const folder = tempDir('jats-folder-');
    fs.copyFileSync(path.join(FOLDER, 'article-1.xml'), path.join(folder, 'a.xml'));
    writeFile(folder, 'b.xml', ARTICLE_1.replace('<fpage>1</fpage>', '<fpage>x</fpage>'));
    const before = admin.snapshot();
    const run = admin.run('import', folder);
    expect([run.code, run.err]).toEqual([1, expect.stringMatching(/b\.xml:\d+: front\/article-meta\/fpage: "x" is not a number/)]);
    expect(admin.snapshot()).toBe(before);
  });

  it('refuses a file whose ISSN contradicts the journal its journal-id names', () => {
    expect(admin.run('import', FOLDER).code).toBe(0);
    expect(refused((x) => x.replaceAll('1234-5679', '2345-6787'))).toContain('journal-meta/issn: the file gives ISSN 2345-6787, but journal jsw has 1234-5679');
  });
});
