-- Pages that cost the same at any depth of a list of millions, and a store that stays compact.

-- Large rows go in rowid tables. A WITHOUT ROWID table keeps whole rows in its interior b-tree
-- pages too, so kilobytes of XML or abstract per row spill into overflow pages at every level:
-- more pages read per lookup, and a third of the file left empty.
CREATE TABLE fragment_rowid (
  article_id INTEGER NOT NULL REFERENCES article (id) ON DELETE CASCADE,
  prefix     TEXT NOT NULL,
  xml        TEXT NOT NULL,
  PRIMARY KEY (article_id, prefix)
) STRICT;
INSERT INTO fragment_rowid (article_id, prefix, xml) SELECT article_id, prefix, xml FROM fragment ORDER BY article_id, prefix;
DROP TABLE fragment;
ALTER TABLE fragment_rowid RENAME TO fragment;

CREATE TABLE article_text_rowid (
  article_id   INTEGER NOT NULL REFERENCES article (id) ON DELETE CASCADE,
  lang         TEXT NOT NULL CHECK (lang IN ('fa', 'en')),
  title        TEXT,
  title_source TEXT,
  abstract     TEXT,
  PRIMARY KEY (article_id, lang)
) STRICT;
INSERT INTO article_text_rowid SELECT article_id, lang, title, title_source, abstract FROM article_text ORDER BY article_id, lang;
DROP TABLE article_text;
ALTER TABLE article_text_rowid RENAME TO article_text;

-- A list page is read from the index alone: its keys, local ids and deleted flags are all in it.
DROP INDEX article_keyset;
CREATE INDEX article_keyset ON article (datestamp, id, local_id, deleted);

-- A list by set walks the set's own members in (datestamp, id) order, however small the set is,
-- instead of probing every record of the repository. The copy of the datestamp is kept by triggers.
ALTER TABLE set_member ADD COLUMN datestamp TEXT NOT NULL DEFAULT '';
UPDATE set_member SET datestamp = (SELECT a.datestamp FROM article a WHERE a.id = set_member.article_id);
CREATE INDEX set_member_keyset ON set_member (set_spec, datestamp, article_id);

CREATE TRIGGER set_member_stamp AFTER INSERT ON set_member BEGIN
  UPDATE set_member SET datestamp = (SELECT a.datestamp FROM article a WHERE a.id = NEW.article_id)
  WHERE set_spec = NEW.set_spec AND article_id = NEW.article_id;
END;

CREATE TRIGGER article_restamp AFTER UPDATE OF datestamp ON article BEGIN
  UPDATE set_member SET datestamp = NEW.datestamp WHERE article_id = NEW.id;
END;
