import type { FormatContext, MetadataFormat } from '../formats/registry.js';
import { OPEN_ACCESS } from '../formats/shared.js';
import type { Db } from './open.js';
import { SqliteRepository } from './records.js';
import { statement } from './statements.js';

/**
 * Where the stored fragments point (landing pages, OAI identifiers): kept in the store, so every
 * writer renders alike, and a change of PUBLIC_URL is noticed and re-rendered.
 */
export function renderContext(db: Db): FormatContext | null {
  const value = db.prepare<[], string>(`SELECT value FROM meta WHERE key = 'render_context'`).pluck().get();
  return value === undefined ? null : (JSON.parse(value) as FormatContext);
}

const RENDER_BATCH = 500;

/**
 * Renders and stores the metadata of the given articles (all when omitted) in the given formats,
 * and keeps the `openaire` set in step. A deleted record keeps no metadata. Returns the local ids
 * whose stored metadata changed, so the caller can move their datestamps.
 */
export function renderFragments(db: Db, formats: Iterable<MetadataFormat>, localIds?: readonly string[]): Set<string> {
  const context = renderContext(db);
  const list = [...formats];
  const changed = new Set<string>();
  // A store not yet initialized (a first seed) has no context; initializeStore renders it all next.
  if (context === null) return changed;
  const repository = new SqliteRepository(db);
  const ids = localIds ?? db.prepare<[], string>('SELECT local_id FROM article').pluck().all();
  const stored = statement(
    db,
    'SELECT article_id, prefix, xml FROM fragment WHERE article_id IN (SELECT value FROM json_each(?)) AND prefix IN (SELECT value FROM json_each(?))',
  );
  const prefixes = JSON.stringify(list.map((f) => f.prefix));
  const upsert = statement(db, 'INSERT INTO fragment (prefix, article_id, xml) VALUES (?, ?, ?) ON CONFLICT (prefix, article_id) DO UPDATE SET xml = excluded.xml');
  const remove = statement(db, 'DELETE FROM fragment WHERE prefix = ? AND article_id = ?');
  const join = statement(db, `INSERT INTO set_member (set_spec, article_id) VALUES ('openaire', ?) ON CONFLICT DO NOTHING`);
  const leave = statement(db, `DELETE FROM set_member WHERE set_spec = 'openaire' AND article_id = ?`);
  // In batches: loading records one by one would cost a dozen queries each.
  for (let start = 0; start < ids.length; start += RENDER_BATCH) {
    const records = repository.getRecords(ids.slice(start, start + RENDER_BATCH));
    const previous = new Map<string, string>();
    for (const row of stored.all(JSON.stringify(records.map((r) => r.id)), prefixes) as Array<{ article_id: number; prefix: string; xml: string }>) {
      previous.set(`${row.prefix} ${row.article_id}`, row.xml);
    }
    for (const record of records) {
      for (const format of list) {
        const before = previous.get(`${format.prefix} ${record.id}`) ?? null;
        const after = !record.deleted && format.canDisseminate(record) ? format.render(record, context) : null;
        if (before === after) continue;
        if (after === null) remove.run(format.prefix, record.id);
        else upsert.run(format.prefix, record.id, after);
        changed.add(record.localId);
      }
      if (!record.deleted && record.journal.accessRights === OPEN_ACCESS) join.run(record.id);
      else leave.run(record.id);
    }
  }
  return changed;
}

/** Why records were re-stamped at start-up. */
export interface Restamp {
  /** The format whose serializer changed, or `*` when the render context (PUBLIC_URL) did. */
  prefix: string;
  from: number;
  to: number;
  records: number;
}

/** A restamp in words, for the server's log and the admin's terminal. */
export function describeRestamp(r: Restamp): string {
  const why = r.prefix === '*' ? 'PUBLIC_URL or OAI_REPOSITORY_IDENTIFIER changed' : `format ${r.prefix} changed from version ${r.from} to ${r.to}`;
  return `${why}: ${r.records} records re-rendered with new datestamps, so harvesters fetch them again`;
}

function restamp(db: Db, localIds: Iterable<string>, stamp: (previous: string) => string): number {
  const row = statement(db, 'SELECT id, datestamp FROM article WHERE local_id = ? AND deleted = 0');
  const update = statement(db, 'UPDATE article SET datestamp = ? WHERE id = ?');
  let n = 0;
  for (const localId of localIds) {
    const r = row.get(localId) as { id: number; datestamp: string } | undefined;
    if (!r) continue;
    update.run(stamp(r.datestamp), r.id);
    n++;
  }
  return n;
}

/**
 * Brings the stored metadata up to the code and the configuration. A format whose version changed
 * is re-rendered, and the records whose output changed get new datestamps (§2.7.1), once. So do
 * all records when the render context changed. A new store, or a new format, is rendered without
 * moving a datestamp: nothing a harvester holds has changed.
 */
export function syncFormatVersions(db: Db, formats: Iterable<MetadataFormat>, context: FormatContext, stamp: (previous: string) => string): Restamp[] {
  const list = [...formats];
  const restamps: Restamp[] = [];
  const previousContext = renderContext(db);
  db.prepare(`INSERT INTO meta (key, value) VALUES ('render_context', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(JSON.stringify(context));
  if (previousContext !== null && JSON.stringify(previousContext) !== JSON.stringify(context)) {
    restamps.push({ prefix: '*', from: 0, to: 0, records: restamp(db, renderFragments(db, list), stamp) });
  }
  const stored = new Map(db.prepare<[], { prefix: string; version: number }>('SELECT prefix, version FROM format_version').all().map((r) => [r.prefix, r.version]));
  for (const format of list) {
    const before = stored.get(format.prefix);
    if (before === format.version) continue;
    db.prepare('INSERT INTO format_version (prefix, version) VALUES (?, ?) ON CONFLICT (prefix) DO UPDATE SET version = excluded.version').run(
      format.prefix,
      format.version,
    );
    const changed = renderFragments(db, [format]);
    if (before !== undefined) restamps.push({ prefix: format.prefix, from: before, to: format.version, records: restamp(db, changed, stamp) });
  }
  return restamps;
}
