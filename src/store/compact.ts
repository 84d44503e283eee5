import type { Db } from './open.js';

/** What compacting a store returned to the file system. */
export interface Compaction {
  /** Bytes the file shrank by. */
  freedBytes: number;
}

// Below this share of free pages, rewriting the whole file costs more than the space is worth.
const SPARSE_SHARE = 0.1;

/**
 * Rewrites the store (`VACUUM`) when a tenth or more of its pages are free, as after a bulk
 * import that replaced many rows: the file shrinks, and the pages of each table lie together
 * again. Returns null when it was left as it is. Needs as much free disk as the store takes.
 */
export function compactIfSparse(db: Db): Compaction | null {
  const free = db.pragma('freelist_count', { simple: true }) as number;
  const pages = db.pragma('page_count', { simple: true }) as number;
  if (pages === 0 || free / pages < SPARSE_SHARE) return null;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.exec('VACUUM');
  db.pragma('wal_checkpoint(TRUNCATE)');
  const after = db.pragma('page_count', { simple: true }) as number;
  return { freedBytes: Math.max(0, pages - after) * pageSize };
}
