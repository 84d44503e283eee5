import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { projectRoot } from '../paths.js';
import { latestVersion, migrate, type Db } from '../store/open.js';
import { SchemaVersionError } from '../store/store-error.js';

/** The activity file's numbered migrations, apart from the protocol store's. */
export const activityMigrationsDir = path.join(projectRoot, 'db', 'activity');

/**
 * Opens (creating it, with its folder) the activity file the server writes. WAL with
 * `synchronous = NORMAL`: a crash may lose the last second of activity, never the file, and
 * readers such as `admin activity` never wait for the writer.
 */
export function openActivityWritable(file: string): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    if (file !== ':memory:') db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // SQLite's own 2 MB page cache, as the protocol store's, not better-sqlite3's 16 MB: the
    // server holds it for as long as it runs. Opening a file of 200,000 events (12 MB) and
    // reporting on it held 15 MiB more of the server's memory with 16 MB, at the same CPU.
    db.pragma('cache_size = -2000');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, activityMigrationsDir);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** Opens an activity file to read it, as `admin activity` does, even while a server writes it. */
export function openActivityReadOnly(file: string): Db {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  const version = db.pragma('user_version', { simple: true }) as number;
  const latest = latestVersion(activityMigrationsDir);
  if (version !== latest) {
    db.close();
    throw new SchemaVersionError(`it is not an activity file of this version (schema ${version}, this code reads ${latest})`);
  }
  return db;
}
