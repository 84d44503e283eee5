-- The journal, its issues and articles, both languages side by side, and the OAI state of each record.

-- Key/value facts about the store itself (the generated resumption-token secret, when the seed ran).
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE journal (
  id           INTEGER PRIMARY KEY,
  code         TEXT NOT NULL UNIQUE,
  name_fa      TEXT,
  name_en      TEXT,
  publisher_fa TEXT,
  publisher_en TEXT,
  issn_print   TEXT,
  issn_online  TEXT,
  website      TEXT
) STRICT;

CREATE TABLE issue (
  id             INTEGER PRIMARY KEY,
  journal_id     INTEGER NOT NULL REFERENCES journal (id),
  number         INTEGER NOT NULL,
  volume         INTEGER,
  season_fa      TEXT,
  season_en      TEXT,
  year_solar     INTEGER,
  -- As printed (1401/06/31): display text only.
  date_solar     TEXT,
  -- Gregorian ISO 8601, what metadata carries.
  date_published TEXT CHECK (date_published GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  article_count  INTEGER,
  UNIQUE (journal_id, number)
) STRICT;

CREATE TABLE article (
  id          INTEGER PRIMARY KEY,
  -- The local part of the OAI identifier; never changes once given.
  local_id    TEXT NOT NULL UNIQUE,
  issue_id    INTEGER NOT NULL REFERENCES issue (id),
  page_start  INTEGER NOT NULL,
  page_end    INTEGER NOT NULL,
  doi         TEXT,
  landing_url TEXT,
  language    TEXT NOT NULL DEFAULT 'fa',
  -- UTC, to the second: the moment a harvester's copy went out of date.
  datestamp   TEXT NOT NULL
    CHECK (datestamp GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z'),
  deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  CHECK (page_start <= page_end)
) STRICT;

-- Keyset paging: every list walks this index in (datestamp, id) order.
CREATE INDEX article_keyset ON article (datestamp, id);
CREATE INDEX article_issue ON article (issue_id, page_start);

CREATE TABLE article_text (
  article_id   INTEGER NOT NULL REFERENCES article (id) ON DELETE CASCADE,
  lang         TEXT NOT NULL CHECK (lang IN ('fa', 'en')),
  title        TEXT,
  -- Where the title comes from, since the table of contents has none.
  title_source TEXT,
  abstract     TEXT,
  PRIMARY KEY (article_id, lang)
) STRICT, WITHOUT ROWID;

CREATE TABLE author (
  article_id    INTEGER NOT NULL REFERENCES article (id) ON DELETE CASCADE,
  position      INTEGER NOT NULL,
  name_fa       TEXT,
  name_en       TEXT,
  corresponding INTEGER NOT NULL DEFAULT 0 CHECK (corresponding IN (0, 1)),
  PRIMARY KEY (article_id, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE keyword (
  article_id INTEGER NOT NULL REFERENCES article (id) ON DELETE CASCADE,
  lang       TEXT NOT NULL CHECK (lang IN ('fa', 'en')),
  position   INTEGER NOT NULL,
  value      TEXT NOT NULL,
  PRIMARY KEY (article_id, lang, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE oai_set (
  spec           TEXT PRIMARY KEY,
  name_fa        TEXT,
  name_en        TEXT NOT NULL,
  description_fa TEXT,
  description_en TEXT
) STRICT, WITHOUT ROWID;

-- A record belongs to its set and to every ancestor of it, so a list by set is one equality probe.
CREATE TABLE set_member (
  set_spec   TEXT NOT NULL REFERENCES oai_set (spec),
  article_id INTEGER NOT NULL REFERENCES article (id) ON DELETE CASCADE,
  PRIMARY KEY (set_spec, article_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX set_member_article ON set_member (article_id);

-- Facts a source suggests but nobody has confirmed: kept for an admin, never served.
CREATE TABLE pending_fact (
  id      INTEGER PRIMARY KEY,
  subject TEXT NOT NULL,
  field   TEXT NOT NULL,
  lang    TEXT CHECK (lang IS NULL OR lang IN ('fa', 'en')),
  value   TEXT NOT NULL,
  source  TEXT NOT NULL,
  status  TEXT NOT NULL,
  UNIQUE (subject, field, lang, value)
) STRICT;
