-- Metadata is rendered when it is written, not when it is read: each record's XML in each format
-- that can carry it is stored here, and requests only concatenate it. A row's presence is also the
-- record's availability in that format, so the earlier availability table goes.
DROP TABLE format_availability;

CREATE TABLE fragment (
  prefix     TEXT NOT NULL,
  article_id INTEGER NOT NULL REFERENCES article (id) ON DELETE CASCADE,
  xml        TEXT NOT NULL,
  PRIMARY KEY (prefix, article_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX fragment_article ON fragment (article_id);

-- Forget the recorded versions, so the next start renders every format once. The output is what
-- was served before, so no datestamp moves.
DELETE FROM format_version;
