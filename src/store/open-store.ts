import fs from 'node:fs';
import type { Config } from '../config.js';
import { openReadOnly, openWritable, type Db } from './open.js';
import { FORMATS } from '../formats/registry.js';
import type { FormatContext } from '../formats/registry.js';
import { ensureDocuments, renderContext, syncFormatVersions, type RenderProgress, type Restamp } from './formats.js';
import { nextDatestamp } from './import.js';
import { SqliteRepository, toArticleInput } from './records.js';
import { ensureSearchIndex } from './search.js';
import { isEmpty, seed, type SeedReport } from './seed.js';
import { ensureJournalSets, ensureTokenSecret, readTokenSecret } from './write.js';

/** An open store, ready to serve. */
export interface Store {
  db: Db;
  repository: SqliteRepository;
  tokenSecret: string;
  /** What the first start loaded, or null when the store already held data. */
  seeded: SeedReport | null;
  /** Formats whose serializer changed since the last start, and the records this re-stamped. */
  restamps: Restamp[];
  close(): void;
}

/**
 * What every opener of a writable store does first: a first start seeds the journal issue, a
 * format whose serializer changed re-stamps its records, documents stored by older code get their
 * digests, the search index is (re)built when older code built it, and a token secret is kept when
 * none is configured.
 */
export function initializeStore(
  writable: Db,
  config: Pick<Config, 'tokenSecret' | 'journalNameEn' | 'publicUrl' | 'repositoryIdentifier'>,
  now: Date,
  role: 'server' | 'admin' = 'server',
  progress?: (p: RenderProgress) => void,
): { seeded: SeedReport | null; tokenSecret: string; restamps: Restamp[]; renderContext: FormatContext } {
  const seeded = isEmpty(writable) ? seed(writable, { now, journalNameEn: config.journalNameEn }) : null;
  // The server's PUBLIC_URL is the one harvesters see: an admin command run with other settings
  // keeps what the server stored rather than re-render every record for the wrong address.
  const configured = { publicUrl: config.publicUrl, repositoryIdentifier: config.repositoryIdentifier };
  const render = role === 'admin' ? (renderContext(writable) ?? configured) : configured;
  const restamps = writable.transaction(() => syncFormatVersions(writable, FORMATS.values(), render, (previous) => nextDatestamp(now, previous), progress))();
  ensureDocuments(writable);
  ensureJournalSets(writable);
  const repository = new SqliteRepository(writable);
  const localIdOf = writable.prepare<[number], string>('SELECT local_id FROM article WHERE id = ?').pluck();
  ensureSearchIndex(writable, (id) => {
    const record = repository.getRecord(localIdOf.get(id) ?? '');
    return record ? toArticleInput(record) : null;
  });
  return { seeded, restamps, renderContext: render, tokenSecret: config.tokenSecret ?? ensureTokenSecret(writable) };
}

/**
 * Brings the store up to date (migrations; on a first start the seed and a token secret), then
 * reopens it read-only for serving. An in-memory store cannot be reopened, so it stays on its
 * one connection with writes switched off.
 */
export function openStore(
  config: Pick<Config, 'databasePath' | 'tokenSecret' | 'journalNameEn' | 'publicUrl' | 'repositoryIdentifier'> & Partial<Pick<Config, 'databaseReadOnly'>>,
  now: Date = new Date(),
  progress?: (p: RenderProgress) => void,
): Store {
  if (config.databaseReadOnly === true) return openSnapshot(config);
  const writable = openWritable(config.databasePath);
  let initialized: ReturnType<typeof initializeStore>;
  try {
    initialized = initializeStore(writable, config, now, 'server', progress);
  } catch (error) {
    writable.close();
    throw error;
  }
  let db: Db;
  if (config.databasePath === ':memory:') {
    writable.pragma('query_only = ON');
    db = writable;
  } else {
    writable.close();
    db = openReadOnly(config.databasePath);
  }
  return { db, repository: new SqliteRepository(db), ...initialized, close: () => db.close() };
}

/**
 * A replica's store: a copy made by `admin snapshot`, served exactly as it is. Nothing is migrated,
 * seeded or re-rendered, so every replica of one snapshot answers byte for byte alike, and the
 * file may sit on a read-only volume. Its token secret is the one stored in it, unless configured.
 */
function openSnapshot(config: Pick<Config, 'databasePath' | 'tokenSecret'>): Store {
  // A replica never creates its file: a missing snapshot is a deployment mistake to report.
  if (!fs.existsSync(config.databasePath)) throw Object.assign(new Error('it does not exist'), { code: 'ENOENT' });
  const db = openReadOnly(config.databasePath);
  const tokenSecret = config.tokenSecret ?? readTokenSecret(db);
  if (tokenSecret === null) {
    db.close();
    throw new Error(`${config.databasePath} holds no resumption-token secret; set RESUMPTION_TOKEN_SECRET`);
  }
  return { db, repository: new SqliteRepository(db), tokenSecret, seeded: null, restamps: [], close: () => db.close() };
}
