/**
 * `npm run bench:replicas`: the same harvests and GetRecord load through nginx in front of two
 * read-only replicas, and against one replica directly, on loopback. The set is started as the
 * nginx test starts it (scripts/replicas.ts): synthetic records through the real import, the
 * primary, `admin snapshot`, replicas on the snapshot, nginx with deploy/nginx.conf.
 *
 *   npm run bench:replicas -- [--records 20000] [--rounds 3] [--harvesters 4] [--duration 10] [--out file.json]
 *
 * Flow control is off, as in `npm run bench`: the servers' capacity is measured. Each figure is the
 * median of `--rounds`, the two targets taken in turn, each round in the opposite order to the last.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { get, percentile, round } from './harness.js';
import { startReplicaSet } from './replicas.js';
import { PER_ISSUE } from './synthetic.js';

const { values: args } = parseArgs({
  options: {
    records: { type: 'string', default: '20000' },
    seed: { type: 'string', default: '58' },
    rounds: { type: 'string', default: '3' },
    harvesters: { type: 'string', default: '4' },
    duration: { type: 'string', default: '10' },
    out: { type: 'string' },
  },
});
const N = Number(args.records);
const ROUNDS = Number(args.rounds);
const HARVESTERS = Number(args.harvesters);
const DURATION = Number(args.duration);
if (!Number.isInteger(N) || N < 100 || N > 1_000_000) throw new Error('--records must be a whole number from 100 to 1,000,000');
if (!Number.isInteger(ROUNDS) || ROUNDS < 1 || ROUNDS > 20) throw new Error('--rounds must be a whole number from 1 to 20');
if (!Number.isInteger(HARVESTERS) || HARVESTERS < 1 || HARVESTERS > 64) throw new Error('--harvesters must be a whole number from 1 to 64');
if (!(DURATION >= 1 && DURATION <= 300)) throw new Error('--duration must be 1 to 300 seconds');

const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);
const IDENTITY = { 'Accept-Encoding': 'identity' };
const RECORD = Buffer.from('<record>');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oai-bench-replicas-'));
console.error(`bench:replicas: ${N} records in ${dir}`);
const set = await startReplicaSet({
  records: N,
  seed: Number(args.seed),
  dir,
  env: { OAI_CONCURRENCY_LIMIT: '0', OAI_RATE_LIMIT: '0', LOG_LEVEL: 'warn' },
  progress: (line) => console.error(`bench:replicas: ${line}`),
});

try {
  const [replica] = set.replicas;
  if (replica === undefined) throw new Error('no replica started');
  const targets = { nginx: set.nginx.origin, direct: replica.origin } as const;
  type Target = keyof typeof targets;

  /** A full ListRecords harvest over one kept-alive connection, as a harvester runs it: records and seconds. */
  async function harvest(origin: string): Promise<{ records: number; seconds: number }> {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    let records = 0;
    const started = performance.now();
    let url = `${origin}/oai?verb=ListRecords&metadataPrefix=oai_dc`;
    for (;;) {
      const reply = await get(url, IDENTITY, agent);
      if (reply.status !== 200) throw new Error(`${url}: status ${reply.status}`);
      // Counted and parsed only at the tail, so that the client is not what is measured.
      for (let at = reply.body.indexOf(RECORD); at !== -1; at = reply.body.indexOf(RECORD, at + RECORD.length)) records++;
      const token = /<resumptionToken[^>]*>([^<]+)<\/resumptionToken>/.exec(reply.body.subarray(Math.max(0, reply.body.length - 4096)).toString('utf8'))?.[1];
      if (!token) break;
      url = `${origin}/oai?verb=ListRecords&resumptionToken=${encodeURIComponent(token)}`;
    }
    agent.destroy();
    return { records, seconds: (performance.now() - started) / 1000 };
  }

  // The same warm-up for every server, so that no target is measured while the JIT compiles.
  const warm = new http.Agent({ keepAlive: true, maxSockets: 1 });
  for (const r of set.replicas) for (let i = 0; i < 200; i++) await get(`${r.origin}/oai?verb=ListRecords&metadataPrefix=oai_dc`, IDENTITY, warm);
  warm.destroy();

  const total = (await harvest(set.nginx.origin)).records;
  const sampleIds = Array.from({ length: 200 }, (_, i) => `${1000 + ((i * 7919) % Math.max(1, Math.floor(N / PER_ISSUE)))}-${((i * 31) % PER_ISSUE) * 10 + 1}`);
  let next = 0;
  const getRecordPath = () => `/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=${set.identifierPrefix}${sampleIds[next++ % sampleIds.length] ?? ''}`;

  const runs: Record<Target, { harvest: number[]; harvesters: number[]; getRecord: number[]; p99: number[]; errors: number }> = {
    nginx: { harvest: [], harvesters: [], getRecord: [], p99: [], errors: 0 },
    direct: { harvest: [], harvesters: [], getRecord: [], p99: [], errors: 0 },
  };
  for (let r = 0; r < ROUNDS; r++) {
    for (const target of r % 2 === 0 ? (['nginx', 'direct'] as const) : (['direct', 'nginx'] as const)) {
      const origin = targets[target];
      const one = await harvest(origin);
      if (one.records !== total) throw new Error(`${target}: a harvest gave ${one.records} records, not ${total}`);
      runs[target].harvest.push(round(one.records / one.seconds, 0));
      // Several harvesters at once: what a second replica is for.
      const started = performance.now();
      const many = await Promise.all(Array.from({ length: HARVESTERS }, () => harvest(origin)));
      runs[target].harvesters.push(round(many.reduce((sum, h) => sum + h.records, 0) / ((performance.now() - started) / 1000), 0));
      const result = await autocannon({ url: origin, connections: 16, duration: DURATION, requests: [{ setupRequest: (req) => ({ ...req, path: getRecordPath() }) }] });
      runs[target].getRecord.push(round(result.requests.average));
      runs[target].p99.push(result.latency.p99);
      runs[target].errors += result.errors + result.non2xx;
      console.error(`bench:replicas: round ${r + 1}, ${target}: ${runs[target].harvest.at(-1)} records/s, ${HARVESTERS} harvesters ${runs[target].harvesters.at(-1)} records/s, GetRecord c=16 ${runs[target].getRecord.at(-1)} req/s`);
    }
  }

  const summary = (t: Target) => ({
    listRecordsPerSecond: median(runs[t].harvest),
    harvestersRecordsPerSecond: median(runs[t].harvesters),
    getRecordC16: { requestsPerSecond: median(runs[t].getRecord), p99Ms: median(runs[t].p99), errors: runs[t].errors },
    runs: runs[t],
  });
  const report = {
    date: new Date().toISOString(),
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${round(os.totalmem() / 1073741824, 0)} GiB, Node ${process.version}`,
    records: total,
    rounds: ROUNDS,
    harvesters: HARVESTERS,
    nginxTwoReplicas: summary('nginx'),
    oneReplicaDirect: summary('direct'),
  };
  if (args.out !== undefined) fs.writeFileSync(args.out, `${JSON.stringify(report, null, 2)}\n`);

  const line = (what: string, pick: (s: ReturnType<typeof summary>) => string) =>
    `${what.padEnd(38)}  ${pick(report.nginxTwoReplicas).padEnd(28)}  ${pick(report.oneReplicaDirect)}`;
  console.log(`\n${report.date} · ${report.machine} · ${total} records, medians of ${ROUNDS}`);
  console.log(`${''.padEnd(38)}  ${'nginx, 2 replicas'.padEnd(28)}  1 replica, direct`);
  console.log(line('ListRecords full harvest', (s) => `${s.listRecordsPerSecond} records/s`));
  console.log(line(`${HARVESTERS} full harvests at once, in all`, (s) => `${s.harvestersRecordsPerSecond} records/s`));
  console.log(line('GetRecord c=16', (s) => `${s.getRecordC16.requestsPerSecond} req/s, p99 ${s.getRecordC16.p99Ms} ms`));
  if (report.nginxTwoReplicas.getRecordC16.errors + report.oneReplicaDirect.getRecordC16.errors > 0) console.log('errors or non-2xx answers: see the JSON');
  if (args.out !== undefined) console.log(`\nwritten to ${args.out}`);
} finally {
  await set.stop();
}
