-- A publisher's journals in one repository.

-- The repository's first journal keeps what harvesters already hold: identifiers without a journal
-- code (`58-7`) and the `issue` / `issue:<n>` sets. A journal added later has its code in both.
ALTER TABLE journal ADD COLUMN original INTEGER NOT NULL DEFAULT 0 CHECK (original IN (0, 1));
UPDATE journal SET original = 1 WHERE id = (SELECT min(id) FROM journal);

-- The issue's number within its volume (`سال یازدهم شماره 2`), when its source states it; the
-- `number` column stays the serial number (`پیاپی 22`), unique within the journal.
ALTER TABLE issue ADD COLUMN number_in_volume INTEGER CHECK (number_in_volume IS NULL OR number_in_volume > 0);

-- An article whose source prints no pages (`صفحه 0`) is stored with page_start = page_end = 0,
-- which no printed page can be: the code reads it as "not known" and publishes no pages.

-- Each journal is a set (its code), and its issues are sets below it (`<code>:<n>`). Their names
-- are written by the code, which knows the journal's names; the first writer that opens the store
-- does it for the journals already there, adds their records to them, and removes this mark.
-- A record joining a set keeps its datestamp: nothing of its metadata changed.
INSERT INTO meta (key, value) VALUES ('journal_sets_backfill', 'pending');
