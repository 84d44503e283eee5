import { unpackText } from '../deflate/piece.js';
import type { ArticleDetails, ArticleInput, ArticleRecord, Author, IssueInfo, Lang, OaiSet, RecordHeader } from '../model.js';
import type { OaiRepository, Page, RecordKey, RecordQuery, StoredRecord, StreamedPage } from '../oai/repository.js';
import { mapLazily, rowsOf } from '../iterate.js';
import { countParams, FRAGMENT_COLUMNS, keyBounds, listShape, listStatements, SETS, type FragmentColumns, type ListRow, type ListVariant, type RecordRow } from './list-sql.js';
import { FragmentHeads } from './heads.js';
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
    ...record.details,
  };
}

/** The columns of the issue table that metadata reads. */
export interface IssueColumns {
  number: number;
  volume: number | null;
  number_in_volume: number | null;
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
    numberInVolume: row.number_in_volume,
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
  article_license: string | null;
  article_access_rights: string | null;
  resource_type: string | null;
  date_received: string | null;
  date_accepted: string | null;
}

interface SetRow {
  spec: string;
  name_fa: string | null;
  name_en: string;
  description_fa: string | null;
  description_en: string | null;
}

const ARTICLE_COLUMNS = `a.id, a.local_id, a.datestamp, a.deleted, a.page_start, a.page_end, a.doi, a.landing_url, a.language,
  i.number, i.volume, i.number_in_volume, i.season_fa, i.season_en, i.year_solar, i.date_solar, i.date_published,
  j.code, j.name_fa, j.name_en, j.publisher_fa, j.publisher_en, j.issn_print, j.issn_online, j.website, j.access_rights, j.license,
  a.license AS article_license, a.access_rights AS article_access_rights, a.resource_type, a.date_received, a.date_accepted`;
const ARTICLE_FROM = `article a JOIN issue i ON i.id = a.issue_id JOIN journal j ON j.id = i.journal_id`;
const IDS = `(SELECT value FROM json_each(?))`;

/** The store as the protocol sees it: prepared statements, keyset pages, no OFFSET anywhere. */
export class SqliteRepository implements OaiRepository {
  private readonly statements;
  private readonly lists: ReturnType<typeof listStatements>;
  private readonly heads: FragmentHeads;

  constructor(db: Db) {
    this.lists = listStatements(db);
    this.heads = new FragmentHeads(db);
    this.statements = {
      earliest: db.prepare<[], string | null>('SELECT min(datestamp) FROM article').pluck(),
      // SQLite's own counter: it moves when another connection (an import, an admin command) commits.
      dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck(),
      sample: db.prepare<[], string>('SELECT local_id FROM article ORDER BY id LIMIT 1').pluck(),
      idByLocal: db.prepare<[string], number>('SELECT id FROM article WHERE local_id = ?').pluck(),
      idsByLocal: db.prepare<[string], { id: number; local_id: string }>('SELECT id, local_id FROM article WHERE local_id IN (SELECT value FROM json_each(?))'),
      articles: db.prepare<[string], ArticleRow>(`SELECT ${ARTICLE_COLUMNS} FROM ${ARTICLE_FROM} WHERE a.id IN ${IDS}`),
      texts: db.prepare<[string], { article_id: number; lang: Lang; title: string | null; title_source: string | null; abstract: Buffer | null }>(
        `SELECT article_id, lang, title, title_source, abstract FROM article_text WHERE article_id IN ${IDS}`,
      ),
      authors: db.prepare<[string], { article_id: number; position: number; name_fa: string | null; name_en: string | null; corresponding: number; orcid: string | null }>(
        `SELECT article_id, position, name_fa, name_en, corresponding, orcid FROM author WHERE article_id IN ${IDS} ORDER BY article_id, position`,
      ),
      affiliations: db.prepare<[string], { article_id: number; author_position: number; name_fa: string | null; name_en: string | null; ror: string | null }>(
        `SELECT article_id, author_position, name_fa, name_en, ror FROM author_affiliation WHERE article_id IN ${IDS} ORDER BY article_id, author_position, position`,
      ),
      fullText: db.prepare<[string], { article_id: number; url: string; media_type: string; lang: string | null }>(
        `SELECT article_id, url, media_type, lang FROM full_text WHERE article_id IN ${IDS} ORDER BY article_id, position`,
      ),
      funding: db.prepare<
        [string],
        { article_id: number; funder_name_fa: string | null; funder_name_en: string | null; funder_id: string | null; award_number: string | null; award_title_fa: string | null; award_title_en: string | null }
      >(`SELECT * FROM funding WHERE article_id IN ${IDS} ORDER BY article_id, position`),
      keywords: db.prepare<[string], { article_id: number; lang: Lang; value: string }>(
        `SELECT article_id, lang, value FROM keyword WHERE article_id IN ${IDS} ORDER BY article_id, lang, position`,
      ),
      memberships: db.prepare<[string], { article_id: number; set_spec: string }>(
        `SELECT article_id, set_spec FROM set_member WHERE article_id IN ${IDS} ORDER BY article_id, set_spec`,
      ),
      stored: db.prepare<[string, string], RecordRow>(
        `SELECT a.id, a.local_id, a.datestamp, a.deleted, ${FRAGMENT_COLUMNS}, ${SETS('a.id')}
         FROM article a LEFT JOIN fragment f ON f.article_id = a.id AND f.prefix = ? WHERE a.local_id = ?`,
      ),
      countSets: db.prepare<[], number>('SELECT count(*) FROM oai_set').pluck(),
      setExists: db.prepare<[string], number>('SELECT 1 FROM oai_set WHERE spec = ?').pluck(),
      sets: db.prepare<[string, number], SetRow>('SELECT * FROM oai_set WHERE spec > ? ORDER BY spec LIMIT ?'),
    };
  }

  private toStored(row: RecordRow): StoredRecord {
    // A left join: a deleted record, or one without this format, has no fragment columns.
    return { ...toHeader(row), metadata: row.deleted === 1 || row.deflated === null ? null : this.heads.framed(row as FragmentColumns) };
  }

  dataVersion(): number {
    return this.statements.dataVersion.get() ?? 0;
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
    return this.lists.count[listShape(query).variant].get(countParams(query)) ?? 0;
  }

  listHeaders(query: RecordQuery, after: RecordKey | null, limit: number): StreamedPage<RecordHeader, RecordKey> {
    const { variant, range, ...page } = this.page(query, after, limit);
    const statement = this.lists.headers[variant];
    return { ...page, items: mapLazily(rowsOf(() => statement.iterate(range)), toHeader) };
  }

  listRecords(query: RecordQuery, after: RecordKey | null, limit: number, prefix: string): StreamedPage<StoredRecord, RecordKey> {
    const { variant, range, ...page } = this.page(query, after, limit);
    const statement = this.lists.records[variant];
    // The format check is the join itself here, so the shape's @format is not a parameter.
    const { format: _format, ...rest } = range;
    return { ...page, items: mapLazily(rowsOf(() => statement.iterate({ ...rest, prefix })), (row) => this.toStored(row)) };
  }

  getStoredRecord(localId: string, prefix: string): StoredRecord | null {
    const row = this.statements.stored.get(prefix, localId);
    return row === undefined ? null : this.toStored(row);
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

  /**
   * One page of keys from the index, asking for one more than the page to learn whether more
   * follow, and the parameters that read exactly the page's rows.
   */
  private page(
    query: RecordQuery,
    after: RecordKey | null,
    limit: number,
  ): Omit<StreamedPage<never, RecordKey>, 'items'> & { variant: ListVariant; range: Record<string, string | number> } {
    const { variant, params } = listShape(query);
    const bounds = { ...params, ...keyBounds(query, after) };
    const keys = this.lists.keys[variant].all({ ...bounds, limit: limit + 1 });
    const size = Math.min(limit, keys.length);
    const last = keys[size - 1];
    if (last === undefined) return { size: 0, hasMore: false, last: null, variant, range: { ...bounds, limit: 0 } };
    return {
      size,
      hasMore: keys.length > limit,
      last: { datestamp: last.datestamp, id: last.id },
      variant,
      range: { ...bounds, lastDatestamp: last.datestamp, lastId: last.id, limit: size },
    };
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
    const affiliations = group(this.statements.affiliations.all(json));
    const fullTexts = group(this.statements.fullText.all(json));
    const fundings = group(this.statements.funding.all(json));
    const keywords = group(this.statements.keywords.all(json));
    const sets = this.setsOf(ids);
    return ids.flatMap((id) => {
      const row = byId.get(id);
      if (!row) return [];
      const text = (lang: Lang) => {
        const t = texts.get(id)?.find((x) => x.lang === lang);
        return { title: t?.title ?? null, titleSource: t?.title_source ?? null, abstract: t?.abstract == null ? null : unpackText(t.abstract) };
      };
      const words = (lang: Lang) => (keywords.get(id) ?? []).filter((k) => k.lang === lang).map((k) => k.value);
      const people: Author[] = (authors.get(id) ?? []).map((a) => {
        const person: Author = { nameFa: a.name_fa, nameEn: a.name_en, corresponding: a.corresponding === 1 };
        // Only what a source gave: a record without these has no such keys at all.
        if (a.orcid !== null) person.orcid = a.orcid;
        const affs = (affiliations.get(id) ?? []).filter((f) => f.author_position === a.position);
        if (affs.length > 0) person.affiliations = affs.map((f) => ({ nameFa: f.name_fa, nameEn: f.name_en, ror: f.ror }));
        return person;
      });
      const details: ArticleDetails = {
        license: row.article_license,
        accessRights: row.article_access_rights,
        resourceType: row.resource_type,
        dateReceived: row.date_received,
        dateAccepted: row.date_accepted,
        fullText: (fullTexts.get(id) ?? []).map((f) => ({ url: f.url, mediaType: f.media_type, lang: f.lang })),
        funding: (fundings.get(id) ?? []).map((f) => ({
          funderNameFa: f.funder_name_fa,
          funderNameEn: f.funder_name_en,
          funderId: f.funder_id,
          awardNumber: f.award_number,
          awardTitleFa: f.award_title_fa,
          awardTitleEn: f.award_title_en,
        })),
      };
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
          ...pagesFromRow(row),
          doi: row.doi,
          landingUrl: row.landing_url,
          language: row.language,
          text: { fa: text('fa'), en: text('en') },
          keywords: { fa: words('fa'), en: words('en') },
          authors: people,
          details,
        },
      ];
    });
  }
}

/** The stored pages; 0-0 stands for "not known" (see migration 007). */
export function pagesFromRow(row: { page_start: number; page_end: number }): { pageStart: number | null; pageEnd: number | null } {
  return row.page_start === 0 ? { pageStart: null, pageEnd: null } : { pageStart: row.page_start, pageEnd: row.page_end };
}

function toHeader(row: ListRow): RecordHeader {
  // A setSpec never contains a space; the specs come joined by one, in no set order.
  const setSpecs = row.sets === null ? [] : row.sets.split(' ').sort();
  return { localId: row.local_id, datestamp: row.datestamp, deleted: row.deleted === 1, setSpecs };
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
