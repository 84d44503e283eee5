import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { changeOf } from '../../src/discovery/resourcesync.js';
import { documentBytes } from '../../src/formats/document.js';
import { oaiDc } from '../../src/formats/oai-dc.js';
import type { MetadataFormat } from '../../src/formats/registry.js';
import { syncFormatVersions } from '../../src/store/formats.js';
import { nextDatestamp } from '../../src/store/import.js';
import { openStore } from '../../src/store/open-store.js';
import { makeServer, runAdmin, SEEDED_AT, type TestServer } from '../support/app.js';
import { storeCodecs } from '../support/fragments.js';

// What the store keeps of each metadata document, written with its fragment: digests, length,
// and when it appeared.

interface DocumentRow {
  local_id: string;
  prefix: string;
  created: string | null;
  md5: Buffer | null;
  sha256: Buffer | null;
  length: number | null;
  xml: Buffer | null;
  datestamp: string;
}

function documentRows(db: Database.Database): DocumentRow[] {
  return storeCodecs(db)
    .prepare<[], DocumentRow>(
      `SELECT a.local_id, d.prefix, d.created, d.md5, d.sha256, d.length, CAST(xml((SELECT h.head FROM fragment_head h WHERE h.id = f.head), f.deflated) AS BLOB) AS xml, a.datestamp FROM document d
       JOIN article a ON a.id = d.article_id LEFT JOIN fragment f ON f.article_id = d.article_id AND f.prefix = d.prefix ORDER BY a.id, d.prefix`,
    )
    .all();
}

const contextOf = (server: TestServer) => ({ publicUrl: server.config.publicUrl, repositoryIdentifier: server.config.repositoryIdentifier });

describe('the documents the store keeps', () => {
  it('has one row per fragment, whose digests and length are those of the bytes served', () => {
    const server = makeServer();
    const rows = documentRows(server.store.db);
    expect(rows.length).toBe(server.store.db.prepare('SELECT count(*) FROM fragment').pluck().get());
    for (const row of rows) {
      const bytes = documentBytes(row.xml!);
      expect(row.md5?.equals(createHash('md5').update(bytes).digest())).toBe(true);
      expect(row.sha256?.equals(createHash('sha256').update(bytes).digest())).toBe(true);
      expect(row.length).toBe(bytes.length);
      // Seeded: each document appeared with its record.
      expect(row.created).toBe(SEEDED_AT);
    }
  });

  it('gives documents that older code stored their digests on the next start, with no time of creation', () => {
    const server = makeServer();
    runAdmin(server.dbPath, '2025-04-01T00:00:00Z', 'delete', '58-89');
    const before = documentRows(server.store.db).filter((r) => r.local_id !== '58-89');
    // The store as older code left it, once migrated: fragments, no document rows, and the mark
    // the migration leaves for the code to fill them in.
    const db = new Database(server.dbPath);
    db.exec(`DELETE FROM document; INSERT INTO meta (key, value) VALUES ('documents_backfill', 'pending')`);
    db.close();
    const reopened = openStore(server.config, new Date('2025-08-01T00:00:00Z'));
    const after = documentRows(reopened.db);
    const live = after.filter((r) => r.local_id !== '58-89');
    expect(live.map((r) => [r.local_id, r.prefix, r.md5, r.sha256, r.length])).toEqual(before.map((r) => [r.local_id, r.prefix, r.md5, r.sha256, r.length]));
    expect(after.every((r) => r.created === null)).toBe(true);
    // A record withdrawn back then had its Dublin Core while it was live: that is recorded as gone.
    expect(after.filter((r) => r.local_id === '58-89').map((r) => [r.prefix, r.md5])).toEqual([['oai_dc', null]]);
    // Done once: the mark is gone, so later starts do not read the fragments again.
    expect(reopened.db.prepare(`SELECT count(*) FROM meta WHERE key = 'documents_backfill'`).pluck().get()).toBe(0);
    // Whether such a document is new at its record's datestamp is not known: an update says no more than is known.
    expect(changeOf({ digest: { md5: Buffer.alloc(16), sha256: Buffer.alloc(32), length: 1 }, created: null, datestamp: SEEDED_AT })).toBe('updated');
    reopened.close();
  });

  it('dates a document that a new version of its format makes appear by the re-stamp that made it', () => {
    const server = makeServer();
    const db = new Database(server.dbPath);
    const stamp = (previous: string) => nextDatestamp(new Date('2025-09-09T09:09:09Z'), previous);
    // A format for the fixture: at first only 58-7 can be given in it; its next version adds 58-39.
    const { everyRecord: _every, ...dublinCore } = oaiDc;
    const only = (ids: string[], version: number): MetadataFormat => ({ ...dublinCore, prefix: 'fixture_dc', version, canDisseminate: (r) => ids.includes(r.localId) });
    syncFormatVersions(db, [only(['58-7'], 1)], contextOf(server), stamp);
    // A new format moves no datestamp: its documents date from their records'.
    expect(documentRows(db).filter((r) => r.prefix === 'fixture_dc').map((r) => [r.local_id, r.created])).toEqual([['58-7', SEEDED_AT]]);
    syncFormatVersions(db, [only(['58-7', '58-39'], 2)], contextOf(server), stamp);
    const rows = documentRows(db).filter((r) => r.prefix === 'fixture_dc');
    expect(rows.map((r) => [r.local_id, r.created, r.datestamp])).toEqual([
      ['58-7', SEEDED_AT, SEEDED_AT],
      ['58-39', '2025-09-09T09:09:09Z', '2025-09-09T09:09:09Z'],
    ]);
    expect(rows.map((r) => changeOf({ digest: { md5: r.md5!, sha256: r.sha256!, length: r.length! }, created: r.created, datestamp: r.datestamp }))).toEqual(['created', 'created']);
    db.close();
  });

  it('keeps the row of a document that is gone, without digests, and dates it again when it comes back', () => {
    const server = makeServer();
    runAdmin(server.dbPath, '2025-04-01T00:00:00Z', 'delete', '58-39');
    const gone = documentRows(server.store.db).filter((r) => r.local_id === '58-39');
    expect(gone.length).toBeGreaterThan(0);
    expect(gone.every((r) => r.md5 === null && r.sha256 === null && r.length === null && r.xml === null)).toBe(true);
    runAdmin(server.dbPath, '2025-04-02T00:00:00Z', 'restore', '58-39');
    const back = documentRows(server.store.db).filter((r) => r.local_id === '58-39');
    expect(back.map((r) => r.prefix)).toEqual(gone.map((r) => r.prefix));
    expect(back.every((r) => r.md5 !== null && r.created === '2025-04-02T00:00:00Z')).toBe(true);
  });
});
