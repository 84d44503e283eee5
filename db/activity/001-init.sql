-- Harvest activity: a file of its own beside the protocol store, which the server never writes.
-- Times are milliseconds since the epoch; days are UTC dates, YYYY-MM-DD.

-- Who harvests: a User-Agent from a network. The address is kept truncated (/24, /48), never whole.
CREATE TABLE harvester (
  id         INTEGER PRIMARY KEY,
  user_agent TEXT NOT NULL,
  network    TEXT NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen  INTEGER NOT NULL,
  UNIQUE (user_agent, network)
) STRICT;

-- One row per /oai request of the last day; older ones are folded into the daily tables.
CREATE TABLE event (
  id           INTEGER PRIMARY KEY,
  at           INTEGER NOT NULL,
  day          TEXT NOT NULL,
  harvester_id INTEGER NOT NULL REFERENCES harvester (id),
  verb         TEXT,
  status       INTEGER NOT NULL,
  -- The OAI error codes as a JSON array, null when the answer had none.
  errors       TEXT,
  records      INTEGER NOT NULL,
  headers      INTEGER NOT NULL,
  -- What it asked for: for a resumed list, what the list's first request asked for.
  prefix       TEXT,
  set_spec     TEXT,
  -- The client closed the connection before the response was whole.
  broken       INTEGER NOT NULL
) STRICT;
-- No index on `at`: each insert would pay for it, and the hourly fold and the report read every row anyway.

-- Per day and harvester, the folded events.
CREATE TABLE daily (
  day          TEXT NOT NULL,
  harvester_id INTEGER NOT NULL REFERENCES harvester (id),
  requests     INTEGER NOT NULL,
  records      INTEGER NOT NULL,
  headers      INTEGER NOT NULL,
  oai_errors   INTEGER NOT NULL,
  busy         INTEGER NOT NULL,
  broken       INTEGER NOT NULL,
  PRIMARY KEY (day, harvester_id)
) STRICT, WITHOUT ROWID;

-- Per day and harvester, requests by OAI error code ('error'), metadata format ('format') and set ('set').
CREATE TABLE daily_count (
  day          TEXT NOT NULL,
  harvester_id INTEGER NOT NULL REFERENCES harvester (id),
  kind         TEXT NOT NULL CHECK (kind IN ('error', 'format', 'set')),
  value        TEXT NOT NULL,
  n            INTEGER NOT NULL,
  PRIMARY KEY (day, harvester_id, kind, value)
) STRICT, WITHOUT ROWID;

-- A harvest: the chain of one list's pages, linked by the token each page issued (its signature,
-- which no other token shares).
-- `first_token` is set when the chain was first seen mid-list (it began before recording, or on
-- another replica); `next_token` is the key of the token to follow, null once the list ended.
CREATE TABLE harvest (
  id                 INTEGER PRIMARY KEY,
  harvester_id       INTEGER NOT NULL REFERENCES harvester (id),
  verb               TEXT NOT NULL,
  prefix             TEXT,
  set_spec           TEXT,
  from_arg           TEXT,
  until_arg          TEXT,
  started_at         INTEGER NOT NULL,
  last_at            INTEGER NOT NULL,
  pages              INTEGER NOT NULL,
  items              INTEGER NOT NULL,
  complete_list_size INTEGER,
  first_token        TEXT,
  last_token         TEXT,
  next_token         TEXT,
  next_expires       INTEGER,
  finished_at        INTEGER
) STRICT;
CREATE INDEX harvest_next_token ON harvest (next_token) WHERE next_token IS NOT NULL;
CREATE INDEX harvest_last_token ON harvest (last_token) WHERE last_token IS NOT NULL;
