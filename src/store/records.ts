import type { ArticleInput, ArticleRecord, Author, IssueInfo, Lang, OaiSet, RecordHeader } from '../model.js';
import type { OaiRepository, Page, RecordKey, RecordQuery, StoredRecord } from '../oai/repository.js';
import type { Db } from './open.js';

interface HeaderRow {
  id: number;
  local_id: string;
  datestamp: string;
  deleted: number;
}

/** A stored record's content, in the shape sources and imports use. */
export function toArticleInput(record: ArticleRecord): ArticleInput {
  return {
    pageStart: record.pageStart,
    pageEnd: record.pageEnd,
    doi: record.doi,
    landingUrl: record.landingUrl,
    titleFa: record.text.fa.title,
    titleEn: record.text.en.title,
    abstractFa: record.text.fa.abstract,
    abstractEn: record.text.en.abstract,
    keywordsFa: record.keywords.fa,
    keywordsEn: record.keywords.en,
    authors: record.authors,
  };
}

/** The columns of the issue table that metadata reads. */
export interface IssueColumns {
  number: number;
  volume: number | null;
  season_fa: string | null;
  season_en: string | null;
  year_solar: number | null;
  date_solar: string | null;
  date_published: string | null;
}

/** An issue row as the model's IssueInfo. */
export function issueFromRow(row: IssueColumns): IssueInfo {
  return {
    number: row.number,
    volume: row.volume,
    seasonFa: row.season_fa,
    seasonEn: row.season_en,
    yearSolar: row.year_solar,
    dateSolar: row.date_solar,
    datePublished: row.date_published,
  };
}

interface ArticleRow extends HeaderRow, IssueColumns {
  page_start: number;
  page_end: number;
  doi: string | null;
  landing_url: string | null;
  language: string;
  code: string;
  name_fa: string | null;
  name_en: string | null;
  publisher_fa: string | null;
  publisher_en: string | null;
  issn_print: string | null;
  issn_online: string | null;
  website: string | null;
  access_rights: string | null;
  license: string | null;
}

interface SetRow {
  spec: string;
  name_fa: string | null;
  name_en: string;
  description_fa: string | null;
  description_en: string | null;
}

// Bounds that stand for "no bound", so that one statement serves every query.
const NO_FROM = '';
const NO_UNTIL = '~';
const START: RecordKey = { datestamp: '', id: 0 };

const KEYSET_WHERE = `a.datestamp >= @from AND a.datestamp <= @until`;
const IN_SET = `EXISTS (SELECT 1 FROM set_member m WHERE m.set_spec = @set AND m.article_id = a.id)`;
const IN_FORMAT = `(a.deleted = 1 OR EXISTS (SELECT 1 FROM fragment f WHERE f.prefix = @format AND f.article_id = a.id))`;

/** The four shapes of a list query: with or without a set, with or without a format check. */
type Variant = 'all' | 'set' | 'format' | 'setFormat';
const VARIANTS: Record<Variant, string> = {
  all: '',
  set: `AND ${IN_SET}`,
  format: `AND ${IN_FORMAT}`,
  setFormat: `AND ${IN_SET} AND ${IN_FORMAT}`,
};

function variantOf(query: RecordQuery): Variant {
  const hasFormat = query.format !== undefined && query.format !== null;
  if (query.set === null) return hasFormat ? 'format' : 'all';
  return hasFormat ? 'setFormat' : 'set';
}

/** The named parameters of a list query; unused ones are left out, as better-sqlite3 requires. */
function listParams(query: RecordQuery): Record<string, string> {
  const params: Record<string, string> = { from: query.from ?? NO_FROM, until: query.until ?? NO_UNTIL };
  if (query.set !== null) params['set'] = query.set;
  if (query.format !== undefined && query.format !== null) params['format'] = query.format;
  return params;
}
const ARTICLE_COLUMNS = `a.id, a.local_id, a.datestamp, a.deleted, a.page_start, a.page_end, a.doi, a.landing_url, a.language,
  i.number, i.volume, i.season_fa, i.season_en, i.year_solar, i.date_solar, i.date_published,
  j.code, j.name_fa, j.name_en, j.publisher_fa, j.publisher_en, j.issn_print, j.issn_online, j.website, j.access_rights, j.license`;
const ARTICLE_FROM = `article a JOIN issue i ON i.id = a.issue_id JOIN journal j ON j.id = i.journal_id`;
const IDS = `(SELECT value FROM json_each(?))`;

/** The store as the protocol sees it: prepared statements, keyset pages, no OFFSET anywhere. */
export class SqliteRepository implements OaiRepository {
  private readonly statements;

  constructor(db: Db) {
    const page = (variant: Variant) =>
      db.prepare<Record<string, string | number>, HeaderRow>(
        `SELECT a.id, a.local_id, a.datestamp, a.deleted FROM article a
         WHERE ${KEYSET_WHERE} AND (a.datestamp, a.id) > (@afterDatestamp, @afterId) ${VARIANTS[variant]}
         ORDER BY a.datestamp, a.id LIMIT @limit`,
      );
    const count = (variant: Variant) =>
      db.prepare<Record<string, string>, number>(`SELECT count(*) FROM article a WHERE ${KEYSET_WHERE} ${VARIANTS[variant]}`).pluck();
    const each = <T>(make: (v: Variant) => T): Record<Variant, T> => ({ all: make('all'), set: make('set'), format: make('format'), setFormat: make('setFormat') });
    this.statements = {
      earliest: db.prepare<[], string | null>('SELECT min(datestamp) FROM article').pluck(),
      sample: db.prepare<[], string>('SELECT local_id FROM article ORDER BY id LIMIT 1').pluck(),
      idByLocal: db.prepare<[string], number>('SELECT id FROM article WHERE local_id = ?').pluck(),
      idsByLocal: db.prepare<[string], { id: number; local_id: string }>('SELECT id, local_id FROM article WHERE local_id IN (SELECT value FROM json_each(?))'),
      page: each(page),
      count: each(count),
      articles: db.prepare<[string], ArticleRow>(`SELECT ${ARTICLE_COLUMNS} FROM ${ARTICLE_FROM} WHERE a.id IN ${IDS}`),
      texts: db.prepare<[string], { article_id: number; lang: Lang; title: string | null; title_source: string | null; abstract: string | null }>(
        `SELECT article_id, lang, title, title_source, abstract FROM article_text WHERE article_id IN ${IDS}`,
      ),
      authors: db.prepare<[string], { article_id: number; name_fa: string | null; name_en: string | null; corresponding: number }>(
        `SELECT article_id, name_fa, name_en, corresponding FROM author WHERE article_id IN ${IDS} ORDER BY article_id, position`,
      ),
      keywords: db.prepare<[string], { article_id: number; lang: Lang; value: string }>(
        `SELECT article_id, lang, value FROM keyword WHERE article_id IN ${IDS} ORDER BY article_id, lang, position`,
      ),
      memberships: db.prepare<[string], { article_id: number; set_spec: string }>(
        `SELECT article_id, set_spec FROM set_member WHERE article_id IN ${IDS} ORDER BY article_id, set_spec`,
      ),
      fragments: db.prepare<[string, string], { article_id: number; xml: string }>(
        `SELECT article_id, xml FROM fragment WHERE prefix = ? AND article_id IN ${IDS}`,
      ),
      fragment: db
        .prepare<[string, string], string>('SELECT f.xml FROM fragment f JOIN article a ON a.id = f.article_id WHERE f.prefix = ? AND a.local_id = ?')
        .pluck(),
      countSets: db.prepare<[], number>('SELECT count(*) FROM oai_set').pluck(),
      setExists: db.prepare<[string], number>('SELECT 1 FROM oai_set WHERE spec = ?').pluck(),
      sets: db.prepare<[string, number], SetRow>('SELECT * FROM oai_set WHERE spec > ? ORDER BY spec LIMIT ?'),
    };
  }

  earliestDatestamp(): string | null {
    return this.statements.earliest.get() ?? null;
  }

  sampleLocalId(): string | null {
    return this.statements.sample.get() ?? null;
  }

  getRecord(localId: string): ArticleRecord | null {
    const id = this.statements.idByLocal.get(localId);
    return id === undefined ? null : (this.load([id])[0] ?? null);
  }

  /**
   * Whole records for many local ids at once, in the order given, with a fixed number of queries;
   * unknown ids are skipped.
   */
  getRecords(localIds: readonly string[]): Array<ArticleRecord & { id: number }> {
    const byLocal = new Map(this.statements.idsByLocal.all(JSON.stringify(localIds)).map((r) => [r.local_id, r.id]));
    const ids = localIds.flatMap((localId) => byLocal.get(localId) ?? []);
    return this.load(ids).map((record) => ({ ...record, id: byLocal.get(record.localId) ?? 0 }));
  }

  countRecords(query: RecordQuery): number {
    return this.statements.count[variantOf(query)].get(listParams(query)) ?? 0;
  }

  listHeaders(query: RecordQuery, after: RecordKey | null, limit: number): Page<RecordHeader, RecordKey> {
    const { rows, hasMore, last } = this.page(query, after, limit);
    const sets = this.setsOf(rows.map((r) => r.id));
    return {
      items: rows.map((r) => ({ localId: r.local_id, datestamp: r.datestamp, deleted: r.deleted === 1, setSpecs: sets.get(r.id) ?? [] })),
      hasMore,
      last,
    };
  }

  listRecords(query: RecordQuery, after: RecordKey | null, limit: number, prefix: string): Page<StoredRecord, RecordKey> {
    const { rows, hasMore, last } = this.page(query, after, limit);
    const ids = rows.map((r) => r.id);
    const sets = this.setsOf(ids);
    const fragments = new Map(this.statements.fragments.all(prefix, JSON.stringify(ids)).map((f) => [f.article_id, f.xml]));
    return {
      items: rows.map((r) => ({
        localId: r.local_id,
        datestamp: r.datestamp,
        deleted: r.deleted === 1,
        setSpecs: sets.get(r.id) ?? [],
        metadata: r.deleted === 1 ? null : (fragments.get(r.id) ?? null),
      })),
      hasMore,
      last,
    };
  }

  getFragment(localId: string, prefix: string): string | null {
    return this.statements.fragment.get(prefix, localId) ?? null;
  }

  countSets(): number {
    return this.statements.countSets.get() ?? 0;
  }

  setExists(spec: string): boolean {
    return this.statements.setExists.get(spec) !== undefined;
  }

  listSets(afterSpec: string | null, limit: number): Page<OaiSet, string> {
    const rows = this.statements.sets.all(afterSpec ?? '', limit + 1);
    const items = rows.slice(0, limit).map((r) => ({
      spec: r.spec,
      nameFa: r.name_fa,
      nameEn: r.name_en,
      descriptionFa: r.description_fa,
      descriptionEn: r.description_en,
    }));
    return { items, hasMore: rows.length > limit, last: items.at(-1)?.spec ?? null };
  }

  /** One page of keys, asking for one row more than the page to learn whether more follow. */
  private page(query: RecordQuery, after: RecordKey | null, limit: number): { rows: HeaderRow[]; hasMore: boolean; last: RecordKey | null } {
    const key = after ?? START;
    const params = { ...listParams(query), afterDatestamp: key.datestamp, afterId: key.id, limit: limit + 1 };
    const rows = this.statements.page[variantOf(query)].all(params);
    const pageRows = rows.slice(0, limit);
    const lastRow = pageRows.at(-1);
    return { rows: pageRows, hasMore: rows.length > limit, last: lastRow ? { datestamp: lastRow.datestamp, id: lastRow.id } : null };
  }

  private setsOf(ids: number[]): Map<number, string[]> {
    const sets = new Map<number, string[]>();
    for (const m of this.statements.memberships.all(JSON.stringify(ids))) {
      const list = sets.get(m.article_id) ?? [];
      list.push(m.set_spec);
      sets.set(m.article_id, list);
    }
    return sets;
  }

  /** Whole records for the given ids, in the same order, with a fixed number of queries. */
  private load(ids: number[]): ArticleRecord[] {
    if (ids.length === 0) return [];
    const json = JSON.stringify(ids);
    const byId = new Map(this.statements.articles.all(json).map((row) => [row.id, row]));
    const texts = group(this.statements.texts.all(json));
    const authors = group(this.statements.authors.all(json));
    const keywords = group(this.statements.keywords.all(json));
    const sets = this.setsOf(ids);
    return ids.flatMap((id) => {
      const row = byId.get(id);
      if (!row) return [];
      const text = (lang: Lang) => {
        const t = texts.get(id)?.find((x) => x.lang === lang);
        return { title: t?.title ?? null, titleSource: t?.title_source ?? null, abstract: t?.abstract ?? null };
      };
      const words = (lang: Lang) => (keywords.get(id) ?? []).filter((k) => k.lang === lang).map((k) => k.value);
      const people: Author[] = (authors.get(id) ?? []).map((a) => ({ nameFa: a.name_fa, nameEn: a.name_en, corresponding: a.corresponding === 1 }));
      return [
        {
          localId: row.local_id,
          datestamp: row.datestamp,
          deleted: row.deleted === 1,
          setSpecs: sets.get(id) ?? [],
          journal: {
            code: row.code,
            nameFa: row.name_fa,
            nameEn: row.name_en,
            publisherFa: row.publisher_fa,
            publisherEn: row.publisher_en,
            issnPrint: row.issn_print,
            issnOnline: row.issn_online,
            website: row.website,
            accessRights: row.access_rights,
            license: row.license,
          },
          issue: issueFromRow(row),
          pageStart: row.page_start,
          pageEnd: row.page_end,
          doi: row.doi,
          landingUrl: row.landing_url,
          language: row.language,
          text: { fa: text('fa'), en: text('en') },
          keywords: { fa: words('fa'), en: words('en') },
          authors: people,
        },
      ];
    });
  }
}

function group<T extends { article_id: number }>(rows: T[]): Map<number, T[]> {
  const map = new Map<number, T[]>();
  for (const row of rows) {
    const list = map.get(row.article_id) ?? [];
    list.push(row);
    map.set(row.article_id, list);
  }
  return map;
}
