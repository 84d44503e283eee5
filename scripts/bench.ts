/**
 * `npm run bench`: generates N synthetic bilingual records, imports them in-process through the
 * real import path (all six formats stored for every live record), and measures:
 *   - the store on disk: bytes per record, and which tables and indexes hold them (SQLite's dbstat);
 *   - the real server on loopback: harvests, pages, GetRecord, the sitemaps, the ResourceSync
 *     lists, the metadata documents and memory;
 *   - harvest activity: what recording costs (below);
 *   - the command-line import, `node dist/src/admin/cli.js import <file>`, one process per file,
 *     timed from spawn to exit, into fresh stores of its own: `--import-files` files of 1,000
 *     records each, one after another (0 skips them), then one file of `--import-large` records
 *     (default the smaller of N and 100,000; 0 skips it), with that process's peak RSS.
 * Bounded in count and time; it talks to 127.0.0.1 only. Prints a table with the targets, writes
 * JSON, and, given an earlier report, prints its headline figures beside this run's.
 *
 *   npm run bench -- --records 100000 [--seed 58] [--out bench-results.json] [--duration 10] [--keep]
 *                    [--activity-rounds 5] [--import-files 10] [--import-large <n>]
 *                    [--compare <report.json>] [--save <report.json>]
 *
 * `--compare` defaults to bench/previous-<N>.json when the repository has it; `--save` writes the
 * report there too, to be the next run's baseline.
 *
 * The server records harvest activity, as by default. A later phase starts two more servers on the
 * same store, one recording activity and one with ACTIVITY_RECORDING=0, and harvests both in turn,
 * `--activity-rounds` times (0 skips it).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { openActivity } from '../src/activity/activity.js';
import type { RequestEvent } from '../src/activity/event.js';
import { openActivityReadOnly } from '../src/activity/store.js';
import { loadConfig } from '../src/config.js';
import { oaiContext } from '../src/context.js';
import { FORMATS } from '../src/formats/registry.js';
import { formatDatestamp } from '../src/oai/datestamp.js';
import { handleOai } from '../src/oai/handle.js';
import { xmlBuffers } from '../src/oai/write-xml.js';
import { openReadOnly } from '../src/store/open.js';
import { SqliteRepository } from '../src/store/records.js';
import { columns, comparisonRows, describePrevious, readPrevious } from './bench-compare.js';
import { freePort, get as getReply, percentile, round, startServer } from './harness.js';
import { buildSyntheticStore, openSyntheticStore, PER_ISSUE, syntheticArticles } from './synthetic.js';

const { values: args } = parseArgs({
  options: {
    records: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '58' },
    out: { type: 'string', default: 'bench-results.json' },
    duration: { type: 'string', default: '10' },
    keep: { type: 'boolean', default: false },
    'activity-rounds': { type: 'string', default: '5' },
    'import-files': { type: 'string', default: '10' },
    'import-large': { type: 'string' },
    compare: { type: 'string' },
    save: { type: 'string' },
  },
});
const N = Number(args.records);
const DURATION = Number(args.duration);
if (!Number.isInteger(N) || N < 100 || N > 2_000_000) throw new Error('--records must be a whole number from 100 to 2,000,000');
const ACTIVITY_ROUNDS = Number(args['activity-rounds']);
if (!Number.isInteger(ACTIVITY_ROUNDS) || ACTIVITY_ROUNDS < 0 || ACTIVITY_ROUNDS > 20) throw new Error('--activity-rounds must be a whole number from 0 to 20');
const IMPORT_FILES = Number(args['import-files']);
if (!Number.isInteger(IMPORT_FILES) || IMPORT_FILES < 0 || IMPORT_FILES > 100) throw new Error('--import-files must be a whole number from 0 to 100');
const IMPORT_LARGE = args['import-large'] === undefined ? Math.min(N, 100_000) : Number(args['import-large']);
if (!Number.isInteger(IMPORT_LARGE) || IMPORT_LARGE < 0 || IMPORT_LARGE > 2_000_000) throw new Error('--import-large must be a whole number from 0 to 2,000,000');
// Read before the run, so that a mistake shows at once and `--save` may overwrite the same file.
const defaultCompare = path.join(fileURLToPath(new URL('..', import.meta.url)), 'bench', `previous-${N}.json`);
const compareFile = args.compare ?? (fs.existsSync(defaultCompare) ? path.relative(process.cwd(), defaultCompare) : undefined);
const previous = compareFile === undefined ? null : readPrevious(compareFile);

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);

// --- 1. Generate and import -------------------------------------------------------------------

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oai-bench-'));
const dbPath = path.join(dir, 'bench.sqlite');
const port = await freePort();
const publicUrl = `http://127.0.0.1:${port}`;
// The server's capacity is measured: flow control off, as for a trusted harvester.
const env = {
  DATABASE_PATH: dbPath,
  PUBLIC_URL: publicUrl,
  PORT: String(port),
  HOST: '127.0.0.1',
  RESUMPTION_TOKEN_SECRET: 'bench-secret-of-enough-length',
  OAI_CONCURRENCY_LIMIT: '0',
  OAI_RATE_LIMIT: '0',
  // One log line per request is a cost of its own; the figures are for serving alone.
  LOG_LEVEL: 'warn',
};
const config = loadConfig(env);
console.error(`bench: ${N} records in ${dir}`);
const built = buildSyntheticStore(dbPath, N, Number(args.seed), config, (line) => console.error(`bench: ${line}`));
const { base, chunks, importSeconds, records: total } = built;
// The build checkpointed its WAL into the file: this is what the store takes on disk.
const sizeOf = (file: string) => (fs.existsSync(file) ? fs.statSync(file).size : 0);
const storeBytes = sizeOf(dbPath) + sizeOf(`${dbPath}-wal`);

/** How many times `needle` occurs in `haystack`. */
function occurrences(haystack: Buffer, needle: Buffer): number {
  let n = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) n++;
  return n;
}
const RECORD = Buffer.from('<record>');
const HEADER = Buffer.from('<header');


// --- 2. The real server --------------------------------------------------------------------------

// The server as `npm start` runs it: compiled, without the TypeScript loader in its memory.
const server = await startServer(env);
const rss = () => server.rss();
const rssAtStart = rss().current;
const rssAfter: Record<string, number> = {};

interface Harvest {
  items: number;
  bytes: number;
  seconds: number;
  pageTimes: number[];
  midToken: string | null;
}
const rate = (h: Harvest) => round(h.items / h.seconds, 0);


// One connection, kept alive, as a harvester holds it.
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const get = async (url: string, headers: Record<string, string>): Promise<Buffer> => (await getReply(url, headers, agent)).body;

/**
 * Follows resumption tokens from the first request to the end, as a harvester does. The body is
 * read as bytes and only its tail parsed for the token: the client must not be what is measured.
 */
async function harvest(verb: string, query: string, headers: Record<string, string> = {}, origin: string = publicUrl): Promise<Harvest> {
  const pageTimes: number[] = [];
  const tokens: string[] = [];
  let items = 0;
  let bytes = 0;
  const start = performance.now();
  let url = `${origin}/oai?verb=${verb}&${query}`;
  for (;;) {
    const t0 = performance.now();
    const body = await get(url, headers);
    pageTimes.push(performance.now() - t0);
    bytes += body.length;
    items += occurrences(body, verb === 'ListRecords' ? RECORD : HEADER);
    const tail = body.subarray(Math.max(0, body.length - 4096)).toString('utf8');
    const token = /<resumptionToken[^>]*>([^<]+)<\/resumptionToken>/.exec(tail)?.[1];
    if (!token) break;
    tokens.push(token);
    url = `${origin}/oai?verb=${verb}&resumptionToken=${encodeURIComponent(token)}`;
  }
  return { items, bytes, seconds: (performance.now() - start) / 1000, pageTimes, midToken: tokens[Math.floor(tokens.length / 2)] ?? null };
}

// The plain figures are for an uncompressed transfer, said so explicitly.
const IDENTITY = { 'Accept-Encoding': 'identity' };
// A short warm-up, so that the first pages measured are not the ones the JIT compiles.
for (let i = 0; i < 200; i++) await get(`${publicUrl}/oai?verb=ListRecords&metadataPrefix=oai_dc`, IDENTITY);
const records = await harvest('ListRecords', 'metadataPrefix=oai_dc', IDENTITY);
rssAfter['ListRecords'] = rss().current;
// --- In-process floor: the same handlers and writer as the server, with no HTTP ------------------

// Measured right after the HTTP harvest, so that both read a store equally warm in the page cache.

// Every page of a full ListRecords harvest, produced exactly as the server produces it (the
// repository's keyset page, the handler, the writer's buffers), but handed to no socket.
const floorDb = openReadOnly(dbPath);
const floorContext = oaiContext(config, {
  db: floorDb,
  repository: new SqliteRepository(floorDb),
  tokenSecret: env.RESUMPTION_TOKEN_SECRET,
  seeded: null,
  restamps: [],
  close: () => floorDb.close(),
});
const floorStart = performance.now();
let floorRecords = 0;
let floorBytes = 0;
for (let pairs: Array<[string, string]> = [['verb', 'ListRecords'], ['metadataPrefix', 'oai_dc']]; ; ) {
  const response = handleOai(floorContext, pairs);
  if (response.body.verb !== 'ListRecords') throw new Error('the floor harvest failed');
  for (const piece of xmlBuffers(response, 64 * 1024)) {
    floorBytes += piece.length;
    floorRecords += occurrences(piece, RECORD);
  }
  const token = response.body.token?.value ?? '';
  if (token === '') break;
  pairs = [['verb', 'ListRecords'], ['resumptionToken', token]];
}
const floorRate = floorRecords / ((performance.now() - floorStart) / 1000);
floorDb.close();
// The floor held the event loop for as long as it ran (half a minute at a million records), past
// the server's keep-alive timeout: the server closed the idle connection, and the client, which
// could not read that, would send the next request on it and get a reset. One turn of the loop
// reads the close first.
await new Promise((resolve) => setTimeout(resolve, 50));

const identifiers = await harvest('ListIdentifiers', 'metadataPrefix=oai_dc', IDENTITY);
rssAfter['ListIdentifiers'] = rss().current;
const sliceFrom = formatDatestamp(new Date(base + Math.floor(chunks * 0.45) * 60_000));
const sliceUntil = formatDatestamp(new Date(base + Math.floor(chunks * 0.55) * 60_000 - 1000));
const slice = await harvest('ListRecords', `metadataPrefix=oai_dc&from=${sliceFrom}&until=${sliceUntil}`, IDENTITY);
const gzip = await harvest('ListRecords', 'metadataPrefix=oai_dc', { 'Accept-Encoding': 'gzip' });
rssAfter['gzip ListRecords'] = rss().current;

async function cannon(pathFor: () => string, connections: number) {
  const result = await autocannon({
    url: publicUrl,
    connections,
    duration: DURATION,
    requests: [{ setupRequest: (req) => ({ ...req, path: pathFor() }) }],
  });
  return { requestsPerSecond: round(result.requests.average), p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx };
}
/** An autocannon figure as printed: its rate and latency, and its failures when there were any. */
const served = (r: Awaited<ReturnType<typeof cannon>>) =>
  `${r.requestsPerSecond} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms${r.errors === 0 ? '' : `, ${r.errors} failed`}`;
const sampleIds = Array.from({ length: 200 }, (_, i) => `${1000 + ((i * 7919) % Math.max(1, Math.floor(N / PER_ISSUE)))}-${((i * 31) % PER_ISSUE) * 10 + 1}`);
let next = 0;
const getRecordPath = () => `/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:${config.repositoryIdentifier}:${sampleIds[next++ % sampleIds.length]}`;
const midPath = () => `/oai?verb=ListRecords&resumptionToken=${encodeURIComponent(records.midToken ?? '')}`;
const getRecord1 = await cannon(getRecordPath, 1);
const getRecord16 = await cannon(getRecordPath, 16);
rssAfter['GetRecord'] = rss().current;
const midPage1 = await cannon(midPath, 1);
const midPage16 = await cannon(midPath, 16);
rssAfter['mid-list pages'] = rss().current;

// --- Beside OAI-PMH: sitemaps, ResourceSync and the metadata documents ---------------------------

/** A document fetched `times` times, one after another: its size and the median time. */
async function timed(url: string, times = 5): Promise<{ ms: number; bytes: number; entries: number }> {
  const ms: number[] = [];
  let body: Buffer = Buffer.alloc(0);
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    body = await get(url, IDENTITY);
    ms.push(performance.now() - t0);
  }
  return { ms: percentile([...ms].sort((a, b) => a - b), 50), bytes: body.length, entries: occurrences(body, LOC) };
}
const LOC = Buffer.from('<loc>');
const locsOf = (body: Buffer) => [...body.toString('utf8').matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1] ?? '');

const sitemapIndexTime = await timed(`${publicUrl}/sitemap.xml`);
const sitemapPart = await timed(`${publicUrl}/sitemap-1.xml`);
// The whole Resource List, as a destination takes a baseline: the index, then every part.
const resourceListStart = performance.now();
const resourceListTop = await get(`${publicUrl}/resourcesync/resourcelist.xml`, IDENTITY);
// Up to 50,000 documents the Resource List is one list, not an index: its entries are documents.
const resourceListIsIndex = resourceListTop.includes('<sitemapindex');
const resourceListParts = resourceListIsIndex ? locsOf(resourceListTop) : [];
let resourceListEntries = resourceListIsIndex ? 0 : occurrences(resourceListTop, LOC);
for (const part of resourceListParts) resourceListEntries += occurrences(await get(part, IDENTITY), LOC);
const resourceListSeconds = (performance.now() - resourceListStart) / 1000;
rssAfter['Resource List'] = rss().current;
const changeListIndex = await timed(`${publicUrl}/resourcesync/changelist.xml`);
const changeListParts = locsOf(await get(`${publicUrl}/resourcesync/changelist.xml`, IDENTITY));
const changeListPart = await timed(changeListParts[Math.floor(changeListParts.length / 2)] ?? '');
rssAfter['sitemaps and Change Lists'] = rss().current;
// Live records only: a withdrawn record's document answers 410 Gone, as it should, and would be
// counted as a failure.
const liveSampleIds = (() => {
  const db = openReadOnly(dbPath);
  try {
    const deleted = db.prepare<[string], number>('SELECT deleted FROM article WHERE local_id = ?').pluck();
    return sampleIds.filter((id) => deleted.get(id) === 0);
  } finally {
    db.close();
  }
})();
const documentPath = () => `/articles/${liveSampleIds[next++ % liveSampleIds.length]}/metadata/oai_dc.xml`;
const document16 = await cannon(documentPath, 16);
rssAfter['metadata documents'] = rss().current;
const memory = rss();

// --- Harvest activity: the same harvests with recording on and off ---------------------------------

await server.stop();
// Two fresh servers on the same store, one recording activity (to a file of its own) and one not,
// started and warmed alike, so that neither carries the phases above in its heap; they are
// harvested in turn, each round in the opposite order to the last, so neither gains from going second.
interface ActivityRounds {
  on: { records: number[]; identifiers: number[] };
  off: { records: number[]; identifiers: number[] };
}
const activityRounds: ActivityRounds = { on: { records: [], identifiers: [] }, off: { records: [], identifiers: [] } };
if (ACTIVITY_ROUNDS > 0) {
  // PUBLIC_URL as the first server's: records keep the address they were rendered with.
  const side = async (settings: Record<string, string>) => {
    const sidePort = await freePort();
    return { url: `http://127.0.0.1:${sidePort}`, running: await startServer({ ...env, ...settings, PORT: String(sidePort) }, { build: false }) };
  };
  const servers = { on: await side({ ACTIVITY_PATH: path.join(dir, 'bench-activity-on.sqlite') }), off: await side({ ACTIVITY_RECORDING: '0' }) };
  for (const which of ['on', 'off'] as const) {
    for (let i = 0; i < 200; i++) await get(`${servers[which].url}/oai?verb=ListRecords&metadataPrefix=oai_dc`, IDENTITY);
  }
  for (let round = 0; round < ACTIVITY_ROUNDS; round++) {
    for (const which of round % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
      activityRounds[which].records.push(rate(await harvest('ListRecords', 'metadataPrefix=oai_dc', IDENTITY, servers[which].url)));
      activityRounds[which].identifiers.push(rate(await harvest('ListIdentifiers', 'metadataPrefix=oai_dc', IDENTITY, servers[which].url)));
    }
  }
  await servers.on.running.stop();
  await servers.off.running.stop();
}
// What recording costs the server's one thread, apart from the machine's noise: events shaped as a
// harvest's pages (a start, then each page continuing with a token of the real length), written
// in batches of 100 as the recorder writes them about once a second during a harvest.
const activityCost = (() => {
  const costDir = fs.mkdtempSync(path.join(os.tmpdir(), 'oai-bench-activity-'));
  const activity = openActivity({ path: path.join(costDir, 'activity.sqlite'), retentionDays: 90, abandonedAfterSeconds: 3600 });
  const token = (harvest: number, page: number) => `${Buffer.from(JSON.stringify({ verb: 'ListRecords', metadataPrefix: 'oai_dc', set: null, from: null, until: '2026-01-01T00:00:00Z', after: { datestamp: '2026-01-01T00:00:00Z', id: harvest * 1000 + page }, cursor: page * 100, completeListSize: 100_000, expires: 1_800_000_000 })).toString('base64url')}.abcdefghijklmnopqrstuv`;
  const events: RequestEvent[] = [];
  for (let h = 0; h < 50; h++) {
    for (let page = 0; page < 100; page++) {
      events.push({
        at: Date.now(), address: '127.0.0.1', userAgent: 'bench/1', status: 200, broken: false, head: false, verb: 'ListRecords', errors: null, items: 100,
        prefix: page === 0 ? 'oai_dc' : null, set: null, from: null, until: null, tokenIn: page === 0 ? null : token(h, page - 1),
        tokenOut: page === 99 ? '' : token(h, page), tokenExpires: '2027-01-15T10:00:00Z', completeListSize: 10_000,
      });
    }
  }
  const started = performance.now();
  for (let i = 0; i < events.length; i += 100) {
    for (const event of events.slice(i, i + 100)) activity.recorder.record(event);
    activity.recorder.flush();
  }
  const microsPerEvent = ((performance.now() - started) * 1000) / events.length;
  const harvests = activity.report(1).totals.harvests;
  activity.close();
  fs.rmSync(costDir, { recursive: true, force: true });
  if (harvests.finished !== 50) throw new Error('the activity cost phase did not link its pages');
  return { events: events.length, microsPerEvent: round(microsPerEvent, 1) };
})();

// --- The store on disk ---------------------------------------------------------------------------

// Read after the serving phases, not before: dbstat reads every page of the file, and would leave
// the page cache warmer (or, past its size, colder) than the build left it for the first harvest.
interface StorePart {
  name: string;
  bytes: number;
  bytesPerRecord: number;
  share: number;
}
const storage = (() => {
  const db = openReadOnly(dbPath);
  try {
    const formats = Object.fromEntries(
      db.prepare<[], { prefix: string; n: number }>('SELECT prefix, count(*) AS n FROM fragment GROUP BY prefix ORDER BY prefix').all().map((r) => [r.prefix, r.n]),
    );
    // Every live synthetic record should be stored in every format (the seed's own records lack
    // what some formats need, as the real issue does).
    const short = db
      .prepare<[number], number>(`SELECT count(*) FROM article a WHERE a.deleted = 0 AND a.local_id LIKE '1%' AND (SELECT count(*) FROM fragment f WHERE f.article_id = a.id) < ?`)
      .pluck()
      .get(FORMATS.size) ?? 0;
    let parts: StorePart[] | null = null;
    let note: string | null = null;
    try {
      const byName = new Map<string, number>();
      for (const { name, bytes } of db.prepare<[], { name: string; bytes: number }>('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name').all()) {
        // FTS5 keeps its index in shadow tables: one line for them all.
        const key = name.startsWith('article_search') ? 'search index' : name;
        byName.set(key, (byName.get(key) ?? 0) + bytes);
      }
      const counted = [...byName.values()].reduce((a, b) => a + b, 0);
      if (storeBytes > counted) byName.set('free pages and WAL', storeBytes - counted);
      parts = [...byName]
        .sort((a, b) => b[1] - a[1])
        .map(([name, bytes]) => ({ name, bytes, bytesPerRecord: round(bytes / total, 0), share: round(bytes / storeBytes, 3) }));
    } catch (error) {
      note = `no breakdown: SQLite's dbstat is not available (${error instanceof Error ? error.message : String(error)}); file size only`;
    }
    return { formats, recordsMissingAFormat: short, parts, note };
  } finally {
    db.close();
  }
})();

// --- Import through the command line ---------------------------------------------------------------

// The compiled admin command, which startServer built at the start: the path an admin runs.
const ADMIN_CLI = path.join('dist', 'src', 'admin', 'cli.js');
const FILE_RECORDS = 1_000;

interface AdminRun {
  seconds: number;
  ok: boolean;
  /** Exit code or signal and the last line of stderr, when it failed. */
  error: string | null;
  peakRssMiB: number;
  stdout: string;
}

/** One run of the admin command on `store`: wall-clock seconds from spawn to exit, and its peak RSS. */
function runAdmin(argv: string[], store: string): Promise<AdminRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [ADMIN_CLI, ...argv], { env: { ...process.env, ...env, DATABASE_PATH: store }, stdio: ['ignore', 'pipe', 'pipe'] });
    let peakKb = 0;
    // VmHWM is the process's high-water mark: sampled every 100 ms, only growth in its last 100 ms is missed.
    const timer = setInterval(() => {
      try {
        peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0));
      } catch {
        // It exited between two samples.
      }
    }, 100);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout = (stdout + d).slice(-4096)));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4096)));
    let seconds = NaN;
    child.once('exit', () => {
      seconds = (performance.now() - started) / 1000;
      clearInterval(timer);
    });
    child.once('error', (error) => {
      clearInterval(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      const ok = code === 0;
      const last = stderr.trim().split('\n').at(-1) ?? '';
      resolve({ seconds, ok, error: ok ? null : `${signal ?? `exit ${code}`}${last === '' ? '' : `: ${last}`}`, peakRssMiB: round(peakKb / 1024), stdout });
    });
  });
}

/** Writes synthetic articles `from` to `to` (exclusive) as a JSON Lines file, a thousand lines at a time. */
function writeJsonl(file: string, source: { line(i: number): string }, from: number, to: number): void {
  const fd = fs.openSync(file, 'w');
  try {
    for (let i = from; i < to; i += 1000) {
      const lines: string[] = [];
      for (let j = i; j < Math.min(to, i + 1000); j++) lines.push(source.line(j));
      fs.writeSync(fd, `${lines.join('\n')}\n`);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** A fresh store as the served one starts: seeded, with the journal facts every format needs. */
function freshStore(name: string): string {
  const store = path.join(dir, name);
  openSyntheticStore(store, config, new Date()).close();
  return store;
}
const removeStore = (store: string) => {
  if (!args.keep) for (const suffix of ['', '-wal', '-shm']) fs.rmSync(store + suffix, { force: true });
};
/** Whether a run's summary says it added all `n` records. */
const addedAll = (run: AdminRun, n: number) => new RegExp(`: ${n} added, 0 changed`).test(run.stdout);

// (a) Issue-sized files, each a new process, one after another into the same store. Article i is in
// issue 1000 + i / 100, so each file's i range holds its own ten issues.
const cliFiles = await (async () => {
  if (IMPORT_FILES === 0) return null;
  console.error(`bench: importing ${IMPORT_FILES} files of ${FILE_RECORDS} records through the command line`);
  const store = freshStore('cli-files.sqlite');
  const source = syntheticArticles(Number(args.seed));
  const seconds: number[] = [];
  const errors: string[] = [];
  let peakRssMiB = 0;
  for (let f = 0; f < IMPORT_FILES; f++) {
    const file = path.join(dir, `issues-${f}.jsonl`);
    writeJsonl(file, source, f * FILE_RECORDS, (f + 1) * FILE_RECORDS);
    const run = await runAdmin(['import', file], store);
    fs.rmSync(file);
    peakRssMiB = Math.max(peakRssMiB, run.peakRssMiB);
    if (run.ok && addedAll(run, FILE_RECORDS)) seconds.push(run.seconds);
    else errors.push(`file ${f + 1}: ${run.error ?? 'did not add every record'}`);
  }
  removeStore(store);
  const spent = seconds.reduce((a, b) => a + b, 0);
  return {
    files: IMPORT_FILES,
    recordsPerFile: FILE_RECORDS,
    imported: seconds.length,
    seconds: seconds.map((x) => round(x, 2)),
    meanSeconds: seconds.length === 0 ? null : round(spent / seconds.length, 2),
    minSeconds: seconds.length === 0 ? null : round(Math.min(...seconds), 2),
    maxSeconds: seconds.length === 0 ? null : round(Math.max(...seconds), 2),
    recordsPerSecond: seconds.length === 0 ? null : round((seconds.length * FILE_RECORDS) / spent, 0),
    peakRssMiB,
    errors,
  };
})();

// (b) One large file in one process, one transaction: read as it is imported, so its peak RSS
// says whether memory stays bounded.
const cliLarge = await (async () => {
  if (IMPORT_LARGE === 0) return null;
  console.error(`bench: importing one file of ${IMPORT_LARGE} records through the command line`);
  const store = freshStore('cli-large.sqlite');
  const file = path.join(dir, 'large.jsonl');
  writeJsonl(file, syntheticArticles(Number(args.seed)), 0, IMPORT_LARGE);
  const fileMiB = round(sizeOf(file) / 1048576);
  const run = await runAdmin(['import', file], store);
  fs.rmSync(file);
  const ok = run.ok && addedAll(run, IMPORT_LARGE);
  const storeMiB = round((sizeOf(store) + sizeOf(`${store}-wal`)) / 1048576);
  removeStore(store);
  return {
    records: IMPORT_LARGE,
    fileMiB,
    ok,
    error: ok ? null : (run.error ?? 'did not add every record'),
    seconds: round(run.seconds, 2),
    recordsPerSecond: ok ? round(IMPORT_LARGE / run.seconds, 0) : null,
    peakRssMiB: run.peakRssMiB,
    storeMiB,
  };
})();

// What the activity file holds after the whole run (raw events: under a day old, none folded yet).
const activityFile = path.join(dir, 'bench-activity.sqlite');
let activityEvents = 0;
if (fs.existsSync(activityFile)) {
  const activityDb = openActivityReadOnly(activityFile);
  activityEvents = activityDb.prepare<[], number>('SELECT count(*) FROM event').pluck().get() ?? 0;
  activityDb.close();
}
const activityMiB = ['', '-wal'].reduce((sum, suffix) => sum + (fs.existsSync(activityFile + suffix) ? fs.statSync(activityFile + suffix).size : 0), 0) / 1048576;
if (args.keep) console.error(`bench: kept ${dir}: the served store, and the command-line imports' stores`);
else fs.rmSync(dir, { recursive: true, force: true });

// --- 3. Report ---------------------------------------------------------------------------------

const tenth = Math.max(1, Math.floor(records.pageTimes.length / 10));
const firstTenth = mean(records.pageTimes.slice(0, tenth));
const lastTenth = mean(records.pageTimes.slice(-tenth));
const mibs = (h: Harvest) => round(h.bytes / 1048576 / h.seconds, 2);
const report = {
  date: new Date().toISOString(),
  machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${round(os.totalmem() / 1073741824, 0)} GiB, Node ${process.version}`,
  records: total,
  import: { seconds: round(importSeconds), recordsPerSecond: round(N / importSeconds, 0) },
  // Through `admin import`, one process per file, each into a fresh store of its own.
  cliImport: { files: cliFiles, large: cliLarge },
  // KB here is 1,000 bytes.
  storage: {
    bytes: storeBytes,
    bytesPerRecord: round(storeBytes / total, 0),
    kbPerRecord: round(storeBytes / total / 1000, 2),
    formats: storage.formats,
    recordsMissingAFormat: storage.recordsMissingAFormat,
    parts: storage.parts,
    note: storage.note,
  },
  floor: { recordsPerSecond: round(floorRate, 0), mib: round(floorBytes / 1048576) },
  listRecords: { recordsPerSecond: rate(records), mibPerSecond: mibs(records), ofFloor: round(rate(records) / floorRate, 2), pages: records.pageTimes.length },
  listRecordsGzip: { recordsPerSecond: rate(gzip), ofPlain: round(rate(gzip) / rate(records), 2) },
  listIdentifiers: { identifiersPerSecond: rate(identifiers), mibPerSecond: mibs(identifiers) },
  tenPercentHarvest: { records: slice.items, recordsPerSecond: rate(slice) },
  pageTimes: {
    firstPageMs: round(records.pageTimes[0] ?? NaN),
    lastPageMs: round(records.pageTimes.at(-1) ?? NaN),
    first10PercentMeanMs: round(firstTenth),
    last10PercentMeanMs: round(lastTenth),
    lastOverFirst: round(lastTenth / firstTenth, 2),
    p50Ms: round(percentile([...records.pageTimes].sort((a, b) => a - b), 50)),
    p99Ms: round(percentile([...records.pageTimes].sort((a, b) => a - b), 99)),
  },
  getRecord: { c1: getRecord1, c16: getRecord16 },
  midListPage: { c1: midPage1, c16: midPage16 },
  sitemaps: {
    indexMs: round(sitemapIndexTime.ms),
    part: { ms: round(sitemapPart.ms), urls: sitemapPart.entries, mib: round(sitemapPart.bytes / 1048576, 2), urlsPerSecond: round(sitemapPart.entries / (sitemapPart.ms / 1000), 0) },
  },
  resourceList: {
    // 0: one list, without an index.
    parts: resourceListParts.length,
    entries: resourceListEntries,
    seconds: round(resourceListSeconds, 2),
    entriesPerSecond: round(resourceListEntries / resourceListSeconds, 0),
  },
  changeLists: {
    parts: changeListParts.length,
    indexMs: round(changeListIndex.ms),
    part: { ms: round(changeListPart.ms), entries: changeListPart.entries, entriesPerSecond: round(changeListPart.entries / (changeListPart.ms / 1000), 0) },
  },
  metadataDocument: { c16: document16 },
  // Medians of the rounds, and each round's rate, with the server recording activity and without.
  activity: {
    rounds: ACTIVITY_ROUNDS,
    listRecords: { on: median(activityRounds.on.records), off: median(activityRounds.off.records), runs: activityRounds.on.records.length === 0 ? null : activityRounds },
    listIdentifiers: { on: median(activityRounds.on.identifiers), off: median(activityRounds.off.identifiers) },
    file: { events: activityEvents, mib: round(activityMiB, 2) },
    // Writing one event, in batches of 100; a ListRecords page takes 1e6 / (records/s / 100) µs.
    writeMicrosPerEvent: activityCost.microsPerEvent,
    ofListRecordsPage: round(activityCost.microsPerEvent / (1e8 / rate(records)), 4),
  },
  serverRssMiB: { start: round(rssAtStart), end: round(memory.current), peak: round(memory.peak), after: Object.fromEntries(Object.entries(rssAfter).map(([k, v]) => [k, round(v)])) },
};
fs.writeFileSync(args.out ?? 'bench-results.json', `${JSON.stringify(report, null, 2)}\n`);
if (args.save !== undefined) {
  fs.mkdirSync(path.dirname(args.save), { recursive: true });
  fs.writeFileSync(args.save, `${JSON.stringify(report, null, 2)}\n`);
}

/** A target, marked met or missed when the figure is there to judge. */
const target = (text: string, met: boolean | null = null) => `[${text}${met === null ? '' : met ? ' ✓' : ' ✗'}]`;
const IMPORT_TARGET = 1_667;
const importTarget = (rps: number | null) => target(`≥ ${IMPORT_TARGET.toLocaleString('en')} records/s: 10⁶ in 10 min`, rps === null ? null : rps >= IMPORT_TARGET);
const mib = (bytes: number) => round(bytes / 1048576, 1);
const TOP_PARTS = 8;
const parts = report.storage.parts ?? [];
const shownParts = parts.slice(0, TOP_PARTS);
const otherParts = parts.slice(TOP_PARTS);
const formatCounts = Object.entries(report.storage.formats);

const rows: string[][] = [
  ['records in the store', `${report.records}`],
  ['import (in-process)', `${report.import.recordsPerSecond} records/s (${report.import.seconds} s)`],
  ...(cliFiles === null
    ? []
    : [
        [
          `CLI import, ${cliFiles.files} files of ${cliFiles.recordsPerFile}`,
          cliFiles.recordsPerSecond === null
            ? `failed: ${cliFiles.errors.join('; ')}`
            : `${cliFiles.recordsPerSecond} records/s; per file ${cliFiles.meanSeconds} s (${cliFiles.minSeconds}–${cliFiles.maxSeconds}); peak RSS ${cliFiles.peakRssMiB} MiB${cliFiles.errors.length === 0 ? '' : `; ${cliFiles.errors.length} failed: ${cliFiles.errors.join('; ')}`}`,
          importTarget(cliFiles.recordsPerSecond),
        ],
      ]),
  ...(cliLarge === null
    ? []
    : [
        [
          `CLI import, one file of ${cliLarge.records}`,
          cliLarge.ok
            ? `${cliLarge.recordsPerSecond} records/s (${cliLarge.seconds} s, ${cliLarge.fileMiB} MiB of JSON Lines); peak RSS ${cliLarge.peakRssMiB} MiB`
            : `failed after ${cliLarge.seconds} s (peak RSS ${cliLarge.peakRssMiB} MiB): ${cliLarge.error}`,
          importTarget(cliLarge.recordsPerSecond),
        ],
      ]),
  [
    'bytes per record',
    `${report.storage.bytesPerRecord} B = ${report.storage.kbPerRecord} KB (${mib(storeBytes)} MiB for ${total} records)`,
    target('≤ 15 KB', report.storage.kbPerRecord <= 15),
  ],
  ...(report.storage.parts === null
    ? [['  by table and index', report.storage.note ?? '']]
    : [
        ...shownParts.map((p) => [`  ${p.name}`, `${mib(p.bytes)} MiB, ${p.bytesPerRecord} B/record, ${round(p.share * 100, 1)} %`]),
        ...(otherParts.length === 0
          ? []
          : [[`  ${otherParts.length} others`, `${mib(otherParts.reduce((a, p) => a + p.bytes, 0))} MiB, ${round(otherParts.reduce((a, p) => a + p.share, 0) * 100, 1)} %`]]),
      ]),
  [
    'stored formats',
    `${formatCounts.length} prefixes; ${report.storage.recordsMissingAFormat} live synthetic records lack one`,
    target(`all ${FORMATS.size} for every live record`, formatCounts.length === FORMATS.size && report.storage.recordsMissingAFormat === 0),
  ],
  ['in-process floor (read + concatenate)', `${report.floor.recordsPerSecond} records/s`],
  [
    'ListRecords full harvest',
    `${report.listRecords.recordsPerSecond} records/s, ${report.listRecords.mibPerSecond} MiB/s, ${report.listRecords.ofFloor} of floor`,
    target('≥ 8,000 records/s, ≥ 0.6 of floor', report.listRecords.recordsPerSecond >= 8_000 && report.listRecords.ofFloor >= 0.6),
  ],
  ['ListRecords, gzip', `${report.listRecordsGzip.recordsPerSecond} records/s`],
  ['gzip / plain', `${report.listRecordsGzip.ofPlain}`, target('≥ 0.75', report.listRecordsGzip.ofPlain >= 0.75)],
  ['ListIdentifiers full harvest', `${report.listIdentifiers.identifiersPerSecond} identifiers/s`, target('≥ 50,000', report.listIdentifiers.identifiersPerSecond >= 50_000)],
  ['10 % from/until harvest', `${report.tenPercentHarvest.records} records, ${report.tenPercentHarvest.recordsPerSecond} records/s`],
  ['first / last page', `${report.pageTimes.firstPageMs} ms / ${report.pageTimes.lastPageMs} ms`],
  [
    'last 10 % / first 10 % of pages',
    `${report.pageTimes.last10PercentMeanMs} / ${report.pageTimes.first10PercentMeanMs} ms = ${report.pageTimes.lastOverFirst}×`,
    target('≤ 1.2×', report.pageTimes.lastOverFirst <= 1.2),
  ],
  ['GetRecord c=1', served(getRecord1)],
  [
    'GetRecord c=16',
    served(getRecord16),
    target('≥ 3× pyoai ≈ 6,000 req/s, p99 < 20 ms', getRecord16.requestsPerSecond >= 6_000 && getRecord16.p99 < 20),
  ],
  ['mid-list page c=1', served(midPage1)],
  ['mid-list page c=16', served(midPage16), target('p99 < 150 ms', midPage16.p99 < 150)],
  ['sitemap index / a part', `${report.sitemaps.indexMs} ms / ${report.sitemaps.part.ms} ms for ${report.sitemaps.part.urls} URLs (${report.sitemaps.part.mib} MiB), ${report.sitemaps.part.urlsPerSecond} URLs/s`],
  [
    'Resource List, index and every part',
    `${report.resourceList.entries} entries ${report.resourceList.parts === 0 ? 'in one list' : `in ${report.resourceList.parts} parts`}, ${report.resourceList.seconds} s, ${report.resourceList.entriesPerSecond} entries/s`,
  ],
  ['Change List index / a part', `${report.changeLists.indexMs} ms (${report.changeLists.parts} parts) / ${report.changeLists.part.ms} ms for ${report.changeLists.part.entries} entries`],
  ['metadata document c=16', served(document16)],
  ...(ACTIVITY_ROUNDS === 0
    ? []
    : [
        ['ListRecords, activity on / off', `${report.activity.listRecords.on} / ${report.activity.listRecords.off} records/s = ${round(report.activity.listRecords.on / report.activity.listRecords.off, 2)} (medians of ${ACTIVITY_ROUNDS}; on ${activityRounds.on.records.join(', ')}; off ${activityRounds.off.records.join(', ')})`],
        ['ListIdentifiers, activity on / off', `${report.activity.listIdentifiers.on} / ${report.activity.listIdentifiers.off} identifiers/s = ${round(report.activity.listIdentifiers.on / report.activity.listIdentifiers.off, 2)} (on ${activityRounds.on.identifiers.join(', ')}; off ${activityRounds.off.identifiers.join(', ')})`],
      ]),
  ['activity write, per request', `${report.activity.writeMicrosPerEvent} µs (${activityCost.events} harvest pages in batches of 100) = ${round(report.activity.ofListRecordsPage * 100, 2)} % of a ListRecords page's time`],
  ['activity file after the run', `${report.activity.file.events} raw events, ${report.activity.file.mib} MiB`],
  ['server RSS start / end / peak', `${report.serverRssMiB.start} / ${report.serverRssMiB.end} / ${report.serverRssMiB.peak} MiB`, target('peak ≤ 100 MiB', report.serverRssMiB.peak <= 100)],
  ['server RSS after each phase', Object.entries(report.serverRssMiB.after).map(([k, v]) => `${k} ${v}`).join(', ') + ' MiB'],
];
console.log(`\n${report.date} · ${report.machine}`);
// A value longer than this does not widen its column: its target follows it after two spaces.
for (const line of columns(rows, 72)) console.log(line);
if (previous !== null) {
  console.log(`\ncompared with ${previous.file} (${describePrevious(previous)})`);
  for (const line of columns(comparisonRows(previous, report))) console.log(line);
}
console.log(`\nwritten to ${args.out}${args.save === undefined ? '' : ` and ${args.save}`}`);
