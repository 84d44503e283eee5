import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { FORMATS } from '../../src/formats/registry.js';
import { makeServer, oai, REPOSITORY_ID, runAdmin } from '../support/app.js';
import { tempDir } from '../support/cli.js';
import { storeCodecs } from '../support/fragments.js';

vi.setConfig({ testTimeout: 180_000 });

const RICH = new URL('../ingest/fixtures/rich-articles.jsonl', import.meta.url).pathname;
const NOW = new Date('2025-09-02T00:00:00Z');

/** Every answer a harvester could hold, in every format, as text. */
async function answers(server: ReturnType<typeof makeServer>): Promise<string[]> {
  server.setNow(NOW);
  const out = [(await oai(server.app, 'verb=Identify')).text, (await oai(server.app, 'verb=ListSets')).text];
  for (const prefix of FORMATS.keys()) {
    out.push((await oai(server.app, `verb=ListRecords&metadataPrefix=${prefix}`)).text);
    out.push((await oai(server.app, `verb=GetRecord&metadataPrefix=${prefix}&identifier=oai:${REPOSITORY_ID}:rik-7-1`)).text);
  }
  return out;
}

/**
 * Puts a store back in the shape schema 8 had: metadata and abstracts as plain text, and a search
 * index that keeps its own copy of the texts.
 */
function asSchema8(file: string): void {
  const db = storeCodecs(new Database(file));
  db.exec(`
    CREATE TABLE fragment_text (article_id INTEGER NOT NULL REFERENCES article (id) ON DELETE CASCADE, prefix TEXT NOT NULL, xml TEXT NOT NULL, PRIMARY KEY (article_id, prefix)) STRICT;
    INSERT INTO fragment_text SELECT article_id, prefix, xml((SELECT h.head FROM fragment_head h WHERE h.id = fragment.head), deflated) FROM fragment;
    DROP TABLE fragment;
    DROP TABLE fragment_head;
    ALTER TABLE fragment_text RENAME TO fragment;
    CREATE TABLE article_text_plain (article_id INTEGER NOT NULL REFERENCES article (id) ON DELETE CASCADE, lang TEXT NOT NULL CHECK (lang IN ('fa', 'en')),
      title TEXT, title_source TEXT, abstract TEXT, PRIMARY KEY (article_id, lang)) STRICT;
    INSERT INTO article_text_plain SELECT article_id, lang, title, title_source, unpack(abstract) FROM article_text;
    DROP TABLE article_text;
    ALTER TABLE article_text_plain RENAME TO article_text;
    DROP TABLE article_search;
    CREATE VIRTUAL TABLE article_search USING fts5(title_fa, title_en, abstract_fa, abstract_en, authors, keywords, tokenize = 'unicode61 remove_diacritics 2');
    PRAGMA user_version = 8;
  `);
  db.close();
}

describe('a store written before metadata and abstracts were kept compressed, and root start tags shared', () => {
  it('serves the same bytes after the upgrade, moving no datestamp, and finds by search again', async () => {
    const server = makeServer();
    runAdmin(server.dbPath, '2025-09-01T00:00:00Z', 'journal', 'add', 'rik', '--name-en', 'Rich Sample Quarterly', '--issn-online', '2345-6787');
    runAdmin(server.dbPath, '2025-09-01T00:00:01Z', 'import', RICH, '--journal', 'rik');
    const before = await answers(server);
    const stamps = (file: string) => new Database(file, { readonly: true }).prepare('SELECT local_id, datestamp FROM article ORDER BY id').all();

    const copy = path.join(tempDir('oai-upgrade-'), 'old.sqlite');
    new Database(server.dbPath).exec(`VACUUM INTO '${copy}'`);
    asSchema8(copy);
    const stampsBefore = stamps(copy);

    const upgraded = makeServer({ DATABASE_PATH: copy });
    expect(upgraded.store.db.pragma('user_version', { simple: true })).toBe(12);
    expect(await answers(upgraded)).toEqual(before);
    expect(stamps(copy)).toEqual(stampsBefore);
    const plain = new Database(copy, { readonly: true });
    expect(plain.prepare(`SELECT count(*) FROM sqlite_schema WHERE name IN ('fragment_text', 'article_text_packed')`).pluck().get()).toBe(0);
    // Every fragment's root start tag is kept once, shared by the records that have the same one.
    expect(plain.prepare('SELECT count(*) FROM fragment WHERE head IS NULL').pluck().get()).toBe(0);
    expect(plain.prepare('SELECT count(*) FROM fragment_head').pluck().get()).toBeLessThan(plain.prepare('SELECT count(*) FROM fragment').pluck().get() as number);
    plain.close();
    // A word of a title, and one of a Persian abstract: the index was filled again from the texts.
    expect(await fetchSearch(upgraded, 'transboundary')).toContain('rik-7-1');
    expect(await fetchSearch(upgraded, 'ساختگی')).toContain('rik-7-1');
    expect(await fetchSearch(upgraded, 'nowhere-to-be-found')).not.toContain('rik-7-1');
    fs.rmSync(copy, { force: true });
  });
});

async function fetchSearch(server: ReturnType<typeof makeServer>, q: string): Promise<string> {
  const { default: request } = await import('supertest');
  return (await request(server.app).get(`/en/articles?q=${encodeURIComponent(q)}`)).text;
}
