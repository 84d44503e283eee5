import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compactIfSparse } from '../../src/store/compact.js';
import { openWritable } from '../../src/store/open.js';

describe('compacting a store after a bulk import', () => {
  it('rewrites the file when a tenth of it is free pages, and leaves a dense one alone', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oai-compact-'));
    try {
      const file = path.join(dir, 'oai.sqlite');
      const db = openWritable(file);
      expect(compactIfSparse(db)).toBeNull();
      // Rows written then removed, as an import that replaced them leaves its old pages free.
      db.exec('CREATE TABLE scratch (b BLOB)');
      const insert = db.prepare('INSERT INTO scratch (b) VALUES (randomblob(8000))');
      db.transaction(() => {
        for (let i = 0; i < 500; i++) insert.run();
      })();
      db.exec('DROP TABLE scratch');
      db.pragma('wal_checkpoint(TRUNCATE)');
      const before = fs.statSync(file).size;
      const compacted = compactIfSparse(db);
      expect(compacted?.freedBytes).toBeGreaterThan(3_000_000);
      expect(fs.statSync(file).size).toBeLessThan(before - 3_000_000);
      expect(db.pragma('freelist_count', { simple: true })).toBe(0);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
