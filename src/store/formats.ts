import type { MetadataFormat } from '../formats/registry.js';
import { OPEN_ACCESS } from '../formats/shared.js';
import type { Db } from './open.js';
import { SqliteRepository } from './records.js';
import { statement } from './statements.js';


/** The formats whose availability is tracked: those that cannot disseminate every record. */
function tracked(formats: Iterable<MetadataFormat>): MetadataFormat[] {
  return [...formats].filter((f) => f.everyRecord !== true);
}

/**
 * Recomputes, for the given articles (all when omitted), which formats can disseminate them, and
 * which are in the `openaire` set. Called after every write that can change either.
 */
export function refreshAvailability(db: Db, formats: Iterable<MetadataFormat>, localIds?: readonly string[]): void {
  const repository = new SqliteRepository(db);
  const ids = localIds ?? db.prepare<[], string>('SELECT local_id FROM article').pluck().all();
  const idOf = statement(db, 'SELECT id FROM article WHERE local_id = ?').pluck();
  const formatsTracked = tracked(formats);
  for (const localId of ids) {
    const record = repository.getRecord(localId);
    const id = idOf.get(localId) as number | undefined;
    if (!record || id === undefined) continue;
    statement(db, 'DELETE FROM format_availability WHERE article_id = ?').run(id);
    for (const format of formatsTracked) {
      if (format.canDisseminate(record)) statement(db, 'INSERT INTO format_availability (prefix, article_id) VALUES (?, ?)').run(format.prefix, id);
    }
    const open = !record.deleted && record.journal.accessRights === OPEN_ACCESS;
    if (open) statement(db, `INSERT INTO set_member (set_spec, article_id) VALUES ('openaire', ?) ON CONFLICT DO NOTHING`).run(id);
    else statement(db, `DELETE FROM set_member WHERE set_spec = 'openaire' AND article_id = ?`).run(id);
  }
}

/** One format whose serializer version changed since the records were stamped. */
export interface Restamp {
  prefix: string;
  from: number;
  to: number;
  records: number;
}

/**
 * Brings the stored format versions up to the code's. A format whose version changed re-stamps,
 * once, every live record it disseminates, so that harvesters fetch the new output (§2.7.1). A
 * new store, or a new format, only records its version: nothing a harvester holds has changed.
 */
export function syncFormatVersions(db: Db, formats: Iterable<MetadataFormat>, stamp: (previous: string) => string): Restamp[] {
  const stored = new Map(db.prepare<[], { prefix: string; version: number }>('SELECT prefix, version FROM format_version').all().map((r) => [r.prefix, r.version]));
  const list = [...formats];
  const restamps: Restamp[] = [];
  const availabilityKnown = stored.size > 0;
  if (!availabilityKnown) refreshAvailability(db, list);
  for (const format of list) {
    const before = stored.get(format.prefix);
    if (before === format.version) continue;
    db.prepare('INSERT INTO format_version (prefix, version) VALUES (?, ?) ON CONFLICT (prefix) DO UPDATE SET version = excluded.version').run(
      format.prefix,
      format.version,
    );
    if (before === undefined) {
      if (availabilityKnown) refreshAvailability(db, [format]);
      continue;
    }
    refreshAvailability(db, [format]);
    type Row = { id: number; datestamp: string };
    const rows =
      format.everyRecord === true
        ? db.prepare<[], Row>('SELECT id, datestamp FROM article WHERE deleted = 0').all()
        : db
            .prepare<[string], Row>('SELECT a.id, a.datestamp FROM article a JOIN format_availability v ON v.article_id = a.id AND v.prefix = ? WHERE a.deleted = 0')
            .all(format.prefix);
    const update = statement(db, 'UPDATE article SET datestamp = ? WHERE id = ?');
    for (const row of rows) update.run(stamp(row.datestamp), row.id);
    restamps.push({ prefix: format.prefix, from: before, to: format.version, records: rows.length });
  }
  return restamps;
}
