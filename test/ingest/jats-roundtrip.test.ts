import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import type { ArticleRecord } from '../../src/model.js';
import { FORMATS } from '../../src/formats/registry.js';
import { makeServer, PUBLIC_URL, REPOSITORY_ID, runAdmin, type TestServer } from '../support/app.js';
import { tempDir } from '../support/cli.js';
import { validateDocuments } from '../support/discovery.js';

// Fixtures: made-up articles (see rich-articles.jsonl); the ORCID iD is ORCID's own fictitious sample.
const RICH = new URL('fixtures/rich-articles.jsonl', import.meta.url).pathname;
// A table of contents numbered within volumes, with an article without pages (made up too).
const TWO_SEASONS = new URL('fixtures/two-seasons-toc.txt', import.meta.url).pathname;

vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

/** The journal's live records, by local id. */
function journalRecords(server: TestServer, code: string): Map<string, ArticleRecord> {
  const db = new Database(server.dbPath, { readonly: true });
  const ids = db.prepare('SELECT a.local_id FROM article a JOIN issue i ON i.id = a.issue_id JOIN journal j ON j.id = i.journal_id WHERE j.code = ? ORDER BY a.local_id').pluck().all(code) as string[];
  db.close();
  return new Map(ids.map((id) => [id, server.store.repository.getRecord(id)!]));
}

/**
 * Every format's metadata of the records, as served: the datestamp set aside, since MARC and MODS
 * carry it and an import necessarily gives a new one.
 */
function rendered(records: ReadonlyMap<string, ArticleRecord>): string[] {
  const context = { publicUrl: PUBLIC_URL, repositoryIdentifier: REPOSITORY_ID };
  return [...records.values()].flatMap((record) =>
    [...FORMATS.values()].map((format) => (format.canDisseminate(record) ? format.render({ ...record, datestamp: '2030-01-01T00:00:00Z' }, context) : `${format.prefix}: none`)),
  );
}

/** A record without what an import necessarily makes anew: its datestamp and where its titles came from. */
function comparable(record: ArticleRecord): unknown {
  const { datestamp: _datestamp, text, ...rest } = record;
  return { ...rest, text: { fa: { ...text.fa, titleSource: null }, en: { ...text.en, titleSource: null } } };
}

describe("the repository's own JATS, imported into a store without its journal", () => {
  const source = makeServer();
  runAdmin(source.dbPath, '2025-09-01T00:00:00Z', 'journal', 'add', 'rik', '--name-fa', 'فصلنامه نمونه غنی', '--name-en', 'Rich Sample Quarterly', '--issn-online', '2345-6787');
  runAdmin(source.dbPath, '2025-09-01T00:00:00Z', 'journal', '--journal', 'rik', 'publisher-en', 'Sample Press');
  runAdmin(source.dbPath, '2025-09-01T00:00:01Z', 'import', RICH, '--journal', 'rik');
  runAdmin(source.dbPath, '2025-09-01T00:00:02Z', 'import', TWO_SEASONS, '--journal', 'mcs');
  // JATS needs an ISSN and a title; 1111-1119 is a made-up ISSN with a right check digit.
  runAdmin(source.dbPath, '2025-09-01T00:00:03Z', 'journal', '--journal', 'mcs', 'issn-print', '1111-1119');
  for (const [id, title] of [['mcs-5-1', 'فرهنگ شهری و هویت'], ['mcs-5-19', 'کتابخانه‌های عمومی'], ['mcs-5-n3', 'مقاله‌ای بی‌صفحه']] as const) {
    runAdmin(source.dbPath, '2025-09-01T00:00:04Z', 'set', id, 'title', '--lang', 'fa', title);
  }
  runAdmin(source.dbPath, '2025-09-01T00:00:05Z', 'set', 'mcs-5-19', 'url', 'https://journal.example.org/mcs/5/19');
  const dir = tempDir('jats-export-');

  it('gives the same records: identifiers, sets and every format byte for byte', async () => {
    const records = new Map([...journalRecords(source, 'rik'), ...journalRecords(source, 'mcs')]);
    expect(records.size).toBe(5);
    expect(records.get('mcs-5-n3')?.pageStart).toBeNull();
    expect(records.get('mcs-5-1')?.issue.numberInVolume).toBe(1);
    const documents = new Map<string, Buffer>();
    for (const id of records.keys()) {
      const url = `/articles/${id}/metadata/jats.xml`;
      const response = await request(source.app).get(url).buffer(true).parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
      expect(response.status).toBe(200);
      documents.set(url, response.body as Buffer);
      fs.writeFileSync(path.join(dir, `${id}.xml`), response.body as Buffer);
    }
    await validateDocuments(documents);

    const target = makeServer();
    const out = runAdmin(target.dbPath, '2025-10-01T00:00:00Z', 'import', dir);
    expect(out).toContain(`${records.size} added, 0 changed, 0 unchanged`);
    expect(out).toContain('journal added: mcs');
    expect(out).toContain('journal added: rik');
    const imported = new Map([...journalRecords(target, 'rik'), ...journalRecords(target, 'mcs')]);
    expect([...imported.keys()]).toEqual([...records.keys()]);
    for (const [id, record] of records) expect(comparable(imported.get(id)!)).toEqual(comparable(record));
    expect(rendered(imported)).toEqual(rendered(records));
    const sets = (server: TestServer) => server.store.repository.listSets(null, 1000).items.filter((set) => /^(rik|mcs)/.test(set.spec));
    expect(sets(target)).toEqual(sets(source));

    // Idempotent: the same files again change nothing.
    expect(runAdmin(target.dbPath, '2025-10-02T00:00:00Z', 'import', dir)).toContain(`0 added, 0 changed, ${records.size} unchanged`);
  });
});
