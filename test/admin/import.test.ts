/**
 * The admin CLI's `import` command, end to end: a real SQLite file seeded from db/seed, the CLI
 * run in process with a test clock, and the result checked through the CLI (`list`/`show --json`),
 * through a full dump of the store, and through /oai over HTTP (XSD-validated).
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { oaiContext } from '../../src/context.js';
import type { ArticleRecord } from '../../src/model.js';
import { openStore } from '../../src/store/open-store.js';
import { oai } from '../support/app.js';
import { makeAdmin, SEED_TOC, SEED_TOC_PATH, tempDir, writeFile, type Admin, type CliRun } from '../support/cli.js';
import { nodes, text, texts } from '../support/xml.js';
import {
  arabicLetters,
  countLine,
  editSeed,
  ISSUE_59_TOC,
  jsonl,
  NINTH_EN,
  NINTH_FA,
  persianDigits,
  removeLines,
  seedLine,
  seedWithNinth,
} from './fixtures.js';

const SEEDED_AT = '2025-03-01T08:30:00Z';
const OAI_ID = (id: string) => `oai:repo.example.org:${id}`;
const ALL_58 = ['58-7', '58-39', '58-67', '58-89', '58-113', '58-141', '58-175', '58-197'];

const dir = tempDir('oai-import-');
/** Writes an import file into this test file's temporary folder. */
const file = (name: string, content: string | Buffer) => writeFile(dir, name, content);

/** A CLI on a fresh store, seeded (its first command seeds, at the admin clock's default time). */
function seededAdmin(): Admin {
  const admin = makeAdmin();
  const run = admin.run('list');
  if (run.code !== 0) throw new Error(`seeding failed: ${run.err}`);
  return admin;
}

/** The repository as harvesters see it, over the admin's database file. Call at describe level. */
function harvesterView(admin: Admin): App {
  const config = loadConfig({
    DATABASE_PATH: admin.dbPath,
    PUBLIC_URL: 'http://repo.example.org',
    RESUMPTION_TOKEN_SECRET: 'test-secret-of-sufficient-length',
  });
  const store = openStore(config);
  afterAll(() => store.close());
  return createApp(oaiContext(config, store, () => new Date('2026-01-01T00:00:00Z')));
}

/** One line of `list --json`. */
interface Listed {
  id: string;
  datestamp: string;
  deleted: boolean;
  pages: string;
  title: { fa: string | null; en: string | null };
}

function listed(admin: Admin): Record<string, Listed> {
  const run = admin.run('list', '--json');
  expect(run.code).toBe(0);
  const rows = run.out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Listed);
  return Object.fromEntries(rows.map((r) => [r.id, r]));
}

function datestamps(admin: Admin): Record<string, string> {
  return Object.fromEntries(Object.values(listed(admin)).map((r) => [r.id, r.datestamp]));
}

function show(admin: Admin, id: string): ArticleRecord {
  const run = admin.run('show', id, '--json');
  expect(run.code, run.err).toBe(0);
  return JSON.parse(run.out) as ArticleRecord;
}

/** Runs an import that must succeed. */
function importOk(admin: Admin, ...argv: string[]): CliRun {
  const run = admin.run('import', ...argv);
  expect(run.code, run.err).toBe(0);
  return run;
}

/** The lines of the summary's normalization list. */
function normalizationLines(run: CliRun): string[] {
  return run.out.split('\n').filter((l) => l.startsWith('  '));
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Runs an import that must be refused: exit 1, stderr names the problem first (a string location
 * `<file>:<line>: <field>:` must start the first line, after `error: `; a RegExp is matched against
 * the whole first line), says nothing was written, and the store is unchanged.
 */
function expectRefused(admin: Admin, path: string, location: string | RegExp): CliRun {
  const before = admin.snapshot();
  const run = admin.run('import', path);
  expect(run.code).toBe(1);
  expect(run.err.split('\n')[0]).toMatch(typeof location === 'string' ? new RegExp(`^error: ${escapeRe(location)} \\S`) : location);
  expect(run.err).toContain('nothing was written');
  expect(run.out).not.toMatch(/\d+ added/);
  expect(admin.snapshot()).toBe(before);
  return run;
}

/** The Solar Hijri date ICU gives for an ISO date, `YYYY/MM/DD`. */
function solarOf(isoDate: string): string {
  const parts = new Intl.DateTimeFormat('en-u-ca-persian', { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(
    new Date(`${isoDate}T00:00:00Z`),
  );
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value;
  return `${get('year')}/${get('month')}/${get('day')}`;
}

// --- 1. Idempotency -----------------------------------------------------------------------------

describe('importing the table of contents the store was seeded from', () => {
  const admin = seededAdmin();

  it('reports 8 unchanged twice and leaves every row, datestamps included, byte for byte as it was', () => {
    const before = admin.snapshot();
    admin.setNow(new Date('2025-06-01T12:00:00Z'));
    for (let i = 0; i < 2; i++) {
      const run = importOk(admin, SEED_TOC_PATH);
      expect(run.out).toContain('issue-58-toc.txt: 0 added, 0 changed, 8 unchanged, 0 deleted');
      expect(run.out).not.toContain('changed:');
    }
    expect(admin.snapshot()).toBe(before);
    expect(new Set(Object.values(datestamps(admin)))).toEqual(new Set([SEEDED_AT]));
  });

  it('says before writing how many articles it reads, and can print the summary as JSON', () => {
    expect(importOk(admin, SEED_TOC_PATH).out.split('\n')[0]).toBe('importing 8 articles from issue-58-toc.txt…');
    const json = JSON.parse(importOk(admin, SEED_TOC_PATH, '--json').out) as Record<string, unknown>;
    expect(json).toMatchObject({ dryRun: false, source: 'issue-58-toc.txt', added: [], changed: [], unchanged: ALL_58, deleted: [] });
  });
});

// --- 2. A changed field ------------------------------------------------------------------------

describe('a table of contents with one changed field', () => {
  const admin = seededAdmin();
  const app = harvesterView(admin);
  const changed = file('changed-abstract.txt', editSeed({ 54: (l) => l.replace('is inherently a unilateral', 'is essentially a unilateral') }));

  it('changes that record alone, names the field, and moves only its datestamp', () => {
    expect(fs.readFileSync(changed, 'utf8')).not.toBe(SEED_TOC);
    const before = datestamps(admin);
    admin.setNow(new Date('2025-04-01T00:00:00Z'));
    const run = importOk(admin, changed);
    expect(run.out).toContain('changed-abstract.txt: 0 added, 1 changed, 7 unchanged, 0 deleted');
    expect(run.out.split('\n').filter((l) => l.startsWith('changed:'))).toEqual(['changed: 58-89 (abstractEn)']);
    expect(datestamps(admin)).toEqual({ ...before, '58-89': '2025-04-01T00:00:00Z' });
    expect(show(admin, '58-89').text.en.abstract).toContain('is essentially a unilateral legal action');
  });

  it('is exactly what an incremental harvest from that day returns over /oai', async () => {
    const res = await oai(app, 'verb=ListIdentifiers&metadataPrefix=oai_dc&from=2025-04-01');
    expect(res.errors).toEqual([]);
    expect(texts(res.doc, '//oai:header/oai:identifier')).toEqual([OAI_ID('58-89')]);
    expect(texts(res.doc, '//oai:header/oai:datestamp')).toEqual(['2025-04-01T00:00:00Z']);
  });

  it('changes nothing when the same file is imported again', () => {
    const before = admin.snapshot();
    admin.setNow(new Date('2025-04-02T00:00:00Z'));
    expect(importOk(admin, changed).out).toContain('changed-abstract.txt: 0 added, 0 changed, 8 unchanged, 0 deleted');
    expect(admin.snapshot()).toBe(before);
  });
});

// --- 3. A new article --------------------------------------------------------------------------

describe('a table of contents with a ninth article', () => {
  const admin = seededAdmin();
  const app = harvesterView(admin);

  it('adds it as 58-219, touching none of the others', async () => {
    const before = datestamps(admin);
    admin.setNow(new Date('2025-04-10T09:00:00Z'));
    const run = importOk(admin, file('ninth.txt', seedWithNinth()));
    expect(run.out).toContain('ninth.txt: 1 added, 0 changed, 8 unchanged, 0 deleted');
    expect(run.out).toContain('added: 58-219');
    expect(datestamps(admin)).toEqual({ ...before, '58-219': '2025-04-10T09:00:00Z' });
  });

  it('serves it through GetRecord with both languages', async () => {
    const res = await oai(app, `verb=GetRecord&metadataPrefix=oai_dc&identifier=${OAI_ID('58-219')}`);
    expect(res.errors).toEqual([]);
    expect(text(res.doc, '//oai:header/oai:datestamp')).toBe('2025-04-10T09:00:00Z');
    expect(texts(res.doc, '//oai:header/oai:setSpec')).toEqual(['issue', 'issue:58', 'prb', 'prb:58']);
    expect(texts(res.doc, '//dc:creator[@xml:lang="fa"]')).toEqual(['علی رضایی', 'مریم احمدی']);
    expect(texts(res.doc, '//dc:creator[@xml:lang="en"]')).toEqual(['Ali Rezaei', 'Maryam Ahmadi']);
    expect(texts(res.doc, '//dc:subject[@xml:lang="fa"]')).toEqual(['دیپلماسی عمومی', 'سیاست خارجی', 'ایران']);
    expect(texts(res.doc, '//dc:subject[@xml:lang="en"]')).toEqual(['Public Diplomacy', 'Foreign Policy', 'Iran']);
    expect(text(res.doc, '//dc:description[@xml:lang="fa"]')).toBe(NINTH_FA[1].trim());
    expect(text(res.doc, '//dc:description[@xml:lang="en"]')).toBe(NINTH_EN[1].trim());
    expect(text(res.doc, '//dc:date')).toBe('2022-09-22');
    expect(show(admin, '58-219').authors.map((a) => a.corresponding)).toEqual([true, false]);
  });
});

// --- 4. Titles ---------------------------------------------------------------------------------

describe('the titled form of the table of contents', () => {
  const admin = seededAdmin();
  const facts = JSON.parse(fs.readFileSync(new URL('../../db/seed/facts.json', import.meta.url), 'utf8')) as {
    facts: Array<{ subject: string; field: string; lang?: string; value: string; source: string; status: string }>;
  };
  const fact = (subject: string, lang: string) => {
    const f = facts.facts.find((x) => x.subject === subject && x.field === 'title' && x.lang === lang && x.status === 'confirmed');
    if (!f) throw new Error(`no confirmed title fact for ${subject} ${lang}`);
    return f;
  };
  const fa39 = fact('issue 58 pages 39-65', 'fa');
  const en175 = fact('issue 58 pages 175-196', 'en');
  const TITLES = {
    fa7: 'روسیه و خارج نزدیک پس از جنگ قره باغ',
    en7: "Russia's Near Abroad after the Karabakh War",
    en39: 'Think Tanks and US Decisions on Iran',
    en89: 'The Transfer of the US Embassy to Jerusalem',
  };
  // A title line directly above the author line, where a title is given; the other entries have none.
  const titled = file(
    'titled.txt',
    editSeed({
      9: (l) => [TITLES.fa7, l],
      14: (l) => [fa39.value, l], // the title the store already has, from facts.json
      42: (l) => [TITLES.en7, l],
      47: (l) => [TITLES.en39, l],
      53: (l) => [TITLES.en89, l],
    }),
  );

  it('sets the titles it gives, only those, with the file as their source', () => {
    const before = datestamps(admin);
    admin.setNow(new Date('2025-05-01T00:00:00Z'));
    const run = importOk(admin, titled);
    expect(run.out).toContain('titled.txt: 0 added, 3 changed, 5 unchanged, 0 deleted');
    expect(run.out.split('\n').filter((l) => l.startsWith('changed:'))).toEqual([
      'changed: 58-7 (titleFa, titleEn)',
      'changed: 58-39 (titleEn)',
      'changed: 58-89 (titleEn)',
    ]);
    const at = '2025-05-01T00:00:00Z';
    expect(datestamps(admin)).toEqual({ ...before, '58-7': at, '58-39': at, '58-89': at });

    const r7 = show(admin, '58-7');
    expect(r7.text.fa).toMatchObject({ title: TITLES.fa7, titleSource: 'titled.txt' });
    expect(r7.text.en).toMatchObject({ title: TITLES.en7, titleSource: 'titled.txt' });
    const r39 = show(admin, '58-39');
    // Same value as stored: not a change, so the confirmed source stays.
    expect(r39.text.fa).toMatchObject({ title: fa39.value, titleSource: fa39.source });
    expect(r39.text.en).toMatchObject({ title: TITLES.en39, titleSource: 'titled.txt' });
    const r89 = show(admin, '58-89');
    expect(r89.text.fa).toMatchObject({ title: null, titleSource: null });
    expect(r89.text.en).toMatchObject({ title: TITLES.en89, titleSource: 'titled.txt' });
    const r175 = show(admin, '58-175');
    expect(r175.text.en).toMatchObject({ title: en175.value, titleSource: en175.source });
  });

  it('keeps those titles when the untitled table of contents is imported again', () => {
    const titles = Object.fromEntries(Object.values(listed(admin)).map((r) => [r.id, r.title]));
    const before = admin.snapshot();
    admin.setNow(new Date('2025-05-02T00:00:00Z'));
    expect(importOk(admin, SEED_TOC_PATH).out).toContain('issue-58-toc.txt: 0 added, 0 changed, 8 unchanged, 0 deleted');
    expect(admin.snapshot()).toBe(before);
    expect(Object.fromEntries(Object.values(listed(admin)).map((r) => [r.id, r.title]))).toEqual(titles);
    expect(show(admin, '58-7').text.en.titleSource).toBe('titled.txt');
  });
});

// --- 5. A new issue ----------------------------------------------------------------------------

describe('a table of contents of a new issue', () => {
  const admin = seededAdmin();
  const app = harvesterView(admin);

  it('adds the issue and its articles, leaving issue 58 alone', () => {
    const before = datestamps(admin);
    admin.setNow(new Date('2025-07-01T00:00:00Z'));
    const run = importOk(admin, file('issue-59-toc.txt', ISSUE_59_TOC));
    expect(run.out).toContain('issue-59-toc.txt: 2 added, 0 changed, 0 unchanged, 0 deleted');
    expect(run.out).toContain('added: 59-1 59-21');
    expect(datestamps(admin)).toEqual({ ...before, '59-1': '2025-07-01T00:00:00Z', '59-21': '2025-07-01T00:00:00Z' });
    expect(show(admin, '59-21').issue).toEqual({
      number: 59,
      volume: null,
      numberInVolume: null,
      seasonFa: 'پاییز',
      seasonEn: 'Autumn',
      yearSolar: 1401,
      dateSolar: '1401/09/30',
      datePublished: '2022-12-21',
    });
  });

  it('lists a set issue:59', async () => {
    const res = await oai(app, 'verb=ListSets');
    expect(res.errors).toEqual([]);
    expect(texts(res.doc, '//oai:set/oai:setSpec')).toEqual(expect.arrayContaining(['issue', 'issue:58', 'issue:59']));
    const set59 = nodes(res.doc, '//oai:set[oai:setSpec="issue:59"]');
    expect(set59).toHaveLength(1);
    expect(text(set59[0]!, 'oai:setName')).toContain('59');
    const members = await oai(app, 'verb=ListIdentifiers&metadataPrefix=oai_dc&set=issue:59');
    expect(texts(members.doc, '//oai:header/oai:identifier')).toEqual([OAI_ID('59-1'), OAI_ID('59-21')]);
  });

  it('dates its records 2022-12-21, the Gregorian day of 1401/09/30', async () => {
    expect(solarOf('2022-12-21')).toBe('1401/09/30');
    const res = await oai(app, `verb=GetRecord&metadataPrefix=oai_dc&identifier=${OAI_ID('59-1')}`);
    expect(res.errors).toEqual([]);
    expect(text(res.doc, '//dc:date')).toBe('2022-12-21');
    expect(texts(res.doc, '//oai:header/oai:setSpec')).toEqual(['issue', 'issue:59', 'prb', 'prb:59']);
    expect(texts(res.doc, '//dc:creator[@xml:lang="en"]')).toEqual(['Sara Karimi']);
  });
});

// --- 6. Dry run --------------------------------------------------------------------------------

describe('import --dry-run', () => {
  const admin = seededAdmin();

  it('prints the summary the real import prints, prefixed "dry run", and writes nothing', () => {
    const source = file(
      'dry.txt',
      seedWithNinth(NINTH_FA, NINTH_EN).replace('is inherently a unilateral', 'is essentially a unilateral'),
    );
    const before = admin.snapshot();
    admin.setNow(new Date('2025-08-01T00:00:00Z'));
    const dry = importOk(admin, source, '--dry-run');
    expect(dry.out).toContain('dry run, nothing written: dry.txt: 1 added, 1 changed, 7 unchanged, 0 deleted');
    expect(admin.snapshot()).toBe(before);

    const real = importOk(admin, source);
    const summary = (run: CliRun) => run.out.split('\n').slice(1).join('\n');
    expect(summary(dry)).toBe(`dry run, nothing written: ${summary(real)}`);
    expect(admin.snapshot()).not.toBe(before);
  });

  it('writes nothing either with --delete-missing', () => {
    const before = admin.snapshot();
    const run = importOk(admin, SEED_TOC_PATH, '--dry-run', '--delete-missing');
    // The seed also undoes the abstract change of dry.txt, and lacks 58-219.
    expect(run.out).toContain('dry run, nothing written: issue-58-toc.txt: 0 added, 1 changed, 7 unchanged, 1 deleted');
    expect(run.out).toContain('withdrawn: 58-219');
    expect(admin.snapshot()).toBe(before);
  });
});

// --- 7. --delete-missing -----------------------------------------------------------------------

describe('a table of contents that no longer lists an article', () => {
  const admin = seededAdmin();
  const app = harvesterView(admin);
  // 58-113: Persian lines 23-27, English lines 56-60.
  const without113 = file('without-113.txt', editSeed({ 7: countLine(7), ...removeLines(23, 27), ...removeLines(56, 60) }));

  it('keeps the article without --delete-missing, and says so', () => {
    const before = listed(admin);
    admin.setNow(new Date('2025-09-01T00:00:00Z'));
    const run = importOk(admin, without113);
    expect(run.out).toContain('without-113.txt: 0 added, 0 changed, 7 unchanged, 0 deleted');
    expect(run.out).toContain('not in the file, kept: 58-113 (--delete-missing withdraws them)');
    expect(listed(admin)).toEqual(before);
  });

  it('withdraws it with --delete-missing: /oai shows it as deleted', async () => {
    const before = datestamps(admin);
    admin.setNow(new Date('2025-09-02T00:00:00Z'));
    const run = importOk(admin, without113, '--delete-missing');
    expect(run.out).toContain('without-113.txt: 0 added, 0 changed, 7 unchanged, 1 deleted');
    expect(run.out).toContain('withdrawn: 58-113');
    expect(datestamps(admin)).toEqual({ ...before, '58-113': '2025-09-02T00:00:00Z' });
    expect(listed(admin)['58-113']?.deleted).toBe(true);

    const got = await oai(app, `verb=GetRecord&metadataPrefix=oai_dc&identifier=${OAI_ID('58-113')}`);
    expect(got.errors).toEqual([]);
    expect(nodes(got.doc, '//oai:record/oai:header')[0]?.getAttribute('status')).toBe('deleted');
    expect(nodes(got.doc, '//oai:record/oai:metadata')).toHaveLength(0);

    const since = await oai(app, 'verb=ListIdentifiers&metadataPrefix=oai_dc&from=2025-09-02');
    expect(texts(since.doc, '//oai:header[@status="deleted"]/oai:identifier')).toEqual([OAI_ID('58-113')]);
    expect(texts(since.doc, '//oai:header/oai:identifier')).toEqual([OAI_ID('58-113')]);
  });

  it('leaves the withdrawn article withdrawn when the full table of contents comes back', () => {
    const before = admin.snapshot();
    admin.setNow(new Date('2025-09-03T00:00:00Z'));
    const run = importOk(admin, SEED_TOC_PATH);
    expect(run.out).toContain('issue-58-toc.txt: 0 added, 0 changed, 7 unchanged, 0 deleted');
    expect(run.out).toContain('withdrawn in the store, left as they are: 58-113 (restore them first)');
    // Only the announced article count of the issue differs (7 → 8): no article row moves.
    expect(datestamps(admin)['58-113']).toBe('2025-09-02T00:00:00Z');
    expect(admin.snapshot().replace(/"article_count":\d+/g, '')).toBe(before.replace(/"article_count":\d+/g, ''));
  });
});

// --- 8. Normalization --------------------------------------------------------------------------

describe('normalization during an import', () => {
  const admin = seededAdmin();

  it('reports the five fixes the seed table of contents needs', () => {
    const run = importOk(admin, SEED_TOC_PATH);
    expect(run.out).toContain('normalized 5 values:');
    expect(normalizationLines(run)).toEqual([
      '  58-7 abstractEn: abstract-trailing-dot: «…, and lack of UN support. .» → «…, and lack of UN support.»',
      '  58-39 keywordsEn: keyword-split: «Obama. Comparative study» → «Obama, Comparative study»',
      "  58-175 keywordsEn: keyword-punctuation: «China', s Development» → «China's Development»",
      '  58-175 keywordsEn: keyword-punctuation: «_ Iran» → «Iran»',
      '  58-197 authors[0].nameEn: title-case: «ELAHEH KOOLAEE» → «Elaheh Koolaee»',
    ]);
    expect(show(admin, '58-197').authors[0]?.nameEn).toBe('Elaheh Koolaee');
    expect(show(admin, '58-175').keywords.en).toEqual(['New Silk Road Initiative', 'interdependence', "China's Development", '25 year Cooperation Agreement', 'Iran']);
  });

  it('finds nothing changed when an existing Persian abstract comes with Arabic letters and Persian-digit pages', () => {
    const abstract = show(admin, '58-7').text.fa.abstract;
    const before = admin.snapshot();
    admin.setNow(new Date('2025-10-02T00:00:00Z'));
    const source = file('arabic-letters-58.txt', editSeed({ 9: (l) => persianDigits(l), 11: (l) => arabicLetters(l) }));
    expect(seedLine(11)).not.toBe(arabicLetters(seedLine(11)));
    const run = importOk(admin, source);
    expect(run.out).toContain('arabic-letters-58.txt: 0 added, 0 changed, 8 unchanged, 0 deleted');
    expect(normalizationLines(run)).toContainEqual(expect.stringMatching(/^ {2}58-7 abstractFa: persian-letters: /));
    expect(admin.snapshot()).toBe(before);
    expect(show(admin, '58-7').text.fa.abstract).toBe(abstract);
  });

  it('stores Arabic ي/ك of a new Persian entry as Persian ی/ک, and Persian-digit pages as numbers', () => {
    const fa = [
      arabicLetters(' • علی رضایی*، مریم احمدی') + persianDigits(' صفحات 219-230'),
      arabicLetters(NINTH_FA[1]),
      NINTH_FA[2],
    ];
    expect(fa[1]).toMatch(/[\u064A\u0643]/);
    expect(fa[0]).toContain('۲۱۹-۲۳۰');
    admin.setNow(new Date('2025-10-03T00:00:00Z'));
    const run = importOk(admin, file('arabic-letters.txt', seedWithNinth(fa, NINTH_EN)));
    expect(run.out).toContain('arabic-letters.txt: 1 added, 0 changed, 8 unchanged, 0 deleted');
    expect(run.out).toContain('added: 58-219');
    const lines = normalizationLines(run);
    expect(lines.filter((l) => l.startsWith('  58-219 '))).toEqual([
      expect.stringMatching(/^ {2}58-219 abstractFa: persian-letters: «.*» → «.*»$/),
      expect.stringMatching(/^ {2}58-219 authors\[0\]\.nameFa: persian-letters: «علي رضايي» → «علی رضایی»$/),
      expect.stringMatching(/^ {2}58-219 authors\[1\]\.nameFa: persian-letters: «مريم احمدي» → «مریم احمدی»$/),
    ]);

    const r = show(admin, '58-219');
    expect(r.text.fa.abstract).toBe(NINTH_FA[1].trim());
    expect(r.text.fa.abstract).not.toMatch(/[\u064A\u0643]/);
    expect(r.authors.map((a) => a.nameFa)).toEqual(['علی رضایی', 'مریم احمدی']);
    expect([r.pageStart, r.pageEnd]).toEqual([219, 230]);
    expect(listed(admin)['58-219']?.pages).toBe('219-230');
  });

});

// --- 9. JSON Lines -----------------------------------------------------------------------------

describe('a JSON Lines file', () => {
  const admin = seededAdmin();
  const app = harvesterView(admin);
  const source = 'https://journal.example.org/articles/58-7';
  const worked = jsonl(
    { id: '58-7', issue: { number: 58 }, pages: '7-37', title: { en: "Russia's Near Abroad after the Karabakh War" }, titleSource: { en: source } },
    {
      issue: { number: 58 },
      pages: '219-230',
      doi: '10.22034/prb.2022.219',
      title: { fa: 'دیپلماسی عمومی در سیاست خارجی ایران', en: 'Public Diplomacy in the Foreign Policy of Iran' },
      abstract: { fa: NINTH_FA[1].trim(), en: NINTH_EN[1].trim() },
      keywords: { fa: ['دیپلماسی عمومی', 'سیاست خارجی'], en: ['Public Diplomacy', 'Foreign Policy'] },
      authors: [
        { fa: 'علی رضایی', en: 'Ali Rezaei', corresponding: true },
        { fa: 'مریم احمدی', en: 'Maryam Ahmadi' },
      ],
    },
  );

  it('updates one article and adds another (the worked example)', async () => {
    const before = datestamps(admin);
    admin.setNow(new Date('2025-11-01T00:00:00Z'));
    const run = importOk(admin, file('worked.jsonl', worked));
    expect(run.out).toContain('importing 2 articles from worked.jsonl…');
    // A JSON Lines file does not list a whole issue: the articles it does not name are not counted.
    expect(run.out).toContain('worked.jsonl: 1 added, 1 changed, 0 unchanged, 0 deleted');
    expect(run.out).toContain('added: 58-219');
    expect(run.out).toContain('changed: 58-7 (titleEn)');
    expect(run.out).not.toContain('not in the file');
    const at = '2025-11-01T00:00:00Z';
    expect(datestamps(admin)).toEqual({ ...before, '58-7': at, '58-219': at });

    const r7 = show(admin, '58-7');
    expect(r7.text.en).toMatchObject({ title: "Russia's Near Abroad after the Karabakh War", titleSource: source });
    expect(r7.text.fa.title).toBeNull();
    expect(r7.text.en.abstract).toContain('Armenia, Azerbaijan and Ukraine');

    const r = show(admin, '58-219');
    expect(r.doi).toBe('10.22034/prb.2022.219');
    expect(r.text.fa).toMatchObject({ title: 'دیپلماسی عمومی در سیاست خارجی ایران', titleSource: 'worked.jsonl' });
    expect(r.text.en).toMatchObject({ title: 'Public Diplomacy in the Foreign Policy of Iran', titleSource: 'worked.jsonl' });
    expect(r.authors).toEqual([
      { nameFa: 'علی رضایی', nameEn: 'Ali Rezaei', corresponding: true },
      { nameFa: 'مریم احمدی', nameEn: 'Maryam Ahmadi', corresponding: false },
    ]);
    expect(r.keywords).toEqual({ fa: ['دیپلماسی عمومی', 'سیاست خارجی'], en: ['Public Diplomacy', 'Foreign Policy'] });

    const got = await oai(app, `verb=GetRecord&metadataPrefix=oai_dc&identifier=${OAI_ID('58-219')}`);
    expect(texts(got.doc, '//dc:title[@xml:lang="fa"]')).toEqual(['دیپلماسی عمومی در سیاست خارجی ایران']);
    expect(texts(got.doc, '//dc:title[@xml:lang="en"]')).toEqual(['Public Diplomacy in the Foreign Policy of Iran']);
    expect(texts(got.doc, '//dc:identifier')).toContain('https://doi.org/10.22034/prb.2022.219');
  });

  it('is idempotent: the same file again changes nothing', () => {
    const before = admin.snapshot();
    admin.setNow(new Date('2025-11-02T00:00:00Z'));
    expect(importOk(admin, file('worked.jsonl', worked)).out).toContain('worked.jsonl: 0 added, 0 changed, 2 unchanged, 0 deleted');
    expect(admin.snapshot()).toBe(before);
  });

  it('clears a title given as null, and its source with it', () => {
    admin.setNow(new Date('2025-11-03T00:00:00Z'));
    const run = importOk(admin, file('clear.jsonl', jsonl({ id: '58-7', issue: { number: 58 }, pages: '7-37', title: { en: null } })));
    expect(run.out).toContain('clear.jsonl: 0 added, 1 changed, 0 unchanged, 0 deleted');
    expect(run.out).toContain('changed: 58-7 (titleEn)');
    expect(show(admin, '58-7').text.en).toMatchObject({ title: null, titleSource: null });
    expect(datestamps(admin)['58-7']).toBe('2025-11-03T00:00:00Z');
  });

  it('refuses lines of an issue the store lacks unless they give its season and date, naming the line and field issue', () => {
    const lacking = file(
      'new-issue.jsonl',
      jsonl({ issue: { number: 58 }, pages: '39-65' }, { issue: { number: 60 }, pages: '1-12', abstract: { en: 'An article of issue 60.' } }),
    );
    const refused = expectRefused(admin, lacking, 'new-issue.jsonl:2: issue:');
    expect(refused.err).toContain('issue 60');
  });

  it('adds an issue the store lacks when its lines give season, year and date', () => {
    admin.setNow(new Date('2025-11-04T00:00:00Z'));
    const run = importOk(
      admin,
      file(
        'issue-60.jsonl',
        jsonl({
          issue: { number: 60, season: 'زمستان', year: 1401, date: '1401/12/29' },
          pages: '1-12',
          abstract: { en: 'An article of issue 60.' },
          authors: [{ en: 'Sara Karimi', corresponding: true }],
        }),
      ),
    );
    expect(run.out).toContain('issue-60.jsonl: 1 added, 0 changed, 0 unchanged, 0 deleted');
    expect(run.out).toContain('added: 60-1');
    expect(solarOf('2023-03-20')).toBe('1401/12/29');
    expect(show(admin, '60-1').issue).toMatchObject({ number: 60, seasonFa: 'زمستان', seasonEn: 'Winter', yearSolar: 1401, dateSolar: '1401/12/29', datePublished: '2023-03-20' });
  });
});

// --- 10. Bad input -----------------------------------------------------------------------------

describe('a bad import file', () => {
  const admin = seededAdmin();

  it('refuses an empty file', () => {
    expectRefused(admin, file('empty.txt', ''), 'empty.txt:1: file:');
  });

  it('refuses a file of whitespace only', () => {
    expectRefused(admin, file('blank.txt', '  \n\t\n \n'), 'blank.txt:1: file:');
  });

  it('refuses invalid UTF-8, naming the line the bad bytes are on', () => {
    const lines = SEED_TOC.split('\n');
    const line3 = seedLine(3);
    const half = Math.floor(line3.length / 2);
    const bytes = Buffer.concat([
      Buffer.from(`${lines.slice(0, 2).join('\n')}\n${line3.slice(0, half)}`, 'utf8'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(`${line3.slice(half)}\n${lines.slice(3).join('\n')}`, 'utf8'),
    ]);
    expectRefused(admin, file('bad-utf8.txt', bytes), 'bad-utf8.txt:3: encoding:');
  });

  it('refuses a file of unknown format', () => {
    expectRefused(admin, file('articles.xlsx', 'PK\u0003\u0004 a spreadsheet, not text\n'), 'articles.xlsx:1: format:');
  });

  it('refuses a file that does not exist', () => {
    // No line to name: the location is line 0.
    const run = expectRefused(admin, `${dir}/missing.txt`, 'missing.txt: file:');
    expect(run.err).toContain('ENOENT');
  });

  it('refuses blocks with different article counts (the last English entry dropped)', () => {
    const run = expectRefused(admin, file('short-english.txt', editSeed(removeLines(69, 73))), 'short-english.txt:36: articleCount:');
    expect(run.err).toContain('the Persian block has 8 entries and the English block 7');
  });

  it('names the Persian entry left without an English one when a middle English entry is dropped', () => {
    const run = expectRefused(admin, file('no-english-89.txt', editSeed(removeLines(53, 55))), /^error: no-english-89\.txt:\d+: \w+: /);
    expect(run.err.split('\n')[0]).toMatch(/^error: no-english-89\.txt:20: /);
  });

  it('refuses a page range found in one block only', () => {
    const run = expectRefused(admin, file('one-sided-range.txt', editSeed({ 53: (l) => l.replace('Pages 89-111', 'Pages 89-112') })), 'one-sided-range.txt:20: pages:');
    expect(run.err).toContain('89-111');
  });

  it('refuses a header count that disagrees with the entries', () => {
    const run = expectRefused(admin, file('count-9.txt', editSeed({ 7: countLine(9) })), 'count-9.txt:7: articleCount:');
    expect(run.err).toContain('announces 9 articles but the document has 8');
  });

  it('refuses an entry without its keyword line (in the middle of a block)', () => {
    // English 89-111 (line 53) loses its keywords (line 55): the next entry, now on line 55, finds it out.
    const run = expectRefused(admin, file('no-keywords.txt', editSeed(removeLines(55, 55))), 'no-keywords.txt:55: keywords:');
    expect(run.err).toContain('entry at line 53');
  });

  it('refuses an entry without its keyword line (at the end of the file)', () => {
    expectRefused(admin, file('no-last-keywords.txt', editSeed(removeLines(73, 73))), 'no-last-keywords.txt:69: keywords:');
  });

  it('refuses a line of JSON Lines that is not JSON', () => {
    const run = expectRefused(
      admin,
      file('broken.jsonl', jsonl({ issue: { number: 58 }, pages: '7-37' }, '{"issue": {"number": 58}, "pages": "39-65",', { issue: { number: 58 }, pages: '67-86' })),
      'broken.jsonl:2: json:',
    );
    expect(run.err).toContain('not valid JSON');
  });

  it('refuses a field the format does not have', () => {
    // Line 2 is blank: blank lines are skipped but counted.
    const run = expectRefused(
      admin,
      file('unknown-field.jsonl', jsonl({ issue: { number: 58 }, pages: '7-37' }, '', { issue: { number: 58 }, pages: '39-65', colour: 'red' })),
      'unknown-field.jsonl:3: colour:',
    );
    expect(run.err).toContain('is not a field of the format');
  });

  it('refuses a value of the wrong type', () => {
    expectRefused(
      admin,
      file('wrong-type.jsonl', jsonl({ issue: { number: 58 }, pages: '7-37' }, { issue: { number: '58' }, pages: '39-65' })),
      'wrong-type.jsonl:2: issue.number:',
    );
    expectRefused(
      admin,
      file('wrong-type-keywords.jsonl', jsonl({ issue: { number: 58 }, pages: '7-37', keywords: { en: 'Russia' } })),
      'wrong-type-keywords.jsonl:1: keywords.en:',
    );
  });

  it('refuses a line without pages', () => {
    const run = expectRefused(
      admin,
      file('no-pages.jsonl', jsonl({ issue: { number: 58 }, pages: '7-37' }, { issue: { number: 58 }, title: { en: 'No pages' } })),
      'no-pages.jsonl:2: pages:',
    );
    expect(run.err).toContain('is required');
  });

  it('refuses a DOI that is not one', () => {
    expectRefused(
      admin,
      file('bad-doi.jsonl', jsonl({ issue: { number: 58 }, pages: '7-37' }, { issue: { number: 58 }, pages: '39-65', doi: 'doi:10.1234/x' })),
      'bad-doi.jsonl:2: doi:',
    );
  });

  it('refuses a table of contents of another journal', () => {
    const run = expectRefused(admin, file('other-journal.txt', editSeed({ 3: 'فصلنامه مطالعات سیاسی' })), /^error: other-journal\.txt:\d+: journal: /);
    expect(run.err).toContain('فصلنامه مطالعات سیاسی');
  });

  it('names the journal-name line of a table of contents of another journal', () => {
    const run = expectRefused(admin, file('other-journal-line.txt', editSeed({ 3: 'فصلنامه مطالعات سیاسی' })), /^error: other-journal-line\.txt:\d+: journal: /);
    expect(run.err.split('\n')[0]).toMatch(/^error: other-journal-line\.txt:3: journal: /);
  });

  it('refuses two JSON lines for the same issue and start page', () => {
    const run = expectRefused(
      admin,
      file('same-start.jsonl', jsonl({ issue: { number: 58 }, pages: '7-37' }, { issue: { number: 58 }, pages: '7-40' })),
      'same-start.jsonl:2: pages:',
    );
    expect(run.err).toContain('first at line 1');
  });

  it('refuses two table-of-contents entries with the same start page', () => {
    expectRefused(
      admin,
      file('same-start.txt', editSeed({ 14: (l) => l.replace('صفحات 39-65', 'صفحات 7-65'), 47: (l) => l.replace('Pages 39-65', 'Pages 7-65') })),
      /^error: same-start\.txt:\d+: pages: a second article of issue 58 starting on page 7 /,
    );
  });

  it('names the line of the second entry starting on the same page', () => {
    const run = expectRefused(
      admin,
      file('same-start-line.txt', editSeed({ 14: (l) => l.replace('صفحات 39-65', 'صفحات 7-65'), 47: (l) => l.replace('Pages 39-65', 'Pages 7-65') })),
      /^error: same-start-line\.txt:\d+: pages: /,
    );
    expect(run.err.split('\n')[0]).toMatch(/^error: same-start-line\.txt:(14|47): pages: /);
  });

  it('left the store as seeded after all of these', () => {
    expect(new Set(Object.values(datestamps(admin)))).toEqual(new Set([SEEDED_AT]));
    expect(Object.keys(listed(admin))).toEqual(ALL_58);
  });
});

describe('a JSON line moving an article onto the start page of another', () => {
  const admin = seededAdmin();

  it('is refused, naming the line and field pages', () => {
    const run = expectRefused(
      admin,
      file('move.jsonl', jsonl({ id: '58-7', issue: { number: 58 }, pages: '39-65' })),
      /^error: move\.jsonl:\d+: \w+: /,
    );
    expect(run.err.split('\n')[0]).toMatch(/^error: move\.jsonl:1: pages: /);
  });
});

// --- 11. Usage errors --------------------------------------------------------------------------

describe('import usage errors', () => {
  const admin = seededAdmin();

  it('exits 2 without a file', () => {
    const run = admin.run('import');
    expect(run.code).toBe(2);
    expect(run.err).toContain('wrong number of arguments');
    expect(run.err).toContain('usage: npm run admin -- import <file | folder>');
  });

  it('exits 2 with two files', () => {
    expect(admin.run('import', SEED_TOC_PATH, SEED_TOC_PATH).code).toBe(2);
  });

  it('exits 2 on an unknown option, and writes nothing', () => {
    const before = admin.snapshot();
    const run = admin.run('import', SEED_TOC_PATH, '--force');
    expect(run.code).toBe(2);
    expect(run.err).toContain("Unknown option '--force'");
    expect(run.err).toContain('usage: npm run admin -- import <file | folder>');
    expect(run.out).toBe('');
    expect(admin.snapshot()).toBe(before);
  });
});
