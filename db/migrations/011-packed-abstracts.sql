-- Abstracts are the longest texts of a record and are read only by this code (to render the
-- formats, index the search, show the pages), never matched by SQL: they are kept as raw deflate.
-- About 3 KB less per record. The rows are converted by code in the same transaction
-- (src/store/migration-steps.ts); what any reader sees is the same text.
CREATE TABLE article_text_packed (
  article_id   INTEGER NOT NULL REFERENCES article (id) ON DELETE CASCADE,
  lang         TEXT NOT NULL CHECK (lang IN ('fa', 'en')),
  title        TEXT,
  title_source TEXT,
  abstract     BLOB,
  PRIMARY KEY (article_id, lang)
) STRICT;
