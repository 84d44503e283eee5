-- Each record's metadata in each format is also a document of its own on the web
-- (/articles/<id>/metadata/<prefix>.xml), listed by ResourceSync. What those lists say of a
-- document is computed when its fragment is written, never per request: the digests and length of
-- the exact bytes served, and the datestamp at which the document (re)appeared, which tells a
-- creation from an update. A document that no longer exists (its record withdrawn, or a field its
-- format requires cleared) keeps its row without digests, so that Change Lists can report it deleted.
-- A narrow table of its own: reading digests next to kilobytes of XML would drag overflow pages in.
CREATE TABLE document (
  article_id INTEGER NOT NULL REFERENCES article (id) ON DELETE CASCADE,
  prefix     TEXT NOT NULL,
  -- The record's datestamp when the document last appeared; NULL when it predates this table.
  created    TEXT,
  md5        BLOB,
  sha256     BLOB,
  length     INTEGER,
  PRIMARY KEY (article_id, prefix),
  CHECK ((md5 IS NULL) = (sha256 IS NULL) AND (md5 IS NULL) = (length IS NULL))
) STRICT, WITHOUT ROWID;

-- Records written before this table get their rows from the code (the digests need it), once:
-- the first writer that opens the store does it and removes this mark.
INSERT INTO meta (key, value) VALUES ('documents_backfill', 'pending');
