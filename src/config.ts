import os from 'node:os';
import path from 'node:path';

/** Everything the server and the admin tools read from the environment. */
export interface Config {
  port: number;
  host: string | undefined;
  /** Public URL of the site, without a trailing slash. */
  publicUrl: string;
  /** `$PUBLIC_URL/oai`: what Identify's baseURL says, character for character. */
  baseUrl: string;
  databasePath: string;
  /** Serve a copy made by `admin snapshot` as it is: no migration, seed or re-rendering, no write. */
  databaseReadOnly: boolean;
  adminEmails: string[];
  repositoryName: string;
  /** The domain part of `oai:<repositoryIdentifier>:<local id>`. */
  repositoryIdentifier: string;
  pageSize: { records: number; identifiers: number; sets: number };
  /** HMAC secret for resumption tokens; undefined means "generate one and keep it in the database". */
  tokenSecret: string | undefined;
  /** Per-client flow control of requests; 0 switches a limit off. */
  limits: { concurrent: number; ratePerSecond: number };
  /** Express's `trust proxy`, from TRUST_PROXY: false, a hop count, or addresses. */
  trustProxy: boolean | number | string;
  /** How long a client has to send its request headers, and its whole request. */
  timeouts: { headersSeconds: number; requestSeconds: number };
  /** pino's level: fatal, error, warn, info, debug, trace or silent. */
  logLevel: string;
  /** Secrets rotated out, still accepted on tokens they signed until those expire. */
  previousTokenSecrets: string[];
  tokenTtlSeconds: number;
  /** English name of the journal, written into a new database; no source gives it. */
  journalNameEn: string | undefined;
  /** Identify's `eprints` description: each a URL or a text, unset when no policy is stated. */
  eprints: { content?: string; metadataPolicy?: string; dataPolicy?: string; submissionPolicy?: string };
  /** Identify's branding: the repository's icon, where it links, and its title; undefined for the defaults. */
  branding: { iconUrl?: string; link?: string; title?: string };
  /** Harvest activity: its own SQLite file (null when not recorded), days kept, and idle time after which an unfollowed token counts as abandoned. */
  activity: ActivityConfig;
}

/** Where and how long harvest activity is kept. */
export interface ActivityConfig {
  /** The activity file, `:memory:`, or null when ACTIVITY_RECORDING is off. */
  path: string | null;
  retentionDays: number;
  abandonedAfterSeconds: number;
}

/** A configuration value that cannot be used; the message names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

// The oai-identifier schema's pattern: at least two dot-separated labels, each starting with a letter.
const REPOSITORY_IDENTIFIER = /^[a-zA-Z][a-zA-Z0-9-]*(\.[a-zA-Z][a-zA-Z0-9-]*)+$/;
const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+$/;

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function defaultRepositoryIdentifier(publicUrl: string): string {
  const host = new URL(publicUrl).hostname;
  // "localhost" or an IP address is no domain name: fall back to a reserved local one.
  return REPOSITORY_IDENTIFIER.test(host) ? host : 'localhost.localdomain';
}

// SQLite's in-memory name must reach it untouched; every other path is made absolute.
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** TRUST_PROXY as Express takes it: unset or `false` trusts no proxy; a number counts hops. */
function trustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === 'false' || value === '0') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

function flag(env: Env, name: string): boolean {
  const value = read(env, name);
  if (value === undefined || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  throw new ConfigError(`${name} must be 1, true, 0 or false, got "${value}"`);
}

function databasePath(value: string): string {
  return value === ':memory:' ? value : path.resolve(value);
}

function branding(env: Env): Config['branding'] {
  const value: Config['branding'] = {};
  for (const [key, name] of [['iconUrl', 'BRANDING_ICON_URL'], ['link', 'BRANDING_LINK']] as const) {
    const url = read(env, name);
    if (url === undefined) continue;
    if (!/^https?:\/\/\S+$/.test(url)) throw new ConfigError(`${name} must be an http(s) URL, got "${url}"`);
    value[key] = url;
  }
  const title = read(env, 'BRANDING_TITLE');
  if (title !== undefined) value.title = title;
  return value;
}

function eprintsPolicies(env: Env): Config['eprints'] {
  const policies: Config['eprints'] = {};
  const pairs = [
    ['content', 'EPRINTS_CONTENT'],
    ['metadataPolicy', 'EPRINTS_METADATA_POLICY'],
    ['dataPolicy', 'EPRINTS_DATA_POLICY'],
    ['submissionPolicy', 'EPRINTS_SUBMISSION_POLICY'],
  ] as const;
  for (const [key, name] of pairs) {
    const value = read(env, name);
    if (value !== undefined) policies[key] = value;
  }
  return policies;
}

/**
 * The activity file: ACTIVITY_PATH (`{hostname}` in it becomes this machine's name, so replicas
 * sharing a volume keep a file each), else `<database name>-activity.sqlite` beside the database,
 * in memory when the database is. A replica's snapshot folder may be read-only and is served as
 * it is, so a replica's default is in the temporary folder, named after the host.
 */
function activity(env: Env, database: string, readOnly: boolean): ActivityConfig {
  const given = read(env, 'ACTIVITY_PATH')?.replaceAll('{hostname}', os.hostname());
  const name = path.basename(database, path.extname(database));
  const fallback =
    database === ':memory:'
      ? database
      : readOnly
        ? path.join(os.tmpdir(), `${name}-activity-${os.hostname()}.sqlite`)
        : path.join(path.dirname(database), `${name}-activity.sqlite`);
  const file = given === undefined ? fallback : databasePath(given);
  if (file === database && file !== ':memory:') throw new ConfigError('ACTIVITY_PATH must be a file of its own, not DATABASE_PATH');
  const recording = read(env, 'ACTIVITY_RECORDING') === undefined || flag(env, 'ACTIVITY_RECORDING');
  return {
    path: recording ? file : null,
    retentionDays: integer(env, 'ACTIVITY_RETENTION_DAYS', 90, 1, 3650),
    abandonedAfterSeconds: integer(env, 'ACTIVITY_ABANDONED_AFTER_SECONDS', 3600, 60, 365 * 86400),
  };
}

/**
 * IMPORT_WORKERS: the threads that render, compress and digest metadata during a large import or
 * re-render; 0 renders on the main thread. The store code reads it when it renders, since it is
 * handed no configuration.
 */
export function importWorkers(env: Env = process.env): number {
  // Past four, little is gained: the import's own work on the main thread (reading, normalizing,
  // inserting, writing) is then most of its time.
  return integer(env, 'IMPORT_WORKERS', Math.min(os.availableParallelism(), 4), 0, 64);
}

/** Reads and checks the configuration; throws ConfigError naming the bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const publicUrl = (read(env, 'PUBLIC_URL') ?? `http://localhost:${port}`).replace(/\/+$/, '');
  let parsed: URL;
  try {
    parsed = new URL(publicUrl);
  } catch {
    throw new ConfigError(`PUBLIC_URL must be an absolute http(s) URL, got "${publicUrl}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError(`PUBLIC_URL must be an http or https URL, got "${publicUrl}"`);
  }
  if (parsed.search !== '' || parsed.hash !== '') {
    throw new ConfigError(`PUBLIC_URL must not carry a query or fragment, got "${publicUrl}"`);
  }

  const adminEmails = (read(env, 'ADMIN_EMAIL') ?? 'admin@example.org').split(',').map((e) => e.trim());
  for (const email of adminEmails) {
    if (!EMAIL.test(email)) throw new ConfigError(`ADMIN_EMAIL must be one or more e-mail addresses, got "${email}"`);
  }

  const repositoryIdentifier = read(env, 'OAI_REPOSITORY_IDENTIFIER') ?? defaultRepositoryIdentifier(publicUrl);
  if (!REPOSITORY_IDENTIFIER.test(repositoryIdentifier)) {
    throw new ConfigError(
      `OAI_REPOSITORY_IDENTIFIER must be a domain name such as journal.example.org, got "${repositoryIdentifier}"`,
    );
  }

  const tokenSecret = read(env, 'RESUMPTION_TOKEN_SECRET');
  if (tokenSecret !== undefined && tokenSecret.length < 16) {
    throw new ConfigError('RESUMPTION_TOKEN_SECRET must be at least 16 characters long');
  }

  const previousTokenSecrets = (read(env, 'RESUMPTION_TOKEN_SECRET_PREVIOUS') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (previousTokenSecrets.some((s) => s.length < 16)) {
    throw new ConfigError('RESUMPTION_TOKEN_SECRET_PREVIOUS must hold secrets of at least 16 characters, comma-separated');
  }

  const logLevel = read(env, 'LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);

  // Checked with the rest, so that a bad value stops the start rather than an import.
  importWorkers(env);

  const database = databasePath(read(env, 'DATABASE_PATH') ?? 'data/oai.sqlite');
  const databaseReadOnly = flag(env, 'DATABASE_READ_ONLY');
  return {
    port,
    host: read(env, 'HOST'),
    publicUrl,
    baseUrl: `${publicUrl}/oai`,
    databasePath: database,
    databaseReadOnly,
    adminEmails,
    repositoryName: read(env, 'REPOSITORY_NAME') ?? 'فصلنامه مطالعات روابط بین الملل — OAI-PMH repository',
    repositoryIdentifier,
    pageSize: {
      records: integer(env, 'OAI_PAGE_SIZE_RECORDS', 100, 1, 1000),
      identifiers: integer(env, 'OAI_PAGE_SIZE_IDENTIFIERS', 250, 1, 5000),
      sets: integer(env, 'OAI_PAGE_SIZE_SETS', 100, 1, 5000),
    },
    tokenSecret,
    previousTokenSecrets,
    limits: {
      concurrent: integer(env, 'OAI_CONCURRENCY_LIMIT', 4, 0, 10_000),
      ratePerSecond: integer(env, 'OAI_RATE_LIMIT', 500, 0, 1_000_000),
    },
    trustProxy: trustProxy(read(env, 'TRUST_PROXY')),
    timeouts: {
      headersSeconds: integer(env, 'HTTP_HEADERS_TIMEOUT_SECONDS', 10, 1, 600),
      requestSeconds: integer(env, 'HTTP_REQUEST_TIMEOUT_SECONDS', 30, 1, 3600),
    },
    logLevel,
    tokenTtlSeconds: integer(env, 'RESUMPTION_TOKEN_TTL_SECONDS', 86400, 60, 365 * 86400),
    journalNameEn: read(env, 'JOURNAL_NAME_EN'),
    eprints: eprintsPolicies(env),
    branding: branding(env),
    activity: activity(env, database, databaseReadOnly),
  };
}
