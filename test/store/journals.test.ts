import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/store/open.js';
import { migrationsDir } from '../../src/paths.js';
import { articleLocalId, ensureJournalSets } from '../../src/store/write.js';
import { tempDir } from '../support/cli.js';

/** A store as the code before journals left it: schema 6, one journal, one issue, two articles. */
function storeAtSchema6(): Database.Database {
  const dir = tempDir('oai-migrations-');
  for (const file of fs.readdirSync(migrationsDir).filter((f) => /^00[1-6]-/.test(f))) fs.copyFileSync(path.join(migrationsDir, file), path.join(dir, file));
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  expect(migrate(db, dir)).toEqual({ from: 0, to: 6 });
  db.exec(`
    INSERT INTO journal (id, code, name_fa) VALUES (1, 'prb', 'فصلنامه مطالعات روابط بین الملل');
    INSERT INTO issue (id, journal_id, number, season_fa, season_en, year_solar, date_solar, date_published, article_count)
      VALUES (1, 1, 58, 'تابستان', 'Summer', 1401, '1401/06/31', '2022-09-22', 2);
    INSERT INTO article (id, local_id, issue_id, page_start, page_end, datestamp) VALUES
      (1, '58-7', 1, 7, 37, '2025-03-01T08:30:00Z'), (2, '58-39', 1, 39, 65, '2025-04-02T10:00:00Z');
    INSERT INTO oai_set (spec, name_en) VALUES ('issue', 'Journal issues'), ('issue:58', 'Issue 58');
    INSERT INTO set_member (set_spec, article_id) VALUES ('issue', 1), ('issue:58', 1), ('issue', 2), ('issue:58', 2);
  `);
  return db;
}

describe('migration 007 on a store made before journals', () => {
  it('keeps the first journal as the original one, and gives it its sets once, moving no datestamp', () => {
    const db = storeAtSchema6();
    const stamps = () => db.prepare('SELECT local_id, datestamp FROM article ORDER BY id').all();
    const before = stamps();
    migrate(db);
    expect(db.prepare('SELECT code, original FROM journal').all()).toEqual([{ code: 'prb', original: 1 }]);
    expect(ensureJournalSets(db)).toBe(true);
    expect(ensureJournalSets(db)).toBe(false);
    expect(stamps()).toEqual(before);
    const members = db.prepare<[], { set_spec: string; local_id: string; datestamp: string }>(
      'SELECT m.set_spec, a.local_id, m.datestamp FROM set_member m JOIN article a ON a.id = m.article_id ORDER BY a.id, m.set_spec',
    );
    expect(members.all().map((m) => `${m.local_id} ${m.set_spec} ${m.datestamp}`)).toEqual([
      '58-7 issue 2025-03-01T08:30:00Z',
      '58-7 issue:58 2025-03-01T08:30:00Z',
      '58-7 prb 2025-03-01T08:30:00Z',
      '58-7 prb:58 2025-03-01T08:30:00Z',
      '58-39 issue 2025-04-02T10:00:00Z',
      '58-39 issue:58 2025-04-02T10:00:00Z',
      '58-39 prb 2025-04-02T10:00:00Z',
      '58-39 prb:58 2025-04-02T10:00:00Z',
    ]);
    const names = db.prepare<[], { spec: string; name_fa: string; name_en: string }>('SELECT spec, name_fa, name_en FROM oai_set ORDER BY spec').all();
    expect(names.find((s) => s.spec === 'issue:58')).toEqual({ spec: 'issue:58', name_fa: 'شماره 58 (تابستان 1401)', name_en: 'Issue 58 (Summer 1401 SH, 2022)' });
    expect(names.find((s) => s.spec === 'prb:58')?.name_fa).toBe('فصلنامه مطالعات روابط بین الملل، شماره 58 (تابستان 1401)');
  });
});

describe('local identifiers', () => {
  it('keep the first journal as it was, put the code first for the others, and use the place where there are no pages', () => {
    expect(articleLocalId({ code: 'prb', original: true }, 58, 7, 1)).toBe('58-7');
    expect(articleLocalId({ code: 'jir', original: false }, 22, 7, 1)).toBe('jir-22-7');
    expect(articleLocalId({ code: 'cul', original: false }, 5, null, 3)).toBe('cul-5-n3');
    expect(articleLocalId({ code: 'prb', original: true }, 59, null, 2)).toBe('59-n2');
  });
});
