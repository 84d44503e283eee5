import fs from 'node:fs';
import request from 'supertest';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { FORMATS } from '../../src/formats/registry.js';
import { validIssn } from '../../src/store/journal.js';
import { checkQuality } from '../../src/store/quality.js';
import { makeServer, oai, REPOSITORY_ID, runAdmin } from '../support/app.js';
import { makeAdmin, tempDir, writeFile } from '../support/cli.js';
import { nodes, texts } from '../support/xml.js';

// Every format's schema is compiled for the harvests below; JATS's alone takes seconds.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const fixture = (name: string) => new URL(`../ingest/fixtures/${name}`, import.meta.url).pathname;
const SHEET = fixture('sample-sheet.csv');
const VOLUME_TITLES = fixture('volume-titles-toc.txt');
const TWO_SEASONS = fixture('two-seasons-toc.txt');
const local = (identifier: string) => identifier.replace(`oai:${REPOSITORY_ID}:`, '');

interface Header {
  id: string;
  datestamp: string;
  sets: string[];
}

/** Every header of a list, following resumption tokens; each response is schema-checked by oai(). */
async function headers(server: ReturnType<typeof makeServer>, query: string): Promise<Header[]> {
  const all: Header[] = [];
  let q = `verb=ListIdentifiers&metadataPrefix=oai_dc${query}`;
  for (;;) {
    const page = await oai(server.app, q);
    if (page.errors.includes('noRecordsMatch')) return all;
    expect(page.errors).toEqual([]);
    for (const h of nodes(page.doc, '//oai:header')) {
      all.push({ id: local(texts(h, 'oai:identifier')[0] ?? ''), datestamp: texts(h, 'oai:datestamp')[0] ?? '', sets: texts(h, 'oai:setSpec') });
    }
    const token = nodes(page.doc, '//oai:resumptionToken')[0]?.textContent ?? '';
    if (token === '') return all;
    q = `verb=ListIdentifiers&resumptionToken=${encodeURIComponent(token)}`;
  }
}

/** The records of a full ListRecords harvest in one format; oai() validates each page and each record against its schemas. */
async function harvestIds(server: ReturnType<typeof makeServer>, prefix: string, set = ''): Promise<string[]> {
  const ids: string[] = [];
  let q = `verb=ListRecords&metadataPrefix=${prefix}${set === '' ? '' : `&set=${set}`}`;
  for (;;) {
    const page = await oai(server.app, q);
    if (page.errors.includes('noRecordsMatch')) return ids;
    expect(page.errors).toEqual([]);
    ids.push(...texts(page.doc, '//oai:record[oai:metadata]/oai:header/oai:identifier').map(local));
    const token = nodes(page.doc, '//oai:resumptionToken')[0]?.textContent ?? '';
    if (token === '') return ids;
    q = `verb=ListRecords&resumptionToken=${encodeURIComponent(token)}`;
  }
}

const SEED_IDS = ['58-7', '58-39', '58-67', '58-89', '58-113', '58-141', '58-175', '58-197'];
const JIR_IDS = ['jir-22-1', 'jir-22-25', 'jir-22-49'];
const GPS_IDS = ['gps-22-1', 'gps-22-25', 'gps-22-49'];
const CUL_IDS = ['cul-5-1', 'cul-5-19', 'cul-5-n3'];

describe('journals added next to the seed journal, from a spreadsheet and two tables of contents', () => {
  const server = makeServer({ OAI_PAGE_SIZE_RECORDS: '4', OAI_PAGE_SIZE_IDENTIFIERS: '5' });
  const admin = (at: string, ...argv: string[]) => runAdmin(server.dbPath, at, ...argv);
  let seedBefore: Header[] = [];
  const landing: Record<string, string> = {};
  const printed: string[] = [];

  beforeAll(async () => {
    seedBefore = await headers(server, '');
    for (const id of SEED_IDS) landing[id] = (await request(server.app).get(`/articles/${id}`)).text;
    printed.push(
      admin('2025-08-01T00:00:00Z', 'journal', 'add', 'jir', '--name-fa', 'فصلنامه نمونه مطالعات ایران', '--name-en', 'Iran Studies Sample Quarterly', '--issn-online', '2345-6787'),
      admin('2025-08-01T00:00:10Z', 'import', SHEET),
      admin('2025-08-01T00:00:20Z', 'import', VOLUME_TITLES, '--journal', 'gps'),
      admin('2025-08-01T00:00:30Z', 'import', TWO_SEASONS, '--journal', 'cul'),
    );
  });

  it('adds each journal and prints the usual summary', () => {
    expect(printed[1]).toContain('sample-sheet.csv: 3 added, 0 changed, 0 unchanged, 0 deleted');
    expect(printed[2]).toContain('volume-titles-toc.txt: 3 added, 0 changed, 0 unchanged, 0 deleted');
    expect(printed[2]).toContain('journal added: gps');
    expect(printed[3]).toContain('journal added: cul');
    const list = admin('2025-08-01T00:01:00Z', 'journal');
    expect(list.split('\n').map((l) => l.split(/\s+/)[0])).toEqual(['prb', 'jir', 'gps', 'cul']);
    expect(list).toContain('فصلنامه پژوهش‌های سیاست جهانی');
  });

  it("leaves the seed journal's identifiers, set specs, datestamps and landing pages as they were", async () => {
    const all = await headers(server, '');
    const seedAfter = all.filter((h) => SEED_IDS.includes(h.id));
    expect(seedAfter).toEqual(seedBefore);
    for (const id of SEED_IDS) expect((await request(server.app).get(`/articles/${id}`)).text).toBe(landing[id]);
    expect(all.map((h) => h.id).sort()).toEqual([...SEED_IDS, ...JIR_IDS, ...GPS_IDS, ...CUL_IDS].sort());
  });

  it('gives each journal a set, with its issues below it, and a harvest by set returns exactly its records', async () => {
    const byJournal: Array<[string, string[]]> = [
      ['prb', SEED_IDS],
      ['issue', SEED_IDS],
      ['issue:58', SEED_IDS],
      ['jir', JIR_IDS],
      ['jir:22', JIR_IDS],
      ['gps', GPS_IDS],
      ['gps:22', GPS_IDS],
      ['cul', CUL_IDS],
      ['cul:5', CUL_IDS],
    ];
    for (const [set, ids] of byJournal) expect((await headers(server, `&set=${set}`)).map((h) => h.id).sort(), set).toEqual([...ids].sort());
    const gps = (await headers(server, '&set=gps'))[0];
    expect(gps?.sets).toEqual(['gps', 'gps:22']);
  });

  it('names the sets in both languages, with ASCII specs', async () => {
    const page = await oai(server.app, 'verb=ListSets');
    const specs = texts(page.doc, '//oai:set/oai:setSpec');
    expect(specs).toEqual(expect.arrayContaining(['prb', 'prb:58', 'issue', 'issue:58', 'jir', 'jir:22', 'gps', 'gps:22', 'cul', 'cul:5', 'openaire']));
    for (const spec of specs) expect(spec).toMatch(/^[A-Za-z0-9_.!~*'()-]+(:[A-Za-z0-9_.!~*'()-]+)*$/);
    const gps = nodes(page.doc, '//oai:set').find((s) => texts(s, 'oai:setSpec')[0] === 'gps:22');
    expect(texts(gps!, 'oai:setName')[0]).toContain('فصلنامه پژوهش‌های سیاست جهانی');
    expect(page.text).toContain('volume 11 number 2');
  });

  it.each([...FORMATS.keys()])('%s: every record of every journal the format can carry is schema-valid', async (prefix) => {
    const format = FORMATS.get(prefix)!;
    const expected = [...SEED_IDS, ...JIR_IDS, ...GPS_IDS, ...CUL_IDS].filter((id) => format.canDisseminate(server.store.repository.getRecord(id)!));
    expect((await harvestIds(server, prefix)).sort()).toEqual(expected.sort());
  });

  it('carries the volume, the number within it, single pages, and no pages where none are known', () => {
    const gps = server.store.repository.getRecord('gps-22-1')!;
    expect(gps.issue).toMatchObject({ number: 22, volume: 11, numberInVolume: 2, seasonEn: 'Spring and Summer', datePublished: '2023-09-22' });
    expect(gps.text.fa.title).toBe('همکاری منطقه‌ای در آسیای مرکزی پس از 2020');
    expect(gps.text.en.titleSource).toBe('volume-titles-toc.txt');
    expect(server.store.repository.getRecord('cul-5-19')).toMatchObject({ pageStart: 19, pageEnd: 19 });
    expect(server.store.repository.getRecord('cul-5-n3')).toMatchObject({ pageStart: null, pageEnd: null });
    // The quality report says so, as a note, and checks the pages of each journal's issues apart.
    const findings = checkQuality(server.store.db).filter((f) => f.field === 'pages');
    expect(findings).toEqual([{ id: 'cul-5-n3', field: 'pages', lang: null, severity: 'note', message: 'no pages: the source does not print them', text: { code: 'noPages', params: {} } }]);
  });

  it("names the right journal on landing pages and in citations, and the browser filters by journal", async () => {
    const page = await request(server.app).get('/articles/gps-22-1');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<meta name="citation_journal_title" content="فصلنامه پژوهش‌های سیاست جهانی" lang="fa">');
    expect(page.text).toContain('<meta name="citation_volume" content="11">');
    expect(page.text).toContain('<meta name="citation_issue" content="2">');
    const unknownPages = await request(server.app).get('/articles/cul-5-n3');
    expect(unknownPages.text).toContain('pages not known');
    expect(unknownPages.text).not.toContain('citation_firstpage');
    const browse = await request(server.app).get('/articles?journal=cul');
    const shown = [...browse.text.matchAll(/data-id="([^"]+)"/g)].map((m) => m[1]);
    expect(shown.sort()).toEqual([...CUL_IDS].sort());
    const dashboard = await request(server.app).get('/');
    for (const code of ['prb', 'jir', 'gps', 'cul']) expect(dashboard.text).toContain(`/articles?journal=${code}`);
  });

  it('is idempotent: importing the same files again changes nothing', async () => {
    const before = await headers(server, '');
    expect(admin('2025-09-01T00:00:00Z', 'import', SHEET)).toContain('0 added, 0 changed, 3 unchanged');
    expect(admin('2025-09-01T00:00:00Z', 'import', VOLUME_TITLES, '--journal', 'gps')).toContain('0 added, 0 changed, 3 unchanged');
    expect(admin('2025-09-01T00:00:00Z', 'import', TWO_SEASONS, '--journal', 'cul')).toContain('0 added, 0 changed, 3 unchanged');
    // Matched by name, with or without فصلنامه, once the store knows the journal.
    expect(admin('2025-09-01T00:00:00Z', 'import', TWO_SEASONS)).toContain('0 added, 0 changed, 3 unchanged');
    expect(await headers(server, '')).toEqual(before);
  });

  it("re-stamps only that journal's records when a journal fact changes", async () => {
    const before = await headers(server, '');
    expect(admin('2025-10-01T00:00:00Z', 'journal', '--journal', 'gps', 'license', 'https://creativecommons.org/licenses/by/4.0/')).toBe('license set; 3 records re-stamped');
    const after = await headers(server, '');
    const moved = after.filter((h) => before.find((b) => b.id === h.id)?.datestamp !== h.datestamp).map((h) => h.id);
    expect(moved.sort()).toEqual([...GPS_IDS].sort());
  });
});

describe('journal commands and imports that are refused', () => {
  const admin = makeAdmin();
  admin.run('check');

  it('checks codes and ISSN check digits', () => {
    expect(validIssn('2345-6787')).toBe(true);
    expect(validIssn('0317-8471')).toBe(true);
    expect(validIssn('2345-6788')).toBe(false);
    const badIssn = admin.run('journal', 'add', 'abc', '--name-fa', 'نشریه آزمون', '--issn-print', '2345-6788');
    expect([badIssn.code, badIssn.err]).toEqual([2, expect.stringContaining('check digit')]);
    expect(admin.run('journal', 'add', 'Bad Code', '--name-fa', 'نشریه آزمون').code).toBe(2);
    expect(admin.run('journal', 'add', 'issue', '--name-fa', 'نشریه آزمون').code).toBe(2);
    expect(admin.run('journal', 'add', 'abc').code).toBe(2);
    expect(admin.run('journal', 'add', 'prb', '--name-fa', 'نشریه آزمون').code).toBe(1);
  });

  it('asks which journal once there are several, and refuses what would mean the wrong one', () => {
    expect(admin.run('journal', 'add', 'jir', '--name-fa', 'فصلنامه نمونه مطالعات ایران').code).toBe(0);
    const ambiguous = admin.run('journal', 'name-en', 'Some Name');
    expect([ambiguous.code, ambiguous.err]).toEqual([2, expect.stringContaining('--journal <code>')]);
    const before = admin.snapshot();
    // A table of contents of a journal the store does not hold, without a code for it.
    const unknown = admin.run('import', TWO_SEASONS);
    expect([unknown.code, unknown.err]).toEqual([1, expect.stringContaining('two-seasons-toc.txt:1: journal: no journal of the store is «نشریه مطالعات فرهنگی معاصر»')]);
    // A document of one journal given another journal's code.
    const wrong = admin.run('import', TWO_SEASONS, '--journal', 'jir');
    expect([wrong.code, wrong.err]).toEqual([1, expect.stringContaining('journal jir is «فصلنامه نمونه مطالعات ایران»')]);
    // A sheet for a journal nobody added, and a sheet contradicting --journal.
    const dir = tempDir();
    const sheet = fs.readFileSync(SHEET, 'utf8').replaceAll('\njir,', '\nxyz,');
    const missing = admin.run('import', writeFile(dir, 'xyz.csv', sheet));
    expect([missing.code, missing.err]).toEqual([1, expect.stringContaining('the store has no journal xyz: add it first')]);
    const contradicting = admin.run('import', SHEET, '--journal', 'prb');
    expect([contradicting.code, contradicting.err]).toEqual([1, expect.stringContaining('the file is for journal jir, but --journal says prb')]);
    expect(admin.snapshot()).toBe(before);
    // A new code for a journal the store holds under another one.
    const twice = admin.run('import', VOLUME_TITLES, '--journal', 'gps');
    expect(twice.code).toBe(0);
    const again = admin.snapshot();
    const renamed = admin.run('import', VOLUME_TITLES, '--journal', 'pgs');
    expect([renamed.code, renamed.err]).toEqual([1, expect.stringContaining('«فصلنامه پژوهش‌های سیاست جهانی» is journal gps already: import it with --journal gps')]);
    expect(admin.snapshot()).toBe(again);
    // JSON Lines say no journal: with several in the store, --journal does.
    const line = `{"issue": {"number": 23, "season": "پاییز", "year": 1402}, "pages": "1-9", "title": {"en": "A Sample"}}`;
    const jsonl = writeFile(dir, 'more.jsonl', `${line}\n`);
    expect(admin.run('import', jsonl).err).toContain('more.jsonl:1: journal: the store holds 3 journals (prb, jir, gps): say which with --journal <code>');
    const added = admin.run('import', jsonl, '--journal', 'gps');
    expect([added.code, added.out]).toEqual([0, expect.stringContaining('added: gps-23-1')]);
    const current = admin.snapshot();
    // A malformed sheet: the file, row and column, and nothing written.
    const bad = admin.run('import', writeFile(dir, 'bad.csv', fs.readFileSync(SHEET, 'utf8').replace(',25-48,', ',25_48,')));
    expect([bad.code, bad.err]).toEqual([1, expect.stringMatching(/bad\.csv:3: pages: /)]);
    expect(admin.snapshot()).toBe(current);
  });
});
