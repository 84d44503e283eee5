-- Each record's metadata is kept compressed: raw deflate ended by a full flush, with its plain
-- length and its CRC-32 and Adler-32. A gzip or deflate response splices the stored bytes between
-- compressed pieces of its own and combines the checksums, so metadata is never compressed per
-- request; a plain response inflates it. Stored this way, a record takes a quarter of the disk.
-- The rows are converted by code in the same transaction (src/store/migration-steps.ts): the
-- served bytes stay the same, so no datestamp moves.
ALTER TABLE fragment RENAME TO fragment_text;

CREATE TABLE fragment (
  article_id INTEGER NOT NULL REFERENCES article (id) ON DELETE CASCADE,
  prefix     TEXT NOT NULL,
  deflated   BLOB NOT NULL,
  length     INTEGER NOT NULL,
  crc32      INTEGER NOT NULL,
  adler32    INTEGER NOT NULL,
  PRIMARY KEY (article_id, prefix)
) STRICT;
