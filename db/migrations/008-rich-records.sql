-- What aggregators rank first, per article: authors' ORCID iDs and affiliations (with ROR ids),
-- the article's own licence and access rights, links to its full text, its funding, its COAR
-- resource type, and when it was received and accepted. Every one is optional: a source that does
-- not give it leaves it empty, and nothing is inferred.

-- ORCID iDs and ROR ids are stored as their canonical URLs (https://orcid.org/…, https://ror.org/…),
-- checked by their check digits on the way in.
ALTER TABLE author ADD COLUMN orcid TEXT CHECK (orcid IS NULL OR orcid GLOB 'https://orcid.org/[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9X]');

CREATE TABLE author_affiliation (
  article_id      INTEGER NOT NULL REFERENCES article (id) ON DELETE CASCADE,
  author_position INTEGER NOT NULL,
  position        INTEGER NOT NULL,
  name_fa         TEXT,
  name_en         TEXT,
  ror             TEXT CHECK (ror IS NULL OR ror GLOB 'https://ror.org/0*'),
  PRIMARY KEY (article_id, author_position, position),
  CHECK (name_fa IS NOT NULL OR name_en IS NOT NULL)
) STRICT, WITHOUT ROWID;

-- The article's own licence URL and COAR access-right URI: when given, they override the journal's.
ALTER TABLE article ADD COLUMN license TEXT;
ALTER TABLE article ADD COLUMN access_rights TEXT;
-- COAR resource type URI (http://purl.org/coar/resource_type/…); NULL: a journal article, as before.
ALTER TABLE article ADD COLUMN resource_type TEXT;
ALTER TABLE article ADD COLUMN date_received TEXT CHECK (date_received IS NULL OR date_received GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');
ALTER TABLE article ADD COLUMN date_accepted TEXT CHECK (date_accepted IS NULL OR date_accepted GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');

CREATE TABLE full_text (
  article_id INTEGER NOT NULL REFERENCES article (id) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  url        TEXT NOT NULL CHECK (url GLOB 'http*://*'),
  media_type TEXT NOT NULL,
  lang       TEXT,
  PRIMARY KEY (article_id, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE funding (
  article_id     INTEGER NOT NULL REFERENCES article (id) ON DELETE CASCADE,
  position       INTEGER NOT NULL,
  funder_name_fa TEXT,
  funder_name_en TEXT,
  -- A ROR id or a Crossref Funder ID, as a URL.
  funder_id      TEXT,
  award_number   TEXT,
  award_title_fa TEXT,
  award_title_en TEXT,
  PRIMARY KEY (article_id, position),
  CHECK (funder_name_fa IS NOT NULL OR funder_name_en IS NOT NULL)
) STRICT, WITHOUT ROWID;
