import { DeflatedText } from '../deflate/piece.js';
import type { RecordKey, RecordQuery } from '../oai/repository.js';
import type { Db } from './open.js';

/**
 * The statements behind ListIdentifiers and ListRecords. Every page is a keyset page on
 * (datestamp, id), read from indexes that hold the key, so page 10,000 costs what page 1 does.
 */

/** The four shapes of a list: with or without a set, with or without a format check. */
export type ListVariant = 'all' | 'set' | 'format' | 'setFormat';
const VARIANTS: readonly ListVariant[] = ['all', 'set', 'format', 'setFormat'];
const bySet = (v: ListVariant) => v === 'set' || v === 'setFormat';
const byFormat = (v: ListVariant) => v === 'format' || v === 'setFormat';

// Stands for "no upper bound on id", so that one statement serves a page's keys and its rows.
const MAX_ID = Number.MAX_SAFE_INTEGER;
const NO_UNTIL = '~';

function variantOf(query: RecordQuery): ListVariant {
  const hasFormat = query.format !== undefined && query.format !== null;
  if (query.set === null) return hasFormat ? 'format' : 'all';
  return hasFormat ? 'setFormat' : 'set';
}

/**
 * Where a list's key lives. A list by set walks the set's own members by their (datestamp, id)
 * index, so a small set costs as little per page as the whole repository.
 */
function keyOf(variant: ListVariant): { datestamp: string; id: string; from: (withArticle: boolean) => string; inSet: string } {
  if (!bySet(variant)) return { datestamp: 'a.datestamp', id: 'a.id', from: () => 'article a', inSet: '' };
  return {
    datestamp: 'm.datestamp',
    id: 'm.article_id',
    from: (withArticle) => `set_member m${withArticle ? ' JOIN article a ON a.id = m.article_id' : ''}`,
    inSet: 'm.set_spec = @set AND ',
  };
}

/** Available in the format: deleted records are listed in every format, with no metadata. */
function inFormat(variant: ListVariant, id: string): string {
  return byFormat(variant) ? `AND (a.deleted = 1 OR EXISTS (SELECT 1 FROM fragment f WHERE f.article_id = ${id} AND f.prefix = @format))` : '';
}

/**
 * A page after (@afterDatestamp, @afterId), up to (@lastDatestamp, @lastId), as two index seeks
 * merged in order: the rest of the key's own second, then the later seconds. One row-value
 * comparison would be simpler, but SQLite seeks on `(datestamp, id) > (?, ?)` only when id is an
 * ordinary column, and article.id is the rowid: it would scan every record of a busy second.
 */
export function pageSql(variant: ListVariant, columns: string, from: string, filter: string): string {
  const key = keyOf(variant);
  const upper = `${key.datestamp} <= @lastDatestamp AND (${key.datestamp} < @lastDatestamp OR ${key.id} <= @lastId)`;
  const select = `SELECT ${key.datestamp} AS datestamp, ${key.id} AS id, ${columns} FROM ${from}`;
  return `${select} WHERE ${key.inSet}${key.datestamp} = @afterDatestamp AND ${key.id} > @afterId AND ${upper} ${filter}
    UNION ALL
    ${select} WHERE ${key.inSet}${key.datestamp} > @afterDatestamp AND ${upper} ${filter}
    ORDER BY datestamp, id LIMIT @limit`;
}

/** A record's set specs, as one space-separated column: a setSpec never contains a space. */
export const SETS = (id: string): string => `(SELECT group_concat(s.set_spec, ' ') FROM set_member s WHERE s.article_id = ${id}) AS sets`;

/** A header row of a list. */
export interface ListRow {
  datestamp: string;
  id: number;
  local_id: string;
  deleted: number;
  sets: string | null;
}

/** The columns of a stored fragment, as `RecordRow` has them (`f` is the fragment table). */
export const FRAGMENT_COLUMNS = 'f.head, f.deflated, f.length, f.crc32, f.adler32';

/** A stored fragment's columns, as FRAGMENT_COLUMNS reads them. */
export interface FragmentColumns {
  /** Its shared head's id in `fragment_head` (heads.ts), or null when `deflated` holds the whole text. */
  head: number | null;
  deflated: Buffer;
  length: number;
  crc32: number;
  adler32: number;
}

/** The compressed body a row holds: the whole text when the row has no head. */
export function storedFragment(row: FragmentColumns): DeflatedText {
  return new DeflatedText(row.deflated, row.length, row.crc32, row.adler32);
}

/** A record row of a list, with its stored metadata. */
export interface RecordRow extends ListRow {
  head: number | null;
  deflated: Buffer | null;
  length: number | null;
  crc32: number | null;
  adler32: number | null;
}

type Params = Record<string, string | number>;

/** Prepares every list statement once. */
export function listStatements(db: Db) {
  const each = <T>(make: (v: ListVariant) => T): Record<ListVariant, T> => Object.fromEntries(VARIANTS.map((v) => [v, make(v)])) as Record<ListVariant, T>;
  return {
    // A page's keys come first, from the index alone: they tell how many rows the page holds,
    // whether more follow and where the next page starts, before a byte of it is written.
    keys: each((v) => db.prepare<Params, RecordKey>(pageSql(v, '1', keyOf(v).from(byFormat(v)), inFormat(v, keyOf(v).id)))),
    headers: each((v) =>
      db.prepare<Params, ListRow>(pageSql(v, `a.local_id, a.deleted, ${SETS('a.id')}`, keyOf(v).from(true), inFormat(v, 'a.id'))),
    ),
    // The metadata as stored, compressed: it goes out spliced into a compressed body, or inflated.
    records: each((v) =>
      db.prepare<Params, RecordRow>(
        pageSql(
          v,
          `a.local_id, a.deleted, ${FRAGMENT_COLUMNS}, ${SETS('a.id')}`,
          `${keyOf(v).from(true)} LEFT JOIN fragment f ON f.article_id = a.id AND f.prefix = @prefix`,
          'AND (a.deleted = 1 OR f.deflated IS NOT NULL)',
        ),
      ),
    ),
    count: each((v) => {
      const key = keyOf(v);
      return db
        .prepare<Params, number>(`SELECT count(*) FROM ${key.from(byFormat(v))} WHERE ${key.inSet}${key.datestamp} >= @from AND ${key.datestamp} <= @until ${inFormat(v, key.id)}`)
        .pluck();
    }),
  };
}

/** The statements of one list shape, with the parameters they share. */
export function listShape(query: RecordQuery): { variant: ListVariant; params: Params } {
  const params: Params = {};
  if (query.set !== null) params['set'] = query.set;
  if (query.format !== undefined && query.format !== null) params['format'] = query.format;
  return { variant: variantOf(query), params };
}

/** The count of a whole list, once per harvest. */
export function countParams(query: RecordQuery): Params {
  return { ...listShape(query).params, from: query.from ?? '', until: query.until ?? NO_UNTIL };
}

/**
 * The bounds of the keys of the page after `after`: the list's `from` folds into the lower key,
 * its `until` into the upper one.
 */
export function keyBounds(query: RecordQuery, after: RecordKey | null): Params {
  const from = query.from ?? '';
  const lower = after !== null && after.datestamp >= from ? after : { datestamp: from, id: 0 };
  return { afterDatestamp: lower.datestamp, afterId: lower.id, lastDatestamp: query.until ?? NO_UNTIL, lastId: MAX_ID };
}
