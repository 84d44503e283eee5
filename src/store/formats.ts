import { importWorkers } from '../config.js';
import { documentDigest, type DocumentDigest } from '../formats/document.js';
import { oaiDc } from '../formats/oai-dc.js';
import { FORMATS, type FormatContext, type MetadataFormat } from '../formats/registry.js';
import { OPEN_ACCESS, recordAccessRights } from '../formats/shared.js';
import type { ArticleRecord } from '../model.js';
import { FragmentHeads } from './heads.js';
import { FRAGMENT_COLUMNS, type FragmentColumns } from './list-sql.js';
import type { Db } from './open.js';
import { SqliteRepository } from './records.js';
import { renderSettings, startRenderPool, type RenderPool, type RenderTicket } from './render-pool.js';
import { renderRecord, type FormatOutput, type StoredFragment } from './render-record.js';
import { statement } from './statements.js';

/**
 * Where the stored fragments point (landing pages, OAI identifiers): kept in the store, so every
 * writer renders alike, and a change of PUBLIC_URL is noticed and re-rendered.
 */
export function renderContext(db: Db): FormatContext | null {
  const value = db.prepare<[], string>(`SELECT value FROM meta WHERE key = 'render_context'`).pluck().get();
  return value === undefined ? null : (JSON.parse(value) as FormatContext);
}

type StoredFragmentRow = FragmentColumns & { article_id: number; prefix: string };

/** Records loaded for rendering, with what the store holds for each in each format. */
interface Batch {
  records: Array<ArticleRecord & { id: number }>;
  stored: Array<Array<StoredFragment | null>>;
  /** Ids asked for, found or not: what the batch counts for in the progress. */
  count: number;
}

/**
 * Render threads when they pay: enough renders to outweigh starting them, threads configured, and
 * every format the registry's own, since a thread can only name a format, not carry one.
 */
export function renderPoolFor(renders: number, formats: readonly MetadataFormat[]): RenderPool | null {
  if (renders < renderSettings.minRenders || !formats.every((f) => FORMATS.get(f.prefix) === f)) return null;
  const workers = renderSettings.workers ?? importWorkers();
  return workers > 0 ? startRenderPool(workers) : null;
}

/** How a FragmentRenderer works besides rendering. */
export interface RendererOptions {
  /** The threads to render in (their owner closes them), or null to render on this thread. */
  pool: RenderPool | null;
  /** When given, each live record whose metadata changed gets a new datestamp first (see renderFragments). */
  stamp?: ((previous: string) => string) | undefined;
  /** Told after each batch written, with how many records are done. */
  progress?: ((done: number) => void) | undefined;
  /** Whether `finish` returns the local ids whose metadata changed (a large import does not need them). */
  keepChanged?: boolean;
  /** Records per batch; renderSettings.batch when omitted. A small import renders smaller ones, so that the threads start sooner. */
  batch?: number;
}

/** A record an import has just added, as the store would give it, with its row id. */
export type NewRecord = ArticleRecord & { id: number };

/** Renders and stores the metadata of records handed to it a few at a time; see renderFragments. */
export interface FragmentRenderer {
  /**
   * Queues records whose rows are final, and renders each full batch: on the threads, a few
   * batches ahead of this thread, which goes on meanwhile. A record is given by its local id, to
   * be read from the store, or whole when it was just added (as the store would give it, with no
   * metadata stored). Records given across calls must not repeat: a batch is read before the ones
   * ahead of it are written.
   */
  add(records: Iterable<string | NewRecord>): void;
  /** Renders what is queued, writes everything, and returns the local ids whose stored metadata changed. */
  finish(): Set<string>;
}

/**
 * A renderer of the given formats' metadata, inside the caller's transaction. It writes nothing
 * when the store has no render context yet (a first seed: initializeStore renders it all next).
 */
export function fragmentRenderer(db: Db, formats: readonly MetadataFormat[], options: RendererOptions): FragmentRenderer {
  const { pool, stamp, progress } = options;
  const context = renderContext(db);
  const list = [...formats];
  const changed = new Set<string>();
  const repository = new SqliteRepository(db);
  // Its own: the heads it writes belong to the caller's transaction.
  const heads = new FragmentHeads(db);
  const stored = statement(
    db,
    `SELECT article_id, prefix, ${FRAGMENT_COLUMNS} FROM fragment f WHERE article_id IN (SELECT value FROM json_each(?)) AND prefix IN (SELECT value FROM json_each(?))`,
  );
  const prefixList = list.map((f) => f.prefix);
  const prefixes = JSON.stringify(prefixList);
  const upsert = statement(
    db,
    `INSERT INTO fragment (prefix, article_id, head, deflated, length, crc32, adler32) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (article_id, prefix) DO UPDATE SET head = excluded.head, deflated = excluded.deflated, length = excluded.length, crc32 = excluded.crc32, adler32 = excluded.adler32`,
  );
  const remove = statement(db, 'DELETE FROM fragment WHERE prefix = ? AND article_id = ?');
  const restamp = statement(db, 'UPDATE article SET datestamp = ? WHERE id = ?');
  const join = statement(db, `INSERT INTO set_member (set_spec, article_id) VALUES ('openaire', ?) ON CONFLICT DO NOTHING`);
  const leave = statement(db, `DELETE FROM set_member WHERE set_spec = 'openaire' AND article_id = ?`);
  const size = Math.max(1, options.batch ?? renderSettings.batch);
  const queue: Array<string | NewRecord> = [];
  const inFlight: Array<{ batch: Batch; ticket: RenderTicket }> = [];
  let done = 0;

  // In batches: loading records one by one would cost a dozen queries each. A record given whole
  // is not read again, and has no metadata stored.
  const load = (items: ReadonlyArray<string | NewRecord>): Batch => {
    const ids = items.filter((item): item is string => typeof item === 'string');
    const loaded = ids.length === 0 ? [] : repository.getRecords(ids);
    const previous = new Map<string, StoredFragment>();
    if (loaded.length > 0) {
      for (const row of stored.all(JSON.stringify(loaded.map((r) => r.id)), prefixes) as Array<StoredFragmentRow>) {
        previous.set(`${row.prefix} ${row.article_id}`, heads.stored(row));
      }
    }
    const byLocal = new Map(loaded.map((record) => [record.localId, record]));
    const records = items.flatMap((item) => (typeof item === 'string' ? (byLocal.get(item) ?? []) : [item]));
    const before = records.map((record) => list.map((format) => previous.get(`${format.prefix} ${record.id}`) ?? null));
    return { records, stored: before, count: items.length };
  };

  const write = (batch: Batch, outputs: FormatOutput[][]): void => {
    for (const [i, record] of batch.records.entries()) {
      // One output per record and format: renderRecord makes them so, and unpackOutputs checks.
      const row = outputs[i] as FormatOutput[];
      const changes = list.flatMap((format, j) => {
        const output = row[j] as FormatOutput;
        return output.kind === 'unchanged' ? [] : [{ prefix: format.prefix, existed: batch.stored[i]?.[j] != null, output }];
      });
      if (changes.length > 0) {
        let datestamp = record.datestamp;
        if (stamp !== undefined && !record.deleted) {
          datestamp = stamp(record.datestamp);
          restamp.run(datestamp, record.id);
        }
        for (const { prefix, existed, output } of changes) {
          if (output.kind === 'removed') remove.run(prefix, record.id);
          else upsert.run(prefix, record.id, heads.idOf(output.head), output.piece.deflated, output.piece.length, output.piece.crc32, output.piece.adler32);
          writeDocument(db, record.id, prefix, existed ? undefined : datestamp, output.kind === 'removed' ? null : output.digest);
        }
        if (options.keepChanged === true) changed.add(record.localId);
      }
      if (!record.deleted && recordAccessRights(record) === OPEN_ACCESS) join.run(record.id);
      else leave.run(record.id);
    }
    done += batch.count;
    progress?.(done);
  };

  const collectOldest = (): void => {
    const oldest = inFlight.shift();
    if (oldest !== undefined && pool !== null) write(oldest.batch, pool.collect(oldest.ticket));
  };

  const step = (ids: ReadonlyArray<string | NewRecord>): void => {
    if (context === null || ids.length === 0) return;
    const batch = load(ids);
    if (pool === null) {
      write(batch, batch.records.map((record, i) => renderRecord(record, list, context, batch.stored[i] ?? [])));
      return;
    }
    // The threads render the batches ahead while this thread writes the oldest, or does its own work.
    inFlight.push({ batch, ticket: pool.submit(batch.records, prefixList, context, batch.stored) });
    while (inFlight.length > Math.max(1, renderSettings.ahead)) collectOldest();
  };

  return {
    add(records) {
      for (const record of records) {
        queue.push(record);
        if (queue.length >= size) step(queue.splice(0, size));
      }
    },
    finish() {
      step(queue.splice(0));
      while (inFlight.length > 0) collectOldest();
      return changed;
    },
  };
}

/**
 * Renders and stores the metadata of the given articles (all when omitted) in the given formats,
 * keeps each format's document (digests, length, when it appeared) in step, and keeps the
 * `openaire` set in step. A deleted record keeps no metadata. Returns the local ids whose stored
 * metadata changed. With `stamp`, each live one of them gets a new datestamp first, so that a
 * document that appears is dated by the change that made it; without it, the caller has already
 * dated the change.
 *
 * Many records are rendered, compressed and digested in worker threads (IMPORT_WORKERS), batches
 * ahead of the main thread, which meanwhile writes the batches before: the same bytes, sooner.
 */
export function renderFragments(
  db: Db,
  formats: Iterable<MetadataFormat>,
  localIds?: readonly string[],
  stamp?: (previous: string) => string,
  progress?: (done: number, total: number) => void,
): Set<string> {
  const list = [...formats];
  // A store not yet initialized (a first seed) has no context; initializeStore renders it all next.
  if (renderContext(db) === null) return new Set();
  // Each record once: batches are then disjoint, so one can be read before the one ahead is written.
  const ids = [...new Set(localIds ?? db.prepare<[], string>('SELECT local_id FROM article').pluck().all())];
  const pool = renderPoolFor(ids.length * list.length, list);
  try {
    const renderer = fragmentRenderer(db, list, {
      pool,
      stamp,
      progress: progress === undefined ? undefined : (done) => progress(done, ids.length),
      keepChanged: true,
    });
    renderer.add(ids);
    return renderer.finish();
  } finally {
    pool?.close();
  }
}

/** How far a whole-store re-render has come, and when it will likely end. */
export interface RenderProgress {
  /** Why every record is rendered again: `PUBLIC_URL`, or a format and its new version. */
  reason: string;
  done: number;
  total: number;
  elapsedMs: number;
  /** Seconds left at the rate so far. */
  remainingSeconds: number;
}

/** A re-render's progress in words, for the server's log and the admin's terminal. */
export function describeProgress(p: RenderProgress): string {
  const left = p.remainingSeconds < 90 ? `${Math.ceil(p.remainingSeconds)} s` : `${Math.ceil(p.remainingSeconds / 60)} min`;
  return `${p.reason}: re-rendering ${p.total} records, ${p.done} done, about ${left} left`;
}

/**
 * A progress callback for renderFragments that tells `report` after the first batch (so the
 * estimate rests on a measured rate) and then every `everyMs`, with the time left.
 */
function reporter(reason: string, report: ((p: RenderProgress) => void) | undefined, everyMs = 10_000): ((done: number, total: number) => void) | undefined {
  if (report === undefined) return undefined;
  const started = Date.now();
  let last = 0;
  return (done, total) => {
    const elapsedMs = Date.now() - started;
    if (done < total && last !== 0 && elapsedMs - last < everyMs) return;
    last = Math.max(elapsedMs, 1);
    report({ reason, done, total, elapsedMs, remainingSeconds: ((total - done) * elapsedMs) / Math.max(done, 1) / 1000 });
  };
}

/**
 * Keeps a document's row in step with its fragment: the digests of its bytes, or none when it is
 * gone. `appeared` is the datestamp of the change that made it appear; undefined leaves the one
 * stored (an update of a document that already existed).
 */
function writeDocument(db: Db, articleId: number, prefix: string, appeared: string | undefined, digest: DocumentDigest | null): void {
  if (digest === null) {
    statement(db, 'UPDATE document SET md5 = NULL, sha256 = NULL, length = NULL WHERE article_id = ? AND prefix = ?').run(articleId, prefix);
    return;
  }
  const { md5, sha256, length } = digest;
  if (appeared !== undefined) {
    statement(
      db,
      `INSERT INTO document (article_id, prefix, created, md5, sha256, length) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (article_id, prefix) DO UPDATE SET created = excluded.created, md5 = excluded.md5, sha256 = excluded.sha256, length = excluded.length`,
    ).run(articleId, prefix, appeared, md5, sha256, length);
  } else {
    statement(
      db,
      `INSERT INTO document (article_id, prefix, md5, sha256, length) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (article_id, prefix) DO UPDATE SET md5 = excluded.md5, sha256 = excluded.sha256, length = excluded.length`,
    ).run(articleId, prefix, md5, sha256, length);
  }
}

const DIGEST_BATCH = 500;

/**
 * Gives every stored fragment its document row: a store written before documents were kept gets
 * them once, from the first writer that opens it. When those documents appeared is not known, so
 * it is left empty. Returns how many were added.
 *
 * Every record then has a row: a record withdrawn before documents were kept has no fragment, but
 * it had Dublin Core, the format every record is given in, while it was live; that document is
 * recorded as gone, so that Change Lists can say so and every record counts in them.
 */
export function ensureDocuments(db: Db): number {
  // Once per store, not at every start: finding what lacks a row reads the whole fragment table.
  const mark = db.prepare<[], string>(`SELECT value FROM meta WHERE key = 'documents_backfill'`).pluck();
  if (mark.get() === undefined) return 0;
  const heads = new FragmentHeads(db);
  db.prepare(
    `INSERT INTO document (article_id, prefix) SELECT a.id, ? FROM article a
     WHERE a.deleted = 1 AND NOT EXISTS (SELECT 1 FROM document d WHERE d.article_id = a.id)`,
  ).run(oaiDc.prefix);
  const pending = db
    .prepare<[number], number>(
      `SELECT DISTINCT f.article_id FROM fragment f
       WHERE f.article_id > ? AND NOT EXISTS (SELECT 1 FROM document d WHERE d.article_id = f.article_id AND d.prefix = f.prefix)
       ORDER BY f.article_id LIMIT ${DIGEST_BATCH}`,
    )
    .pluck();
  const fragments = db.prepare<[string], StoredFragmentRow>(
    `SELECT f.article_id, f.prefix, ${FRAGMENT_COLUMNS} FROM fragment f WHERE f.article_id IN (SELECT value FROM json_each(?))
       AND NOT EXISTS (SELECT 1 FROM document d WHERE d.article_id = f.article_id AND d.prefix = f.prefix)`,
  );
  let added = 0;
  for (let after = 0; ; ) {
    const ids = pending.all(after);
    const last = ids.at(-1);
    if (last === undefined) {
      db.prepare(`DELETE FROM meta WHERE key = 'documents_backfill'`).run();
      return added;
    }
    db.transaction(() => {
      for (const row of fragments.all(JSON.stringify(ids))) {
        writeDocument(db, row.article_id, row.prefix, undefined, documentDigest(heads.framed(row).plain()));
        added++;
      }
    })();
    after = last;
  }
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

/**
 * Brings the stored metadata up to the code and the configuration. A format whose version changed
 * is re-rendered, and the records whose output changed get new datestamps (§2.7.1), once. So do
 * all records when the render context changed. A new store, or a new format, is rendered without
 * moving a datestamp: nothing a harvester holds has changed.
 */
export function syncFormatVersions(
  db: Db,
  formats: Iterable<MetadataFormat>,
  context: FormatContext,
  stamp: (previous: string) => string,
  progress?: (p: RenderProgress) => void,
): Restamp[] {
  const list = [...formats];
  const restamps: Restamp[] = [];
  const previousContext = renderContext(db);
  db.prepare(`INSERT INTO meta (key, value) VALUES ('render_context', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(JSON.stringify(context));
  if (previousContext !== null && JSON.stringify(previousContext) !== JSON.stringify(context)) {
    const changed = renderFragments(db, list, undefined, stamp, reporter('PUBLIC_URL or OAI_REPOSITORY_IDENTIFIER changed', progress));
    restamps.push({ prefix: '*', from: 0, to: 0, records: changed.size });
  }
  const stored = new Map(db.prepare<[], { prefix: string; version: number }>('SELECT prefix, version FROM format_version').all().map((r) => [r.prefix, r.version]));
  for (const format of list) {
    const before = stored.get(format.prefix);
    if (before === format.version) continue;
    db.prepare('INSERT INTO format_version (prefix, version) VALUES (?, ?) ON CONFLICT (prefix) DO UPDATE SET version = excluded.version').run(
      format.prefix,
      format.version,
    );
    // A new format is rendered without moving a datestamp: nothing a harvester holds has changed.
    // A new format (a new store, most often) moves no datestamp and needs no estimate in the log.
    const report = before === undefined ? undefined : reporter(`format ${format.prefix} changed from version ${before} to ${format.version}`, progress);
    const changed = renderFragments(db, [format], undefined, before === undefined ? undefined : stamp, report);
    if (before !== undefined) restamps.push({ prefix: format.prefix, from: before, to: format.version, records: changed.size });
  }
  return restamps;
}
