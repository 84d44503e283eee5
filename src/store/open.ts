import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrationsDir } from '../paths.js';
import { MIGRATION_STEPS } from './migration-steps.js';
import { SchemaVersionError } from './store-error.js';

/** A better-sqlite3 connection. */
export type Db = Database.Database;

/** A migration file `NNN-name.sql`; its number is the schema version it brings the store to. */
interface Migration {
  version: number;
  file: string;
}

function listMigrations(dir: string): Migration[] {
  const migrations = fs
    .readdirSync(dir)
    .map((file) => ({ file, match: /^(\d{3})-[\w-]+\.sql$/.exec(file) }))
    .filter((m): m is { file: string; match: RegExpExecArray } => m.match !== null)
    .map(({ file, match }) => ({ version: Number(match[1]), file }))
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migrations must be numbered 001, 002, ... without gaps: ${m.file}`);
  });
  return migrations;
}

function newerSchema(version: number, latest: number): SchemaVersionError {
  return new SchemaVersionError(`its schema version is ${version}, newer than this code's (${latest}): run the newer code, or a snapshot made for this one`);
}

/** Applies every migration newer than the store's `user_version`, each in its own transaction. */
export function migrate(db: Db, dir: string = migrationsDir): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number;
  const migrations = listMigrations(dir);
  const latest = migrations.at(-1)?.version ?? 0;
  if (from > latest) throw newerSchema(from, latest);
  for (const m of migrations) {
    if (m.version <= from) continue;
    const sql = fs.readFileSync(path.join(dir, m.file), 'utf8');
    db.transaction(() => {
      db.exec(sql);
      MIGRATION_STEPS[m.version]?.(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return { from, to: latest };
}

/** The schema version this code expects. */
export function latestVersion(dir: string = migrationsDir): number {
  return listMigrations(dir).at(-1)?.version ?? 0;
}

/** Opens the store read-write, creating the file and its folder if needed, and brings the schema up to date. */
export function openWritable(file: string): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  // Takes effect only in a new file, before its first table. A stored record's metadata runs to
  // several kilobytes per format: in 4 KiB pages most of it would sit in overflow pages.
  db.pragma('page_size = 16384');
  // Refused before anything is written, the journal mode included: newer data is left as it is.
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > latestVersion()) {
    db.close();
    throw newerSchema(version, latestVersion());
  }
  if (file !== ':memory:') db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

/**
 * Opens an existing, migrated store read-only: the server never writes, so a bug in a request
 * path cannot corrupt the data.
 */
export function openReadOnly(file: string): Db {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  // SQLite's own default page cache, 2 MB, rather than better-sqlite3's 16 MB: the cache is the
  // server's memory for as long as it runs (12 MiB of the benchmark's peak), while the operating
  // system keeps the file's hot pages anyway. Harvests and lists read each page once, in key
  // order; GetRecord of records spread over 100,000 costs the same CPU with either, as 16 MB
  // does not hold them either. Only the same 200 records asked again and again (the benchmark's
  // GetRecord) cost some 15 µs more each, six page reads from the system's cache: 3 % of a request.
  db.pragma('cache_size = -2000');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version !== latestVersion()) {
    db.close();
    throw new SchemaVersionError(`its schema version is ${version}; this code serves version ${latestVersion()}`);
  }
  return db;
}
