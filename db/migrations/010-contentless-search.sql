-- The search index keeps no copy of the texts it indexes: it answers MATCH with row ids, and the
-- texts are in article_text already. A contentless table with deletes (SQLite 3.43) saves about a
-- quarter of what a record took after its metadata was compressed. The next writer to open the
-- store fills it again (src/store/search.ts), once.
DROP TABLE article_search;
CREATE VIRTUAL TABLE article_search USING fts5(
  title_fa,
  title_en,
  abstract_fa,
  abstract_en,
  authors,
  keywords,
  content = '',
  contentless_delete = 1,
  tokenize = 'unicode61 remove_diacritics 2'
);
DELETE FROM meta WHERE key = 'search_index';
