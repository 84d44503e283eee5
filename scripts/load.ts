/**
 * `npm run load`: many harvesters and GetRecord traffic at once against the real server on
 * loopback, for a bounded time, counting every answer. Each simulated client has its own address
 * (X-Forwarded-For, with TRUST_PROXY on), so flow control sees 64 harvesters, not one.
 *
 *   npm run load -- [--records 100000] [--duration 60] [--harvesters 64] [--getters 8] [--out load-results.json]
 *   npm run load -- --duration 600     # the soak: memory sampled every 10 s
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { freePort, get, percentile, round, startServer } from './harness.js';
import { buildSyntheticStore, PER_ISSUE, syntheticLocalId } from './synthetic.js';

const { values: args } = parseArgs({
  options: {
    records: { type: 'string', default: '100000' },
    duration: { type: 'string', default: '60' },
    harvesters: { type: 'string', default: '64' },
    getters: { type: 'string', default: '8' },
    seed: { type: 'string', default: '58' },
    out: { type: 'string', default: 'load-results.json' },
  },
});
const N = Number(args.records);
const DURATION = Number(args.duration);
const HARVESTERS = Number(args.harvesters);
const GETTERS = Number(args.getters);
if (!Number.isInteger(N) || N < 100 || N > 2_000_000) throw new Error('--records must be a whole number from 100 to 2,000,000');
if (!(DURATION >= 5 && DURATION <= 3600)) throw new Error('--duration must be 5 to 3600 seconds');
if (!(HARVESTERS >= 1 && HARVESTERS <= 512) || !(GETTERS >= 0 && GETTERS <= 512)) throw new Error('--harvesters and --getters: 1 to 512, 0 to 512');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oai-load-'));
const dbPath = path.join(dir, 'load.sqlite');
const port = await freePort();
const publicUrl = `http://127.0.0.1:${port}`;
const env = { DATABASE_PATH: dbPath, PUBLIC_URL: publicUrl, PORT: String(port), HOST: '127.0.0.1', TRUST_PROXY: 'loopback' };
const config = loadConfig(env);
console.error(`load: building ${N} records in ${dir}`);
const store = buildSyntheticStore(dbPath, N, Number(args.seed), config, (line) => console.error(`load: ${line}`));
// The default flow-control limits, as a public server runs them.
const server = await startServer(env);
const rssStart = server.rss().current;
const samples: Array<{ second: number; rssMiB: number }> = [];

interface Tally {
  requests: number;
  ok: number;
  refused: number;
  errors: string[];
  latencies: number[];
  harvests: number;
}
const tally: Tally = { requests: 0, ok: 0, refused: 0, errors: [], latencies: [], harvests: 0 };
const deadline = performance.now() + DURATION * 1000;
const running = () => performance.now() < deadline;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One request as a client at `address`: 503 is waited out as Retry-After says; anything else unexpected is an error. */
async function ask(url: string, address: string, agent: http.Agent, gzip: boolean): Promise<Buffer | null> {
  for (;;) {
    const t0 = performance.now();
    let reply;
    try {
      reply = await get(url, { 'X-Forwarded-For': address, 'Accept-Encoding': gzip ? 'gzip' : 'identity' }, agent);
    } catch (error) {
      tally.errors.push(`network: ${(error as Error).message}`);
      return null;
    }
    tally.requests++;
    tally.latencies.push(performance.now() - t0);
    if (reply.status === 503) {
      tally.refused++;
      const wait = Number(reply.headers['retry-after']);
      if (!Number.isInteger(wait) || wait < 1) tally.errors.push(`503 without a numeric Retry-After: ${String(reply.headers['retry-after'])}`);
      await sleep(Math.max(1, wait) * 1000);
      if (!running()) return null;
      continue;
    }
    // A whole answer ends with the closing root tag; a cut-off one does not.
    if (reply.status !== 200 || !reply.body.subarray(-32).toString('latin1').endsWith('</OAI-PMH>\n')) {
      tally.errors.push(`${reply.status}: ${reply.body.subarray(0, 200).toString()}`);
      return null;
    }
    tally.ok++;
    return reply.body;
  }
}

/** Full ListRecords harvests, one after another, following tokens. */
async function harvester(n: number): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const address = `10.0.${Math.floor(n / 250)}.${(n % 250) + 1}`;
  while (running()) {
    let url = `${publicUrl}/oai?verb=ListRecords&metadataPrefix=${n % 4 === 0 ? 'mods' : 'oai_dc'}`;
    for (;;) {
      // Half the harvesters ask for gzip, as aggregators mostly do.
      const body = await ask(url, address, agent, n % 2 === 0);
      if (body === null) break;
      const token = /<resumptionToken[^>]*>([^<]+)<\/resumptionToken>/.exec(body.subarray(-2048).toString())?.[1];
      if (token === undefined) {
        tally.harvests++;
        break;
      }
      url = `${publicUrl}/oai?verb=ListRecords&resumptionToken=${encodeURIComponent(token)}`;
      if (!running()) break;
    }
  }
  agent.destroy();
}

/** GetRecord of records spread over the store. */
async function getter(n: number): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const address = `10.1.0.${n + 1}`;
  for (let i = n; running(); i += 7919) {
    const local = syntheticLocalId(i % Math.max(PER_ISSUE, N));
    await ask(`${publicUrl}/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:${config.repositoryIdentifier}:${local}`, address, agent, false);
  }
  agent.destroy();
}

const started = performance.now();
const sampler = setInterval(() => samples.push({ second: Math.round((performance.now() - started) / 1000), rssMiB: round(server.rss().current) }), 10_000);
await Promise.all([...Array.from({ length: HARVESTERS }, (_, n) => harvester(n)), ...Array.from({ length: GETTERS }, (_, n) => getter(n))]);
clearInterval(sampler);
const seconds = (performance.now() - started) / 1000;
const memory = server.rss();
await server.stop();
fs.rmSync(dir, { recursive: true, force: true });

const sorted = [...tally.latencies].sort((a, b) => a - b);
const report = {
  date: new Date().toISOString(),
  machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${round(os.totalmem() / 1073741824, 0)} GiB, Node ${process.version}`,
  records: store.records,
  seconds: round(seconds),
  clients: { harvesters: HARVESTERS, getters: GETTERS },
  requests: tally.requests,
  requestsPerSecond: round(tally.requests / seconds),
  ok: tally.ok,
  refused503: tally.refused,
  unintendedErrors: tally.errors.length,
  firstErrors: tally.errors.slice(0, 5),
  completedHarvests: tally.harvests,
  latencyMs: { p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)), max: round(sorted.at(-1) ?? NaN) },
  serverRssMiB: { start: round(rssStart), end: round(memory.current), peak: round(memory.peak), every10s: samples },
};
fs.writeFileSync(args.out ?? 'load-results.json', `${JSON.stringify(report, null, 2)}\n`);
console.log(`\n${report.date} · ${report.machine}`);
console.log(`${report.records} records, ${HARVESTERS} harvesters + ${GETTERS} GetRecord clients for ${report.seconds} s`);
console.log(`requests ${report.requests} (${report.requestsPerSecond}/s): ${report.ok} answered, ${report.refused503} refused with 503 (intended), ${report.unintendedErrors} unintended errors`);
console.log(`completed full harvests ${report.completedHarvests}`);
console.log(`latency p50 ${report.latencyMs.p50} ms, p99 ${report.latencyMs.p99} ms, max ${report.latencyMs.max} ms`);
console.log(`server RSS start ${report.serverRssMiB.start} MiB, end ${report.serverRssMiB.end} MiB, peak ${report.serverRssMiB.peak} MiB`);
if (samples.length > 0) console.log(`RSS every 10 s: ${samples.map((s) => s.rssMiB).join(' ')}`);
console.log(`written to ${args.out}`);
process.exitCode = tally.errors.length === 0 ? 0 : 1;
