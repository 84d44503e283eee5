-- More metadata formats: what each needs from the journal, which records each can carry, and the
-- version of each serializer, so that a crosswalk change re-stamps the records it changes.

-- COAR access-right URI and licence URL of the journal's articles; unknown until an admin sets them.
ALTER TABLE journal ADD COLUMN access_rights TEXT;
ALTER TABLE journal ADD COLUMN license TEXT;

-- The records a format whose schema requires a field (a title, access rights) can disseminate.
-- Formats that can disseminate every record have no rows here.
CREATE TABLE format_availability (
  prefix     TEXT NOT NULL,
  article_id INTEGER NOT NULL REFERENCES article (id) ON DELETE CASCADE,
  PRIMARY KEY (prefix, article_id)
) STRICT, WITHOUT ROWID;

-- The serializer version each format had when the records were last stamped.
CREATE TABLE format_version (
  prefix  TEXT PRIMARY KEY,
  version INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- OpenAIRE harvests this set: the records that are open access.
INSERT INTO oai_set (spec, name_fa, name_en, description_fa, description_en) VALUES (
  'openaire',
  'دسترسی آزاد (OpenAIRE)',
  'Open access (OpenAIRE)',
  'مقاله‌هایی که با دسترسی آزاد منتشر شده‌اند، برای OpenAIRE.',
  'The articles published in open access, for OpenAIRE.'
);
