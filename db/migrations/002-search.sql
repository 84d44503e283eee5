-- Full-text search over both languages, for the browse pages. One row per article, rowid = article.id.
-- The text is written by the application, normalized the way queries are (Persian letters, no
-- diacritics, no tatweel), so the index and the queries agree; see src/store/search.ts.
CREATE VIRTUAL TABLE article_search USING fts5(
  title_fa,
  title_en,
  abstract_fa,
  abstract_en,
  authors,
  keywords,
  tokenize = 'unicode61 remove_diacritics 2'
);
