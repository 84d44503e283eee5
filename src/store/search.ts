import type { ArticleInput } from '../model.js';
import { toAsciiDigits, toPersianLetters } from '../text/normalize.js';
import type { Db } from './open.js';
import { statement } from './statements.js';

/** Bumped when what the index holds changes, so that stores rebuild it once. */
export const SEARCH_INDEX_VERSION = 1;

// Arabic diacritics (harakat, superscript alef) and the tatweel: they vary between sources of the
// same word, and the tokenizer would otherwise treat them as word breaks.
const IGNORED = /[\u064B-\u065F\u0670\u0640]/g;

/**
 * Text as the index and the queries both see it: NFC, Persian ی and ک, ASCII digits, no
 * diacritics, and the half-space (ZWNJ) as a word break, since sources often lose it.
 */
export function searchText(value: string): string {
  return toAsciiDigits(toPersianLetters(value.normalize('NFC')))
    .replace(IGNORED, '')
    .replace(/\u200C/g, ' ')
    .toLocaleLowerCase('en');
}

/**
 * A user's query as an FTS5 expression: every word must match, each as a prefix (Persian
 * attaches plural and possessive endings to the word). Null when there is no word to search.
 */
export function searchQuery(input: string): string | null {
  const words = searchText(input).match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.length === 0 ? null : words.map((w) => `"${w}"*`).join(' ');
}

/** An article's row of the search index, column by column, as {@link searchText} gives them. */
export type SearchColumns = [titleFa: string, titleEn: string, abstractFa: string, abstractEn: string, authors: string, keywords: string];

/**
 * The search index's columns for an article, or for the fields a patch gives (one it does not give
 * reads as empty): pure, so an import computes them off the main thread.
 */
export function searchColumns(article: Partial<Pick<ArticleInput, 'titleFa' | 'titleEn' | 'abstractFa' | 'abstractEn' | 'authors' | 'keywordsFa' | 'keywordsEn'>>): SearchColumns {
  return [
    searchText(article.titleFa ?? ''),
    searchText(article.titleEn ?? ''),
    searchText(article.abstractFa ?? ''),
    searchText(article.abstractEn ?? ''),
    searchText((article.authors ?? []).flatMap((a) => [a.nameFa ?? '', a.nameEn ?? '']).join(' ')),
    searchText([...(article.keywordsFa ?? []), ...(article.keywordsEn ?? [])].join(' ')),
  ];
}

/** Writes one article's row of the search index: its columns computed here, unless given. */
export function indexArticle(db: Db, id: number, article: ArticleInput, columns: SearchColumns = searchColumns(article)): void {
  statement(db, 'DELETE FROM article_search WHERE rowid = ?').run(id);
  statement(db, 'INSERT INTO article_search (rowid, title_fa, title_en, abstract_fa, abstract_en, authors, keywords) VALUES (?, ?, ?, ?, ?, ?, ?)').run(id, ...columns);
}

/** Rebuilds the whole index when it was built by older code (or never), in one transaction. */
export function ensureSearchIndex(db: Db, load: (id: number) => ArticleInput | null): boolean {
  const version = db.prepare<[], string>(`SELECT value FROM meta WHERE key = 'search_index'`).pluck().get();
  if (version === String(SEARCH_INDEX_VERSION)) return false;
  db.transaction(() => {
    // A contentless index is emptied by its own command.
    db.exec(`INSERT INTO article_search (article_search) VALUES ('delete-all')`);
    for (const id of db.prepare<[], number>('SELECT id FROM article').pluck().all()) {
      const article = load(id);
      if (article) indexArticle(db, id, article);
    }
    db.prepare(`INSERT INTO meta (key, value) VALUES ('search_index', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(
      String(SEARCH_INDEX_VERSION),
    );
  })();
  return true;
}
