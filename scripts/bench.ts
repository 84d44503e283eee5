/**
 * `npm run bench`: generates N synthetic bilingual records, imports them through the real import
 * path, starts the real server on loopback, and measures harvests, pages, GetRecord and memory.
 * Bounded in count and time; it talks to 127.0.0.1 only. Prints a table and writes JSON.
 *
 *   npm run bench -- --records 100000 [--seed 58] [--out bench-results.json] [--duration 10] [--keep]
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.js';
import { oaiContext } from '../src/context.js';
import { handleOai } from '../src/oai/handle.js';
import { xmlBuffers } from '../src/oai/write-xml.js';
import { parseSource } from '../src/ingest/read-source.js';
import { formatDatestamp } from '../src/oai/datestamp.js';
import { importSource, nextDatestamp } from '../src/store/import.js';
import { openReadOnly, openWritable } from '../src/store/open.js';
import { initializeStore } from '../src/store/open-store.js';
import { SqliteRepository } from '../src/store/records.js';
import { setDeleted } from '../src/store/write.js';

const { values: args } = parseArgs({
  options: {
    records: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '58' },
    out: { type: 'string', default: 'bench-results.json' },
    duration: { type: 'string', default: '10' },
    keep: { type: 'boolean', default: false },
  },
});
const N = Number(args.records);
const DURATION = Number(args.duration);
if (!Number.isInteger(N) || N < 100 || N > 2_000_000) throw new Error('--records must be a whole number from 100 to 2,000,000');

// --- Deterministic synthetic records ---------------------------------------------------------

/** mulberry32: a small seeded generator, so every run builds the same records. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = generator(Number(args.seed));
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
const EN = 'policy relations foreign security energy region union strategy cooperation development international analysis theory power interest economic political state conflict peace treaty market growth'.split(' ');
const FA = 'سیاست روابط خارجی امنیت انرژی منطقه اتحادیه راهبرد همکاری توسعه بین‌الملل تحلیل نظریه قدرت منافع اقتصادی سیاسی دولت منازعه صلح معاهده بازار رشد'.split(' ');
const NAMES_EN = 'Ali Reza Maryam Hossein Fatemeh Zahra Mohammad Sara Amir Leila Karimi Ahmadi Hosseini Rezaei Moradi Jafari Sadeghi Bayat Salehi Mohammadi'.split(' ');
const NAMES_FA = 'علی رضا مریم حسین فاطمه زهرا محمد سارا امیر لیلا کریمی احمدی حسینی رضایی مرادی جعفری صادقی بیات صالحی محمدی'.split(' ');
const SEASONS = ['بهار', 'تابستان', 'پاییز', 'زمستان'];
const text = (words: readonly string[], chars: number) => {
  let out = '';
  while (out.length < chars) out += `${pick(words)} `;
  return `${out.trim()}.`;
};
const PER_ISSUE = 100;

/** One JSON line: an article of about 1,200 characters of abstract per language. */
function articleLine(i: number): string {
  const issue = 1000 + Math.floor(i / PER_ISSUE);
  const k = i % PER_ISSUE;
  const quarter = issue % 4;
  const year = 1300 + Math.floor((issue - 1000) / 4) % 100;
  const authors = Array.from({ length: 2 + Math.floor(random() * 4) }, (_, a) => ({
    fa: `${pick(NAMES_FA)} ${pick(NAMES_FA)}`,
    en: `${pick(NAMES_EN)} ${pick(NAMES_EN)}`,
    corresponding: a === 0,
  }));
  return JSON.stringify({
    issue: { number: issue, season: SEASONS[quarter], date: `${year}/${String(quarter * 3 + 2).padStart(2, '0')}/15` },
    pages: `${k * 10 + 1}-${k * 10 + 9}`,
    title: { fa: text(FA, 60), en: text(EN, 70) },
    abstract: { fa: text(FA, 1200), en: text(EN, 1200) },
    keywords: { fa: Array.from({ length: 4 + Math.floor(random() * 4) }, () => pick(FA)), en: Array.from({ length: 4 + Math.floor(random() * 4) }, () => pick(EN)) },
    authors,
  });
}

// --- Helpers ----------------------------------------------------------------------------------

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

// --- 1. Generate and import -------------------------------------------------------------------

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oai-bench-'));
const dbPath = path.join(dir, 'bench.sqlite');
const port = await freePort();
const publicUrl = `http://127.0.0.1:${port}`;
const env = { DATABASE_PATH: dbPath, PUBLIC_URL: publicUrl, PORT: String(port), HOST: '127.0.0.1', RESUMPTION_TOKEN_SECRET: 'bench-secret-of-enough-length' };
const config = loadConfig(env);
// At least twenty chunks, each stamped a minute apart, so a 10 % date range is a real slice.
const CHUNK = Math.min(5_000, Math.ceil(N / 20));
const chunks = Math.ceil(N / CHUNK);
// Each chunk is stamped a minute after the previous one, in the past, so date ranges select slices.
const base = Date.now() - (chunks + 5) * 60_000;
console.error(`bench: ${N} records in ${dir}`);

const writable = openWritable(dbPath);
initializeStore(writable, config, new Date(base - 60_000));
const importStart = performance.now();
for (let c = 0; c < chunks; c++) {
  const lines: string[] = [];
  for (let i = c * CHUNK; i < Math.min(N, (c + 1) * CHUNK); i++) lines.push(articleLine(i));
  importSource(writable, parseSource(lines.join('\n'), `chunk-${c}.jsonl`, 'jsonl'), { now: new Date(base + c * 60_000) });
  if (c % 20 === 19) console.error(`bench: imported ${Math.min(N, (c + 1) * CHUNK)}`);
}
const importSeconds = (performance.now() - importStart) / 1000;
// About 1 % withdrawn, as a live repository has.
const deletedAt = new Date(base + chunks * 60_000);
writable.transaction(() => {
  const ids = writable.prepare<[], string>(`SELECT local_id FROM article WHERE local_id LIKE '1%' AND id % 100 = 7`).pluck().all();
  for (const id of ids) setDeleted(writable, id, true, nextDatestamp(deletedAt, null));
})();
const total = writable.prepare<[], number>('SELECT count(*) FROM article').pluck().get() ?? 0;
writable.pragma('wal_checkpoint(TRUNCATE)');
writable.close();

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
execFileSync(process.execPath, [path.join('node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
// With the flags `npm start` gives node, read from package.json so that the two never differ.
const startScript = (JSON.parse(fs.readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start;
const nodeArgs = startScript.split(/\s+/).slice(1);
const server = spawn(process.execPath, nodeArgs, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise<void>((resolve, reject) => {
  let out = '';
  server.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.includes('OAI-PMH base URL')) resolve();
  });
  server.once('exit', () => reject(new Error(`server exited: ${out}`)));
});
const rss = () => {
  const status = fs.readFileSync(`/proc/${server.pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { current: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
};
const rssAtStart = rss().current;
const rssAfter: Record<string, number> = {};

interface Harvest {
  items: number;
  bytes: number;
  seconds: number;
  pageTimes: number[];
  midToken: string | null;
}


// One connection, kept alive, as a harvester holds it.
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** A GET's body as bytes, gunzipped when it came compressed. */
function get(url: string, headers: Record<string, string>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent, headers }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(parts);
          resolve(res.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(body) : body);
        });
      })
      .on('error', reject);
  });
}

/**
 * Follows resumption tokens from the first request to the end, as a harvester does. The body is
 * read as bytes and only its tail parsed for the token: the client must not be what is measured.
 */
async function harvest(verb: string, query: string, headers: Record<string, string> = {}): Promise<Harvest> {
  const pageTimes: number[] = [];
  const tokens: string[] = [];
  let items = 0;
  let bytes = 0;
  const start = performance.now();
  let url = `${publicUrl}/oai?verb=${verb}&${query}`;
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
    url = `${publicUrl}/oai?verb=${verb}&resumptionToken=${encodeURIComponent(token)}`;
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
const memory = rss();
server.kill('SIGTERM');
await new Promise((resolve) => server.once('exit', resolve));
if (args.keep) console.error(`bench: kept ${dbPath}`);
else fs.rmSync(dir, { recursive: true, force: true });

// --- 3. Report ---------------------------------------------------------------------------------

const tenth = Math.max(1, Math.floor(records.pageTimes.length / 10));
const firstTenth = mean(records.pageTimes.slice(0, tenth));
const lastTenth = mean(records.pageTimes.slice(-tenth));
const rate = (h: Harvest) => round(h.items / h.seconds, 0);
const mibs = (h: Harvest) => round(h.bytes / 1048576 / h.seconds, 2);
const report = {
  date: new Date().toISOString(),
  machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${round(os.totalmem() / 1073741824, 0)} GiB, Node ${process.version}`,
  records: total,
  import: { seconds: round(importSeconds), recordsPerSecond: round(N / importSeconds, 0) },
  floor: { recordsPerSecond: round(floorRate, 0), mib: round(floorBytes / 1048576) },
  listRecords: { recordsPerSecond: rate(records), mibPerSecond: mibs(records), ofFloor: round(rate(records) / floorRate, 2), pages: records.pageTimes.length },
  listRecordsGzip: { recordsPerSecond: rate(gzip) },
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
  serverRssMiB: { start: round(rssAtStart), end: round(memory.current), peak: round(memory.peak), after: Object.fromEntries(Object.entries(rssAfter).map(([k, v]) => [k, round(v)])) },
};
fs.writeFileSync(args.out ?? 'bench-results.json', `${JSON.stringify(report, null, 2)}\n`);

const rows: Array<[string, string]> = [
  ['records in the store', `${report.records}`],
  ['import', `${report.import.recordsPerSecond} records/s (${report.import.seconds} s)`],
  ['in-process floor (read + concatenate)', `${report.floor.recordsPerSecond} records/s`],
  ['ListRecords full harvest', `${report.listRecords.recordsPerSecond} records/s, ${report.listRecords.mibPerSecond} MiB/s, ${report.listRecords.ofFloor} of floor`],
  ['ListRecords, gzip', `${report.listRecordsGzip.recordsPerSecond} records/s`],
  ['ListIdentifiers full harvest', `${report.listIdentifiers.identifiersPerSecond} identifiers/s`],
  ['10 % from/until harvest', `${report.tenPercentHarvest.records} records, ${report.tenPercentHarvest.recordsPerSecond} records/s`],
  ['first / last page', `${report.pageTimes.firstPageMs} ms / ${report.pageTimes.lastPageMs} ms`],
  ['last 10 % / first 10 % of pages', `${report.pageTimes.last10PercentMeanMs} / ${report.pageTimes.first10PercentMeanMs} ms = ${report.pageTimes.lastOverFirst}×`],
  ['GetRecord c=1', `${getRecord1.requestsPerSecond} req/s, p50 ${getRecord1.p50} ms, p99 ${getRecord1.p99} ms`],
  ['GetRecord c=16', `${getRecord16.requestsPerSecond} req/s, p50 ${getRecord16.p50} ms, p99 ${getRecord16.p99} ms`],
  ['mid-list page c=1', `${midPage1.requestsPerSecond} req/s, p50 ${midPage1.p50} ms, p99 ${midPage1.p99} ms`],
  ['mid-list page c=16', `${midPage16.requestsPerSecond} req/s, p50 ${midPage16.p50} ms, p99 ${midPage16.p99} ms`],
  ['server RSS start / end / peak', `${report.serverRssMiB.start} / ${report.serverRssMiB.end} / ${report.serverRssMiB.peak} MiB`],
  ['server RSS after each phase', Object.entries(report.serverRssMiB.after).map(([k, v]) => `${k} ${v}`).join(', ') + ' MiB'],
];
const width = Math.max(...rows.map(([k]) => k.length));
console.log(`\n${report.date} · ${report.machine}`);
for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
console.log(`\nwritten to ${args.out}`);
