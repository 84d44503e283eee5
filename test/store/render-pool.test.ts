/**
 * Rendering in worker threads stores exactly what rendering on the main thread stores: the same
 * compressed fragments, checksums, document digests and datestamps, row for row; so does an
 * import that reads, normalizes and packs its articles in the threads (the packed abstracts, the
 * keywords, the search index's own pages); and a failure in a thread fails the write, which rolls back.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { packText } from '../../src/deflate/piece.js';
import { FORMATS } from '../../src/formats/registry.js';
import { jsonlStream, parseSource } from '../../src/ingest/read-source.js';
import { renderFragments, syncFormatVersions } from '../../src/store/formats.js';
import { importSettings, importSource, nextDatestamp } from '../../src/store/import.js';
import type { Db } from '../../src/store/open.js';
import { SqliteRepository } from '../../src/store/records.js';
import * as renderPool from '../../src/store/render-pool.js';
import { setDeleted } from '../../src/store/write.js';
import { openSyntheticStore, syntheticArticles } from '../../scripts/synthetic.js';
import { tempDir } from '../support/cli.js';

// Counts the pools started, to prove the threads did the work; the threads load the real module.
vi.mock('../../src/store/render-pool.js', async (original) => {
  const real = await original<typeof import('../../src/store/render-pool.js')>();
  return { ...real, startRenderPool: vi.fn(real.startRenderPool) };
});

const { renderSettings } = renderPool;
const defaults = { ...renderSettings };
const importDefaults = { ...importSettings };
afterEach(() => {
  Object.assign(renderSettings, defaults);
  Object.assign(importSettings, importDefaults);
  vi.mocked(renderPool.startRenderPool).mockClear();
});

const N = 200;
const PUBLIC_URL = 'http://repo.example.org';
const dir = tempDir('oai-render-pool-');
const at = (minute: number) => new Date(Date.UTC(2025, 5, 1, 12, minute));

/** Runs `work` with the threads forced on (or off), in batches small enough that several are in flight. */
function rendering<T>(threads: boolean, work: () => T): T {
  Object.assign(renderSettings, { batch: 48, minRenders: threads ? 1 : Number.MAX_SAFE_INTEGER, workers: threads ? 2 : 0 });
  importSettings.scanHere = 0;
  try {
    return work();
  } finally {
    Object.assign(renderSettings, defaults);
    Object.assign(importSettings, importDefaults);
  }
}

/** Every row an import writes for rendering, in a fixed order, blobs as hex. */
function dump(db: Db): Record<string, unknown[]> {
  const all = (sql: string) => db.prepare(sql).raw().all();
  return {
    fragment: all(
      `SELECT f.article_id, a.local_id, f.prefix, hex(f.deflated), f.length, f.crc32, f.adler32 FROM fragment f JOIN article a ON a.id = f.article_id ORDER BY f.article_id, f.prefix`,
    ),
    document: all(`SELECT article_id, prefix, created, hex(md5), hex(sha256), length FROM document ORDER BY article_id, prefix`),
    article: all(`SELECT id, local_id, datestamp, deleted FROM article ORDER BY id`),
    setMember: all(`SELECT set_spec, article_id FROM set_member ORDER BY set_spec, article_id`),
    // What the threads make ready for an import: packed abstracts, normalized texts, search rows.
    articleText: all(`SELECT article_id, lang, title, title_source, hex(abstract) FROM article_text ORDER BY article_id, lang`),
    author: all(`SELECT * FROM author ORDER BY article_id, position`),
    keyword: all(`SELECT * FROM keyword ORDER BY article_id, lang, position`),
    searchData: all(`SELECT id, hex(block) FROM article_search_data ORDER BY id`),
    searchIdx: all(`SELECT * FROM article_search_idx ORDER BY 1, 2`),
    searchDocsize: all(`SELECT id, hex(sz) FROM article_search_docsize ORDER BY id`),
  };
}

/** The same store, built and changed the same way, with or without the threads. */
function build(name: string, threads: boolean): Db {
  const config = loadConfig({ DATABASE_PATH: path.join(dir, `${name}.sqlite`), PUBLIC_URL });
  const db = openSyntheticStore(config.databasePath, config, at(0));
  const source = syntheticArticles(11);
  const lines = Array.from({ length: N }, (_, i) => source.line(i));
  rendering(threads, () => {
    importSource(db, parseSource(lines.join('\n'), 'first.jsonl', 'jsonl'), { now: at(1) });
    // Every seventh title changes; the rest are rendered again only to find them unchanged.
    const edited = lines.map((line, i) => {
      if (i % 7 !== 0) return line;
      const article = JSON.parse(line) as { title: { en: string } };
      return JSON.stringify({ ...article, title: { ...article.title, en: `${article.title.en} Revised` } });
    });
    importSource(db, parseSource(edited.join('\n'), 'second.jsonl', 'jsonl'), { now: at(2) });
    // A file read as it is imported: new articles, and new abstracts for some of the first.
    const more = Array.from({ length: N + 150 }, (_, i) => source.line(i)).slice(N);
    const abstracts = lines.filter((_, i) => i % 11 === 3).map((line) => {
      const article = JSON.parse(line) as { abstract: { fa: string; en: string } };
      return JSON.stringify({ ...article, abstract: { fa: `${article.abstract.fa} ي`, en: `${article.abstract.en}  Revised .` } });
    });
    // The same name for both builds: titles name the file they come from.
    fs.mkdirSync(path.join(dir, name), { recursive: true });
    const file = path.join(dir, name, 'third.jsonl');
    fs.writeFileSync(file, [...more, ...abstracts].join('\n'));
    importSource(db, jsonlStream(file), { now: at(3) });
    // Records the imports rendered as they added them, unread, are what the store gives back.
    expect(renderFragments(db, FORMATS.values()).size).toBe(0);
    // Withdrawn records lose their metadata.
    db.transaction(() => {
      const ids = db.prepare<[], string>(`SELECT local_id FROM article WHERE id % 13 = 5`).pluck().all();
      for (const id of ids) setDeleted(db, id, true, nextDatestamp(at(4), null));
      renderFragments(db, FORMATS.values(), ids);
    })();
    // A new PUBLIC_URL: every record rendered again and re-stamped.
    syncFormatVersions(db, FORMATS.values(), { publicUrl: 'https://journal.example.org', repositoryIdentifier: 'repo.example.org' }, (previous) =>
      nextDatestamp(at(5), previous),
    );
  });
  return db;
}

describe('rendering in worker threads', () => {
  it('stores the same bytes as rendering on the main thread, row for row', () => {
    const inline = build('inline', false);
    expect(renderPool.startRenderPool).not.toHaveBeenCalled();
    const threaded = build('threaded', true);
    // Three imports, the check after them, the withdrawal, and the re-render, each in one pool.
    expect(renderPool.startRenderPool).toHaveBeenCalledTimes(6);
    const expected = dump(inline);
    expect(expected['fragment']?.length).toBeGreaterThan(N * 5);
    expect(expected['searchData']?.length).toBeGreaterThan(10);
    const actual = dump(threaded);
    for (const table of Object.keys(expected)) expect(actual[table], table).toEqual(expected[table]);
    inline.close();
    threaded.close();
  }, 60_000);

  it('keeps to the main thread for a few records, or with no threads configured', () => {
    const config = loadConfig({ DATABASE_PATH: path.join(dir, 'few.sqlite'), PUBLIC_URL });
    const db = openSyntheticStore(config.databasePath, config, at(0));
    const source = syntheticArticles(3);
    importSource(db, parseSource(source.line(0), 'one.jsonl', 'jsonl'), { now: at(1) });
    Object.assign(renderSettings, { minRenders: 1, workers: 0 });
    importSource(db, parseSource(source.line(1), 'two.jsonl', 'jsonl'), { now: at(2) });
    expect(renderPool.startRenderPool).not.toHaveBeenCalled();
    db.close();
  });

  it('fails the write when a thread fails, and the transaction rolls back', () => {
    const config = loadConfig({ DATABASE_PATH: path.join(dir, 'damaged.sqlite'), PUBLIC_URL });
    const db = openSyntheticStore(config.databasePath, config, at(0));
    const source = syntheticArticles(5);
    importSource(db, parseSource(Array.from({ length: 100 }, (_, i) => source.line(i)).join('\n'), 'some.jsonl', 'jsonl'), { now: at(1) });
    // Damage that only an inflate finds: the recorded length and checksum still match the text.
    db.prepare(`UPDATE fragment SET deflated = ? WHERE prefix = 'oai_dc' AND article_id = (SELECT max(article_id) FROM fragment)`).run(packText('x'));
    const before = dump(db);
    const withdrawAndRender = () =>
      db.transaction(() => {
        setDeleted(db, '1000-1', true, nextDatestamp(at(2), null));
        renderFragments(db, FORMATS.values());
      })();
    expect(() => rendering(true, withdrawAndRender)).toThrow(/^rendering in thread \d failed: stored metadata inflated to 1 bytes, not \d+$/);
    expect(dump(db)).toEqual(before);
    // The same damage stops the main thread alike.
    expect(() => rendering(false, withdrawAndRender)).toThrow(/^stored metadata inflated to 1 bytes, not \d+$/);
    expect(dump(db)).toEqual(before);
    db.close();
  }, 30_000);

  it('says which format a thread does not know, and a closed pool refuses work', () => {
    const config = loadConfig({ DATABASE_PATH: path.join(dir, 'unknown.sqlite'), PUBLIC_URL });
    const db = openSyntheticStore(config.databasePath, config, at(0));
    const records = new SqliteRepository(db).getRecords(db.prepare<[], string>('SELECT local_id FROM article LIMIT 3').pluck().all());
    db.close();
    const context = { publicUrl: PUBLIC_URL, repositoryIdentifier: 'repo.example.org' };
    const pool = renderPool.startRenderPool(2);
    try {
      expect(pool.render(records, ['oai_dc'], context, [[null], [null], [null]]).map((r) => r.map((o) => o.kind))).toEqual([['rendered'], ['rendered'], ['rendered']]);
      expect(() => pool.render(records, ['no_such_format'], context, [[null], [null], [null]])).toThrow('rendering in thread 1 failed: no metadata format no_such_format');
    } finally {
      pool.close();
    }
    expect(() => pool.render(records, ['oai_dc'], context, [[null], [null], [null]])).toThrow('the render threads were closed');
  });
});
