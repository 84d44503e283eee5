/**
 * `admin import` of JSON Lines reads the file as it imports it, a chunk of lines at a time, in
 * bounded memory, with threads for a large file. What it promises is what reading the file whole
 * promised: every line is checked before anything is written, the first problem of the file is
 * the one named (file, line, field), a problem found while writing rolls everything back, and the
 * store ends up with the same records, search index included.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { jsonlStream, parseSource } from '../../src/ingest/read-source.js';
import { FORMATS } from '../../src/formats/registry.js';
import { renderFragments } from '../../src/store/formats.js';
import { importSettings, importSource } from '../../src/store/import.js';
import { openWritable, type Db } from '../../src/store/open.js';
import { renderSettings } from '../../src/store/render-pool.js';
import { searchQuery } from '../../src/store/search.js';
import { syntheticArticles } from '../../scripts/synthetic.js';
import { makeAdmin, tempDir, type Admin, type CliRun } from '../support/cli.js';

const defaults = { ...renderSettings };
const importDefaults = { ...importSettings };
afterEach(() => {
  Object.assign(renderSettings, defaults);
  Object.assign(importSettings, importDefaults);
});

/**
 * Threads for any import, even these small ones, reading all but the first lines, and small
 * batches, so that several chunks and batches are in flight.
 */
function threads(on: boolean): void {
  Object.assign(renderSettings, { minRenders: on ? 1 : Number.MAX_SAFE_INTEGER, workers: on ? 2 : 0, batch: 64 });
  importSettings.scanHere = 100;
}

const dir = tempDir('oai-stream-');
const NOW = new Date('2025-04-01T10:00:00Z');

/** Synthetic article lines (article i is in issue 1000 + i / 100, on pages i % 100 * 10 + 1 to + 9). */
function lines(n: number, seed = 5, from = 0): string[] {
  const source = syntheticArticles(seed);
  return Array.from({ length: from + n }, (_, i) => source.line(i)).slice(from);
}

function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

/** Line `no` (from 1) changed by `edit`, which gets the article as an object. */
function edited(all: readonly string[], no: number, edit: (article: Record<string, unknown>) => unknown): string[] {
  return all.map((line, i) => (i + 1 === no ? (JSON.stringify(edit(JSON.parse(line) as Record<string, unknown>)) ?? '') : line));
}

function seeded(): Admin {
  const admin = makeAdmin();
  const run = admin.run('list');
  if (run.code !== 0) throw new Error(`seeding failed: ${run.err}`);
  admin.setNow(NOW);
  return admin;
}

/**
 * An import that must be refused, naming `location` first, with nothing written. `checked`: the
 * problem is one the first reading finds, before the import says it starts writing.
 */
function refused(admin: Admin, file: string, location: string, checked = true): CliRun {
  const before = admin.snapshot();
  const run = admin.run('import', file);
  expect(run.code, run.out).toBe(1);
  expect(run.err.split('\n')[0]).toMatch(new RegExp(`^error: ${location.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\S`));
  expect(run.err).toContain('nothing was written');
  // Refused before it said it would import: the file was checked whole first.
  if (checked) expect(run.out).not.toContain('importing');
  else expect(run.out).toMatch(/^importing \d+ articles from /);
  expect(admin.snapshot()).toBe(before);
  return run;
}

describe('a JSON Lines file with a problem near its end', () => {
  const all = lines(1500);
  const broken = [...all.slice(0, 1489), '{"issue": {"number": 1014}, "pages": "891-899",', ...all.slice(1490)];

  it('is refused with threads, naming the line, and nothing is written', () => {
    threads(true);
    refused(seeded(), write('late-json.jsonl', broken.join('\n')), 'late-json.jsonl:1490: json:');
  }, 60_000);

  it('is refused alike on one thread', () => {
    threads(false);
    refused(seeded(), write('late-json-1.jsonl', broken.join('\n')), 'late-json-1.jsonl:1490: json:');
  }, 60_000);

  it('names the first problem of the file, in line order, whichever thread read it', () => {
    threads(true);
    const admin = seeded();
    // Line 700 is of issue 1006, whose first line is 601; line 900 gets an ORCID iD with a wrong check digit.
    const season = edited(all, 700, (a) => ({ ...a, issue: { ...(a['issue'] as object), season: 'زمستان' } }));
    const orcid = (from: string[]) => edited(from, 900, (a) => ({ ...a, authors: [{ en: 'A. Author', orcid: '0000-0002-1825-0098' }] }));
    const json = (from: string[]) => [...from.slice(0, 1399), '{', ...from.slice(1400)];
    const both = json(orcid(season));
    refused(admin, write('first-700.jsonl', both.join('\n')), 'first-700.jsonl:700: issue.seasonFa:');
    const run = refused(admin, write('first-900.jsonl', json(orcid(all)).join('\n')), 'first-900.jsonl:900: authors.0.orcid:');
    expect(run.err).toContain('is no ORCID iD');
    refused(admin, write('first-1400.jsonl', json(all).join('\n')), 'first-1400.jsonl:1400: json:');
    refused(admin, write('a-field.jsonl', edited(all, 1499, (a) => ({ ...a, colour: 'red' })).join('\n')), 'a-field.jsonl:1499: colour:');
  }, 120_000);

  it('names bytes that are not UTF-8 on their line', () => {
    threads(true);
    const bytes = Buffer.concat([Buffer.from(`${all.slice(0, 1299).join('\n')}\n`), Buffer.from([0xff, 0xfe, 0x0a]), Buffer.from(all.slice(1300).join('\n'))]);
    refused(seeded(), write('late-bytes.jsonl', bytes), 'late-bytes.jsonl:1300: encoding:');
  }, 60_000);

  it('refuses a file changed between its first reading and its import, and writes nothing', () => {
    for (const on of [true, false]) {
      threads(on);
      const admin = seeded();
      const before = admin.snapshot();
      const some = all.slice(0, 400);
      const file = write(`changing-${on}.jsonl`, some.join('\n'));
      const db = openWritable(admin.dbPath);
      // Once it is checked: a line no longer JSON, or the same bytes written again.
      const changes = [() => fs.writeFileSync(file, [...some.slice(0, 389), '{', ...some.slice(390)].join('\n')), () => fs.utimesSync(file, new Date(), new Date(Date.now() + 5000))];
      for (const change of changes) {
        expect(() => importSource(db, jsonlStream(file), { now: NOW, onRead: change })).toThrow(/^changing-\w+\.jsonl(:390)?: file: it changed while it was imported: import it again$/);
        fs.writeFileSync(file, some.join('\n'));
      }
      db.close();
      expect(admin.snapshot()).toBe(before);
    }
  }, 120_000);

  it('refuses an empty file, and one of blank lines', () => {
    const admin = seeded();
    refused(admin, write('empty.jsonl', ''), 'empty.jsonl:1: file:');
    refused(admin, write('blank.jsonl', '\n  \n\t\n'), 'blank.jsonl:1: file:');
  });
});

describe('a problem found while writing, late in a large file', () => {
  it('rolls back everything written before it', () => {
    threads(true);
    const admin = seeded();
    // Lines 1101 to 1200 are issue 1011; line 1150 starts on the same page as line 1101.
    const all = edited(lines(1200), 1150, (a) => ({ ...a, pages: '1-4' }));
    const run = refused(admin, write('same-page.jsonl', all.join('\n')), 'same-page.jsonl:1150: pages:', false);
    expect(run.err).toContain('a second article of issue 1011 starting on page 1 (first at line 1101)');
  }, 120_000);
});

/** The records of a store by local id, with everything an import writes for them, and the issues and sets. */
function contents(db: Db): Record<string, unknown> {
  const heads = new Map(db.prepare<[], { id: number; head: string }>('SELECT id, head FROM fragment_head').all().map((r) => [r.id, r.head]));
  const byArticle = (table: string) =>
    db
      .prepare<[], Record<string, unknown>>(`SELECT a.local_id AS article, t.* FROM ${table} t JOIN article a ON a.id = t.article_id`)
      .all()
      .map(({ article_id: _id, head, ...row }) => JSON.stringify(head === undefined ? row : { ...row, head: head === null ? null : heads.get(head as number) }))
      .sort();
  const tables = ['article_text', 'author', 'author_affiliation', 'keyword', 'full_text', 'funding', 'set_member', 'fragment', 'document'];
  return {
    articles: db
      .prepare<[], Record<string, unknown>>('SELECT a.*, i.number AS issue FROM article a JOIN issue i ON i.id = a.issue_id ORDER BY a.local_id')
      .all()
      .map(({ id: _id, issue_id: _issue, ...row }) => row),
    issues: db.prepare('SELECT journal_id, number, volume, number_in_volume, season_fa, season_en, year_solar, date_solar, date_published, article_count FROM issue ORDER BY number').all(),
    sets: db.prepare('SELECT * FROM oai_set ORDER BY spec').all(),
    ...Object.fromEntries(tables.map((t) => [t, byArticle(t)])),
  };
}

/** The articles the search index finds for a query, by local id. */
function found(db: Db, query: string): string[] {
  return db
    .prepare<[string], string>('SELECT a.local_id FROM article a WHERE a.id IN (SELECT rowid FROM article_search WHERE article_search MATCH ?) ORDER BY a.local_id')
    .pluck()
    .all(searchQuery(query) ?? '');
}

const WORDS = ['policy', 'energy', 'treaty', 'سیاست', 'امنیت', 'معاهده', 'Karimi', 'جعفری'];

describe('a file read as it is imported', () => {
  it('stores what reading it whole stores, with the lines of its issues interleaved', () => {
    // Lines of six issues, one of each in turn: the file is no listing of issue after issue.
    const all = lines(600);
    const mixed = Array.from({ length: 600 }, (_, k) => all[(k % 6) * 100 + Math.floor(k / 6)] as string);
    const file = write('mixed.jsonl', `${mixed.join('\r\n')}\r\n`);

    threads(true);
    const streamed = seeded();
    const run = streamed.run('import', file);
    expect(run.code, run.err).toBe(0);
    expect(run.out.split('\n')[0]).toBe('importing 600 articles from mixed.jsonl…');
    expect(run.out).toContain('mixed.jsonl: 600 added, 0 changed, 0 unchanged, 0 deleted');

    threads(false);
    const whole = seeded();
    const db = openWritable(whole.dbPath);
    const summary = importSource(db, parseSource(fs.readFileSync(file, 'utf8'), 'mixed.jsonl', 'jsonl'), { now: NOW });
    expect(summary.added).toHaveLength(600);

    const other = openWritable(streamed.dbPath);
    expect(contents(other)).toEqual(contents(db));
    // Rendered as they were added, unread: what the store gives back renders the same.
    expect(renderFragments(other, FORMATS.values()).size).toBe(0);
    for (const word of WORDS) expect(found(other, word), word).toEqual(found(db, word));
    expect(found(other, 'policy').length).toBeGreaterThan(100);
    other.close();
    db.close();
  }, 120_000);

  it('leaves search finding what it should, after a large import into a fresh store and after one into a full store', () => {
    threads(true);
    const admin = seeded();
    expect(admin.run('import', write('first.jsonl', lines(1000, 9).join('\n'))).code).toBe(0);
    const db = openWritable(admin.dbPath);
    const titled = (word: string) => found(db, word).filter((id) => id.startsWith('1'));
    expect(titled('policy').length).toBeGreaterThan(300);
    expect(found(db, 'Kazemzadeh')).toEqual([]);
    // A second file: 300 more articles, and new titles for ten articles of the first.
    const more = lines(300, 9, 1000);
    const retitled = lines(10, 9).map((line) => {
      const article = JSON.parse(line) as { title: { fa: string; en: string } };
      return JSON.stringify({ ...article, title: { fa: article.title.fa, en: 'Kazemzadeh Revisited' } });
    });
    const run = admin.run('import', write('second.jsonl', [...retitled, ...more].join('\n')));
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain('second.jsonl: 300 added, 10 changed, 0 unchanged, 0 deleted');
    expect(found(db, 'Kazemzadeh')).toEqual(['1000-1', '1000-11', '1000-21', '1000-31', '1000-41', '1000-51', '1000-61', '1000-71', '1000-81', '1000-91']);
    expect(found(db, 'revisited kazemzadeh')).toHaveLength(10);
    expect(titled('policy').some((id) => id.startsWith('1010-') || id.startsWith('1012-'))).toBe(true);
    db.close();
  }, 120_000);
});
