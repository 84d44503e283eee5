import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { FORMATS } from '../../src/formats/registry.js';
import { syncFormatVersions } from '../../src/store/formats.js';
import { nextDatestamp } from '../../src/store/import.js';
import { journalCoverage } from '../../src/store/quality.js';
import { makeServer, oai, runAdmin } from '../support/app.js';
import { storeCodecs } from '../support/fragments.js';

// Fixtures: the articles, persons, institutions, funder and grant are made up for these tests. The
// ORCID iD is ORCID's own documented sample (a fictitious person); the ROR id 0zzzzzz02 and the
// Funder ID 10.13039/999999999999 are built to pass their checks and name no organisation.
const RICH = new URL('../ingest/fixtures/rich-articles.jsonl', import.meta.url).pathname;
const RICH_SHEET = new URL('../ingest/fixtures/rich-sheet.csv', import.meta.url).pathname;

vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

describe('records with ORCID iDs, affiliations, funding, a licence and full text', () => {
  const server = makeServer();
  runAdmin(server.dbPath, '2025-09-01T00:00:00Z', 'journal', 'add', 'rik', '--name-fa', 'فصلنامه نمونه غنی', '--name-en', 'Rich Sample Quarterly', '--issn-online', '2345-6787');
  runAdmin(server.dbPath, '2025-09-01T00:00:01Z', 'import', RICH, '--journal', 'rik');

  /** The first record of the journal in a format, as served (validated against its schemas by oai()). */
  async function served(prefix: string): Promise<string> {
    const { text, errors } = await oai(server.app, `verb=GetRecord&metadataPrefix=${prefix}&identifier=oai:repo.example.org:rik-7-1`);
    expect(errors).toEqual([]);
    return text;
  }

  it('oai_openaire: nameIdentifier, affiliation, fundingReference, licenseCondition, file, resourceType, dates', async () => {
    const xml = await served('oai_openaire');
    expect(xml).toContain('<datacite:nameIdentifier nameIdentifierScheme="ORCID" schemeURI="https://orcid.org">https://orcid.org/0000-0002-1825-0097</datacite:nameIdentifier>');
    expect(xml).toContain('<datacite:affiliation>Sample University</datacite:affiliation>');
    expect(xml).toContain('<fundingReference><funderName>Sample Science Foundation</funderName><funderIdentifier funderIdentifierType="Crossref Funder ID">https://doi.org/10.13039/999999999999</funderIdentifier><awardNumber>FX-2024-17</awardNumber><awardTitle>Sample water-policy grant</awardTitle></fundingReference>');
    expect(xml).toContain('<licenseCondition uri="https://creativecommons.org/licenses/by/4.0/">Creative Commons Attribution 4.0 International</licenseCondition>');
    expect(xml).toContain('<file accessRightsURI="http://purl.org/coar/access_right/c_abf2" mimeType="application/pdf" objectType="fulltext">https://journal.example.org/rik/7/1.pdf</file>');
    expect(xml).toContain('<resourceType resourceTypeGeneral="literature" uri="http://purl.org/coar/resource_type/c_2df8fbb1">research article</resourceType>');
    expect(xml).toContain('<datacite:date dateType="Submitted">2024-01-10</datacite:date><datacite:date dateType="Accepted">2024-04-02</datacite:date>');
    expect(xml).toContain('<datacite:rights rightsURI="http://purl.org/coar/access_right/c_abf2">open access</datacite:rights>');
  });

  it('oai_datacite: nameIdentifier, affiliation with its ROR id, fundingReference, rightsList', async () => {
    const xml = await served('oai_datacite');
    expect(xml).toContain('<nameIdentifier nameIdentifierScheme="ORCID" schemeURI="https://orcid.org">https://orcid.org/0000-0002-1825-0097</nameIdentifier>');
    expect(xml).toContain('<affiliation affiliationIdentifier="https://ror.org/0zzzzzz02" affiliationIdentifierScheme="ROR" schemeURI="https://ror.org">Sample University</affiliation>');
    expect(xml).toContain('<fundingReference><funderName>Sample Science Foundation</funderName><funderIdentifier funderIdentifierType="Crossref Funder ID">https://doi.org/10.13039/999999999999</funderIdentifier><awardNumber>FX-2024-17</awardNumber><awardTitle xml:lang="en">Sample water-policy grant</awardTitle></fundingReference>');
    expect(xml).toContain('rightsURI="https://creativecommons.org/licenses/by/4.0/"');
    expect(xml).toContain('<resourceType resourceTypeGeneral="JournalArticle">research article</resourceType>');
  });

  it('jats: contrib-id, aff with institution-id, funding-group, permissions, self-uri, history', async () => {
    const xml = await served('jats');
    expect(xml).toContain('<contrib-id contrib-id-type="orcid" authenticated="false">https://orcid.org/0000-0002-1825-0097</contrib-id>');
    expect(xml).toContain('<aff><institution-wrap><institution-id institution-id-type="ror">https://ror.org/0zzzzzz02</institution-id><institution xml:lang="fa">دانشگاه نمونه</institution><institution xml:lang="en">Sample University</institution></institution-wrap></aff>');
    expect(xml).toContain('<funding-group><award-group><funding-source><institution-wrap><institution xml:lang="en">Sample Science Foundation</institution><institution-id institution-id-type="doi">https://doi.org/10.13039/999999999999</institution-id></institution-wrap></funding-source><award-id>FX-2024-17</award-id><award-name xml:lang="en">Sample water-policy grant</award-name></award-group></funding-group>');
    expect(xml).toContain('<permissions><ali:free_to_read/><license xlink:href="https://creativecommons.org/licenses/by/4.0/"><ali:license_ref>https://creativecommons.org/licenses/by/4.0/</ali:license_ref></license></permissions>');
    expect(xml).toContain('<self-uri xlink:href="https://journal.example.org/rik/7/1.pdf" content-type="application/pdf" xml:lang="fa"/>');
    expect(xml).toContain('<history><date date-type="received" iso-8601-date="2024-01-10"><day>10</day><month>01</month><year>2024</year></date><date date-type="accepted" iso-8601-date="2024-04-02">');
    expect(xml).toContain('article-type="research-article"');
  });

  it('mods: nameIdentifier, affiliation, accessCondition, location/url, genre', async () => {
    const xml = await served('mods');
    expect(xml).toContain('<nameIdentifier type="orcid">https://orcid.org/0000-0002-1825-0097</nameIdentifier>');
    expect(xml).toContain('<affiliation lang="eng" xml:lang="en" script="Latn">Sample University</affiliation>');
    expect(xml).toContain('<affiliation lang="per" xml:lang="fa" script="Arab">دانشگاه نمونه</affiliation>');
    expect(xml).toContain('<url access="raw object" note="application/pdf">https://journal.example.org/rik/7/1.pdf</url>');
    expect(xml).toContain('<accessCondition xmlns:xlink="http://www.w3.org/1999/xlink" type="use and reproduction" xlink:href="https://creativecommons.org/licenses/by/4.0/">Creative Commons Attribution 4.0 International</accessCondition>');
    expect(xml).toContain('type="restriction on access" xlink:href="http://purl.org/coar/access_right/c_abf2">open access</accessCondition>');
    expect(xml).toContain('valueURI="http://purl.org/coar/resource_type/c_2df8fbb1">research article</genre>');
  });

  it('marcxml: 100/700 $u $1, 856, 540, 536', async () => {
    const xml = (await served('marcxml')).replace(/<subfield code="(\w)">/g, '$$$1 ').replace(/<\/subfield>/g, ' ');
    expect(xml).toContain('$a Josiah Carberry $e author $e corresponding author $u Sample University $4 aut $1 https://orcid.org/0000-0002-1825-0097');
    expect(xml).toContain('$a Maryam Ahmadi $e author $u Sample Institute of Research $4 aut');
    expect(xml).toContain('<datafield tag="536" ind1=" " ind2=" ">$a Sample Science Foundation $c FX-2024-17 </datafield>');
    expect(xml).toContain('<datafield tag="540" ind1=" " ind2=" ">$a Creative Commons Attribution 4.0 International $u https://creativecommons.org/licenses/by/4.0/ </datafield>');
    expect(xml).toContain('<datafield tag="856" ind1="4" ind2="0">$3 Full text $u https://journal.example.org/rik/7/1.pdf $q application/pdf </datafield>');
  });

  it('oai_dc: dc:rights and dc:relation', async () => {
    const xml = await served('oai_dc');
    expect(xml).toContain('<dc:relation>https://journal.example.org/rik/7/1.pdf</dc:relation><dc:rights>https://creativecommons.org/licenses/by/4.0/</dc:rights>');
    expect(xml).not.toContain('orcid.org');
  });

  it('shows them on the landing page, with the citation tags Scholar reads', async () => {
    const page = await request(server.app).get('/articles/rik-7-1');
    expect(page.status).toBe(200);
    expect(page.text).toContain(
      '<meta name="citation_author" content="Josiah Carberry" lang="en">\n<meta name="citation_author" content="جوزایا کاربری" lang="fa">\n<meta name="citation_author_institution" content="Sample University">\n<meta name="citation_author_orcid" content="https://orcid.org/0000-0002-1825-0097">',
    );
    expect(page.text).toContain('<meta name="citation_pdf_url" content="https://journal.example.org/rik/7/1.pdf">');
    for (const row of ['ORCID iDs', 'Affiliations', 'Licence', 'Type', 'Received, accepted', 'Full text', 'Funding']) expect(page.text).toContain(`<dt>${row}</dt>`);
    // The seed's records have none of these fields: their pages show none of these rows.
    const seed = await request(server.app).get('/articles/58-7');
    for (const row of ['ORCID iDs', 'Affiliations', 'Full text', 'Funding']) expect(seed.text).not.toContain(`<dt>${row}</dt>`);
    expect(seed.text).not.toContain('citation_author_orcid');
  });

  it('check and /quality count, per journal, the records that lack ORCID iDs, affiliations, a licence or full text', async () => {
    const coverage = journalCoverage(server.store.db);
    expect(coverage.find((c) => c.journal === 'rik')).toEqual({
      journal: 'rik',
      records: 2,
      // Its second author has no ORCID iD.
      withoutOrcid: ['rik-7-1'],
      withoutAffiliation: ['rik-7-19'],
      withoutLicense: ['rik-7-19'],
      withoutFullText: [],
    });
    const seed = coverage.find((c) => c.journal === 'prb');
    expect([seed?.records, seed?.withoutOrcid.length, seed?.withoutAffiliation.length, seed?.withoutLicense.length, seed?.withoutFullText.length]).toEqual([8, 8, 8, 8, 8]);
    const page = await request(server.app).get('/quality');
    expect(page.text).toContain('What aggregators rank first, per journal');
    expect(page.text).toContain('<a href="/articles/rik-7-19"><code>rik-7-19</code></a>');
  });

  it.each([...FORMATS.keys()])('%s: every record of the journal is schema-valid', async (prefix) => {
    const { errors } = await oai(server.app, `verb=ListRecords&metadataPrefix=${prefix}&set=rik`);
    expect(errors).toEqual([]);
  });
});

describe('the same fields from a spreadsheet', () => {
  it('give the same record as from JSON Lines', () => {
    const sheet = makeServer();
    runAdmin(sheet.dbPath, '2025-09-01T00:00:00Z', 'journal', 'add', 'rik', '--name-fa', 'فصلنامه نمونه غنی', '--name-en', 'Rich Sample Quarterly', '--issn-online', '2345-6787');
    runAdmin(sheet.dbPath, '2025-09-01T00:00:01Z', 'import', RICH_SHEET);
    const lines = makeServer();
    runAdmin(lines.dbPath, '2025-09-01T00:00:00Z', 'journal', 'add', 'rik', '--name-fa', 'فصلنامه نمونه غنی', '--name-en', 'Rich Sample Quarterly', '--issn-online', '2345-6787');
    runAdmin(lines.dbPath, '2025-09-01T00:00:01Z', 'import', RICH, '--journal', 'rik');
    const fromSheet = sheet.store.repository.getRecord('rik-7-1')!;
    const fromLines = lines.store.repository.getRecord('rik-7-1')!;
    expect(fromSheet.details).toEqual(fromLines.details);
    expect(fromSheet.authors).toEqual(fromLines.authors);
    expect(fromSheet.details.funding[0]?.funderId).toBe('https://doi.org/10.13039/999999999999');
  });
});

describe("the seed journal's records, under the formats' new versions", () => {
  it('render byte for byte as under the versions before them: no record is re-stamped', () => {
    const server = makeServer();
    const db = new Database(server.dbPath);
    const stored = () => storeCodecs(db).prepare('SELECT article_id, prefix, xml((SELECT h.head FROM fragment_head h WHERE h.id = fragment.head), deflated) AS xml FROM fragment ORDER BY article_id, prefix').all();
    const before = stored();
    // As a store written by the code before these fields: every format at version 1.
    db.prepare('UPDATE format_version SET version = 1').run();
    const context = { publicUrl: server.config.publicUrl, repositoryIdentifier: server.config.repositoryIdentifier };
    const restamps = syncFormatVersions(db, FORMATS.values(), context, (previous) => nextDatestamp(new Date('2030-01-01T00:00:00Z'), previous));
    expect(restamps.map((r) => r.records)).toEqual(restamps.map(() => 0));
    expect(restamps.map((r) => r.prefix).sort()).toEqual(['jats', 'marcxml', 'mods', 'oai_datacite', 'oai_dc', 'oai_openaire']);
    expect(stored()).toEqual(before);
    db.close();
  });
});

describe('keeping and correcting them', () => {
  const server = makeServer();
  const admin = (at: string, ...argv: string[]) => runAdmin(server.dbPath, at, ...argv);
  admin('2025-09-01T00:00:00Z', 'journal', 'add', 'rik', '--name-fa', 'فصلنامه نمونه غنی', '--name-en', 'Rich Sample Quarterly');
  admin('2025-09-01T00:00:01Z', 'import', RICH, '--journal', 'rik');

  it('a source that gives no ORCID iDs or affiliations (a table of contents) keeps the stored ones', () => {
    const line = `{"id": "rik-7-1", "issue": {"number": 7}, "pages": "1-18", "authors": [{"fa": "جوزایا کاربری", "en": "Josiah Carberry", "corresponding": true}, {"fa": "مریم احمدی", "en": "Maryam Ahmadi"}]}`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rich-'));
    fs.writeFileSync(path.join(dir, 'plain.jsonl'), `${line}\n`);
    expect(admin('2025-09-02T00:00:00Z', 'import', path.join(dir, 'plain.jsonl'), '--journal', 'rik')).toContain('0 added, 0 changed, 1 unchanged');
    expect(server.store.repository.getRecord('rik-7-1')?.authors[0]?.orcid).toBe('https://orcid.org/0000-0002-1825-0097');
  });

  it('set corrects an ORCID iD, the licence, the access rights, the type and the dates', () => {
    expect(admin('2025-09-03T00:00:00Z', 'set', 'rik-7-19', 'orcid', '--author', '1', '--clear')).toContain('authors changed');
    expect(server.store.repository.getRecord('rik-7-19')?.authors[0]).not.toHaveProperty('orcid');
    expect(admin('2025-09-03T00:00:01Z', 'set', 'rik-7-19', 'orcid', '--author', '1', 'https://orcid.org/0000-0002-1694-233X')).toContain('authors changed');
    expect(admin('2025-09-03T00:00:02Z', 'set', 'rik-7-19', 'license', 'https://creativecommons.org/licenses/by-nc/4.0/')).toContain('license changed');
    expect(admin('2025-09-03T00:00:03Z', 'set', 'rik-7-19', 'access-rights', 'embargoed')).toContain('accessRights changed');
    expect(admin('2025-09-03T00:00:04Z', 'set', 'rik-7-19', 'received', '2024-02-01')).toContain('dateReceived changed');
    const record = server.store.repository.getRecord('rik-7-19')!;
    expect(record.authors[0]?.orcid).toBe('https://orcid.org/0000-0002-1694-233X');
    expect(record.details).toMatchObject({ license: 'https://creativecommons.org/licenses/by-nc/4.0/', accessRights: 'http://purl.org/coar/access_right/c_f1cf', dateReceived: '2024-02-01' });
    expect(() => admin('2025-09-03T00:00:05Z', 'set', 'rik-7-19', 'orcid', '--author', '1', '0000-0002-1694-2330')).toThrow(/orcid/);
    expect(() => admin('2025-09-03T00:00:05Z', 'set', 'rik-7-19', 'received', '2024-02-30')).toThrow(/received/);
  });
});
