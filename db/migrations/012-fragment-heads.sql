-- A record's metadata starts with its root element's start tag: namespaces and schema locations,
-- 200 to 300 bytes that are the same in most records of a format. Compressed into every record,
-- they cost about 100 bytes per record and format; kept once here, nothing. A fragment names its
-- head, and holds the text after it without the root's end tag, which follows from the head. A
-- null head means the fragment holds the whole text. A head is never changed or deleted, so a
-- reader may keep it. The rows are converted by code in the same transaction
-- (src/store/migration-steps.ts); every answer stays the same byte for byte.
CREATE TABLE fragment_head (
  id   INTEGER PRIMARY KEY,
  head TEXT NOT NULL UNIQUE
) STRICT;

ALTER TABLE fragment ADD COLUMN head INTEGER REFERENCES fragment_head (id);
