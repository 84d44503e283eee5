import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { oaiContext } from '../../src/context.js';
import { latestVersion, openWritable } from '../../src/store/open.js';
import { openStore } from '../../src/store/open-store.js';
import { oai } from '../support/app.js';
import { nodes } from '../support/xml.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oai-store-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function config(name: string, env: Record<string, string> = {}) {
  return loadConfig({ DATABASE_PATH: path.join(dir, name), PUBLIC_URL: 'http://repo.example.org', ...env });
}

describe('opening the store', () => {
  it('creates the file on first start, runs every migration, seeds it, and switches on WAL and foreign keys', () => {
    const cfg = config('new/oai.sqlite');
    const store = openStore(cfg, new Date('2025-03-01T08:30:00Z'));
    expect(store.seeded).toMatchObject({ issue: 58, articles: 8, titles: 2, pendingFacts: 3 });
    expect(store.db.pragma('user_version', { simple: true })).toBe(latestVersion());
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    store.close();
  });

  it('serves read-only: the request path cannot write', () => {
    const store = openStore(config('ro.sqlite'));
    expect(() => store.db.prepare(`UPDATE article SET deleted = 1`).run()).toThrow(/readonly/);
    store.close();
  });

  it('seeds only once: a second start keeps the data and its datestamps', () => {
    const cfg = config('twice.sqlite');
    openStore(cfg, new Date('2025-03-01T08:30:00Z')).close();
    const again = openStore(cfg, new Date('2026-01-01T00:00:00Z'));
    expect(again.seeded).toBeNull();
    expect(again.repository.earliestDatestamp()).toBe('2025-03-01T08:30:00Z');
    expect(again.repository.countRecords({ from: null, until: null, set: null })).toBe(8);
    again.close();
  });

  it('keeps a generated token secret in the database, so tokens survive a restart', async () => {
    const cfg = config('tokens.sqlite', { OAI_PAGE_SIZE_RECORDS: '3' });
    expect(cfg.tokenSecret).toBeUndefined();
    const first = openStore(cfg, new Date('2025-03-01T08:30:00Z'));
    const page = await oai(createApp(oaiContext(cfg, first)), 'verb=ListRecords&metadataPrefix=oai_dc');
    const token = nodes(page.doc, '//oai:resumptionToken')[0]!.textContent!;
    first.close();

    const restarted = openStore(cfg);
    expect(restarted.tokenSecret).toBe(first.tokenSecret);
    const next = await oai(createApp(oaiContext(cfg, restarted)), `verb=ListRecords&resumptionToken=${encodeURIComponent(token)}`);
    expect(next.errors).toEqual([]);
    expect(nodes(next.doc, '//oai:record')).toHaveLength(3);
    restarted.close();
  });

  it('works on an in-memory database with the real migrations', () => {
    const store = openStore(config('unused', { DATABASE_PATH: ':memory:' }));
    expect(store.repository.countRecords({ from: null, until: null, set: null })).toBe(8);
    expect(() => store.db.prepare(`DELETE FROM keyword`).run()).toThrow();
    store.close();
  });

  it('refuses a database newer than the code', () => {
    const file = path.join(dir, 'future.sqlite');
    const db = new Database(file);
    db.pragma(`user_version = ${latestVersion() + 1}`);
    db.close();
    expect(() => openWritable(file)).toThrow(/newer than this code/);
  });
});

describe('what the seed stores', () => {
  const store = openStore(config('content.sqlite'), new Date('2025-03-01T08:30:00Z'));
  afterAll(() => store.close());
  const db = store.db;

  it('holds the issue as the document gives it', () => {
    expect(db.prepare('SELECT number, volume, season_fa, season_en, year_solar, date_solar, date_published, article_count FROM issue').get()).toEqual({
      number: 58,
      volume: null,
      season_fa: 'تابستان',
      season_en: 'Summer',
      year_solar: 1401,
      date_solar: '1401/06/31',
      date_published: '2022-09-22',
      article_count: 8,
    });
  });

  it('holds the journal facts that are confirmed, and no English name nobody gave', () => {
    expect(db.prepare('SELECT code, name_fa, name_en, publisher_en, website, issn_print FROM journal').get()).toEqual({
      code: 'prb',
      name_fa: 'فصلنامه مطالعات روابط بین الملل',
      name_en: null,
      publisher_en: null,
      website: 'https://prb.iauctb.ac.ir',
      issn_print: null,
    });
  });

  it('keeps unconfirmed facts for an admin, with their sources, and serves none of them', () => {
    const pending = db.prepare('SELECT subject, field, lang, status FROM pending_fact ORDER BY id').all();
    expect(pending).toEqual([
      { subject: 'journal', field: 'publisher', lang: 'en', status: 'inferred' },
      { subject: 'issue 58', field: 'volume', lang: null, status: 'inferred' },
      { subject: 'issue 58 pages 197-217', field: 'title', lang: 'en', status: 'probable' },
    ]);
    expect(store.repository.getRecord('58-197')!.text.en.title).toBeNull();
  });

  it('records where each title came from', () => {
    expect(store.repository.getRecord('58-39')!.text.fa.titleSource).toContain('sanad.iau.ir/ar/Article/1065971');
    expect(store.repository.getRecord('58-175')!.text.en.titleSource).toContain('sanad.iau.ir/en/Journal/prb/Article/1065909');
  });

  it('holds authors in order with the corresponding-author mark', () => {
    expect(store.repository.getRecord('58-113')!.authors).toEqual([
      { nameFa: 'رامسین بیت جم', nameEn: 'Ramsin Beit Jam', corresponding: false },
      { nameFa: 'محمدعلی خسروی', nameEn: 'MohammadAli Khosravi', corresponding: true },
      { nameFa: 'رضا جلالی', nameEn: 'Reza Jalali', corresponding: false },
      { nameFa: 'دیدخت صادقی حقیقی', nameEn: 'Didokht Sadeghi Hagigi', corresponding: false },
    ]);
  });

  it('pages by the (datestamp, id) index, never by scanning or sorting the table', () => {
    const plan = (sql: string) =>
      db
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all()
        .map((r) => (r as { detail: string }).detail)
        .join('\n');
    const page = plan(
      `SELECT a.id FROM article a WHERE a.datestamp >= '' AND a.datestamp <= '~' AND (a.datestamp, a.id) > ('', 0) ORDER BY a.datestamp, a.id LIMIT 4`,
    );
    expect(page).toMatch(/USING (COVERING )?INDEX article_keyset/);
    expect(page).not.toMatch(/TEMP B-TREE/);
    expect(plan('SELECT min(datestamp) FROM article')).toMatch(/article_keyset/);
  });
});
