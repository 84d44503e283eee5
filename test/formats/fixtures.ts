import Database from 'better-sqlite3';
import { expect, vi } from 'vitest';
import type { MetadataFormat } from '../../src/formats/registry.js';
import type { ArticleRecord } from '../../src/model.js';
import { makeServer, PUBLIC_URL, REPOSITORY_ID } from '../support/app.js';

/** The seed's eight articles. */
export const IDS = ['58-7', '58-39', '58-67', '58-89', '58-113', '58-141', '58-175', '58-197'];
/** What every format renders with in these tests. */
export const context = { publicUrl: PUBLIC_URL, repositoryIdentifier: REPOSITORY_ID };
export const OPEN_ACCESS = 'http://purl.org/coar/access_right/c_abf2';
export const CC_BY = 'https://creativecommons.org/licenses/by/4.0/';

/**
 * The seeded records, by local id, from a fresh store whose journal facts are set as given (column
 * names of the journal table): the seed leaves access rights, licence and ISSN unknown.
 */
export function seededRecords(journal: Record<string, string> = {}): Map<string, ArticleRecord> {
  const server = makeServer();
  const columns = Object.keys(journal);
  if (columns.length > 0) {
    const db = new Database(server.dbPath);
    db.prepare(`UPDATE journal SET ${columns.map((c) => `${c} = @${c}`).join(', ')}`).run(journal);
    db.close();
  }
  return new Map(IDS.map((id) => [id, server.store.repository.getRecord(id)!]));
}

/** A format's output depends on the record alone: not on the clock, and it leaves the record as it was. */
export function expectPure(format: MetadataFormat, record: ArticleRecord): void {
  const before = structuredClone(record);
  const first = format.render(record, context);
  vi.useFakeTimers();
  try {
    vi.setSystemTime(new Date('2031-01-01T00:00:00Z'));
    expect(format.render(record, context)).toBe(first);
    expect(format.canDisseminate(record)).toBe(true);
    expect(record).toEqual(before);
  } finally {
    vi.useRealTimers();
  }
}
