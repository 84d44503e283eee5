import Database from 'better-sqlite3';

/** The store's schema is newer than this code: the code must be upgraded, never the data undone. */
export class SchemaVersionError extends Error {
  override name = 'SchemaVersionError';
}

// SQLite's result codes in words an admin can act on. The file is never "repaired" or replaced.
const SQLITE: Readonly<Record<string, string>> = {
  SQLITE_NOTADB: 'it is not a SQLite database (a corrupt file, or another kind of file); it was left as it is',
  SQLITE_CORRUPT: 'the database is corrupt; it was left as it is. Restore a backup (admin snapshot)',
  SQLITE_CANTOPEN: 'it cannot be opened: missing, a folder, or not readable by this user',
  SQLITE_READONLY: 'it or its folder is read-only, and this process must write to it. Make it writable, or serve a snapshot with DATABASE_READ_ONLY=1',
  SQLITE_PERM: 'permission denied',
  SQLITE_FULL: 'the disk is full; nothing was written',
  SQLITE_IOERR: 'the disk failed to read or write it',
  SQLITE_BUSY: 'another process holds a lock on it; try again',
};

const FILE: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full; nothing was written',
  ENOENT: 'it does not exist',
  EISDIR: 'it is a folder',
};

/**
 * What went wrong with the store, in one line for an admin: the SQLite or file-system failure in
 * words, never a stack trace.
 */
export function describeStoreError(error: unknown): string {
  if (error instanceof SchemaVersionError) return error.message;
  if (error instanceof Database.SqliteError) {
    const known = Object.entries(SQLITE).find(([code]) => error.code === code || error.code.startsWith(`${code}_`));
    return known ? known[1] : `${error.code}: ${error.message}`;
  }
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (typeof code === 'string' && FILE[code] !== undefined) return FILE[code];
  return error instanceof Error ? error.message : String(error);
}

/** Whether an error is the store failing (as opposed to a bug in this code). */
export function isStoreError(error: unknown): boolean {
  if (error instanceof SchemaVersionError || error instanceof Database.SqliteError) return true;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && FILE[code] !== undefined;
}
