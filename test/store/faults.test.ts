import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { parseSource } from '../../src/ingest/read-source.js';
import { importSource } from '../../src/store/import.js';
import { openWritable } from '../../src/store/open.js';
import { initializeStore } from '../../src/store/open-store.js';
import { describeStoreError } from '../../src/store/store-error.js';
import { syntheticArticles } from '../../scripts/synthetic.js';
import { tempDir } from '../support/cli.js';

const root = new URL('../..', import.meta.url).pathname;

/** A JSON Lines file of `n` synthetic articles. */
function articles(dir: string, n: number): string {
  const source = syntheticArticles(7);
  const file = path.join(dir, `articles-${n}.jsonl`);
  fs.writeFileSync(file, `${Array.from({ length: n }, (_, i) => source.line(i)).join('\n')}\n`);
  return file;
}

/** What a crash must not change: the integrity check and the records. */
function state(file: string): { check: string; articles: number; fragments: number } {
  const db = new Database(file, { readonly: true });
  const result = {
    check: String(db.pragma('quick_check', { simple: true })),
    articles: db.prepare<[], number>('SELECT count(*) FROM article').pluck().get() ?? 0,
    fragments: db.prepare<[], number>('SELECT count(*) FROM fragment').pluck().get() ?? 0,
  };
  db.close();
  return result;
}

describe('faults during an import', () => {
  it('kill -9 mid-import leaves the store as it was, and the import can be run again', async () => {
    const dir = tempDir('oai-kill-');
    const dbPath = path.join(dir, 'oai.sqlite');
    const env = { ...process.env, DATABASE_PATH: dbPath, PUBLIC_URL: 'http://repo.example.org' };
    const admin = ['--import', 'tsx', 'src/admin/cli.ts'];
    expect(spawnSync(process.execPath, [...admin, 'list'], { cwd: root, env }).status).toBe(0);
    const seeded = state(dbPath);
    const file = articles(dir, 3000);

    const child = spawn(process.execPath, [...admin, 'import', file], { cwd: root, env, stdio: 'ignore' });
    // Killed once the import is writing: the store file grows past the seed.
    const size = fs.statSync(dbPath).size;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const wal = `${dbPath}-wal`;
        if (fs.existsSync(wal) && fs.statSync(wal).size > size / 2) {
          clearInterval(timer);
          resolve();
        }
      }, 5);
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    expect(state(dbPath)).toEqual(seeded);
    const again = spawnSync(process.execPath, [...admin, 'import', file], { cwd: root, env, encoding: 'utf8' });
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain('3000 added');
    expect(state(dbPath)).toMatchObject({ check: 'ok', articles: seeded.articles + 3000 });
  }, 120_000);

  it('a full disk rolls the import back and says so', () => {
    const dir = tempDir('oai-full-');
    const dbPath = path.join(dir, 'oai.sqlite');
    const config = loadConfig({ DATABASE_PATH: dbPath, PUBLIC_URL: 'http://repo.example.org' });
    const db = openWritable(dbPath);
    initializeStore(db, config, new Date('2025-03-01T08:30:00Z'));
    const before = db.prepare<[], number>('SELECT count(*) FROM article').pluck().get();
    // The disk fills up a few pages into the import.
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages + 20}`);
    const source = parseSource(fs.readFileSync(articles(dir, 500), 'utf8'), 'articles.jsonl', 'jsonl');
    let failure: unknown;
    try {
      importSource(db, source, { now: new Date('2025-03-02T00:00:00Z') });
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(Database.SqliteError);
    expect(describeStoreError(failure)).toBe('the disk is full; nothing was written');
    expect(db.prepare<[], number>('SELECT count(*) FROM article').pluck().get()).toBe(before);
    expect(db.pragma('quick_check', { simple: true })).toBe('ok');
    db.close();
  });
});
