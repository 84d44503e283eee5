import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nginxMissing, startReplicaSet, type ReplicaSet, type Server } from '../../scripts/replicas.js';
import { syntheticArticles, syntheticLocalId } from '../../scripts/synthetic.js';
import { validateOaiResponses } from '../support/xsd.js';
import { nodes, parseXml, texts } from '../support/xml.js';

// The primary, two replicas and nginx as docs/scaling-out.md deploys them, all real processes on
// loopback: harvests through nginx cross replicas, survive a snapshot swap, and a replica's death.

const RECORDS = 2_000;
// 50 a page: a harvest is some forty pages, so tokens cross from replica to replica many times.
const PAGE_SIZE = 50;

// In CI a missing nginx fails the tests (.ci/run installs it); elsewhere they are skipped, saying why.
const missing = nginxMissing();
const skip = missing !== null && process.env['CI'] === undefined;
if (skip) console.warn(`skipping the nginx replica tests: ${missing} In CI they fail instead.`);

/** One page as the harvester got it. */
interface Page {
  xml: string;
  replica: string;
  identifiers: string[];
  /** Identifiers of the records that are not withdrawn. */
  live: string[];
  token: string | null;
  cursor: number | null;
  completeListSize: number | null;
  responseDate: string;
  requestUrl: string;
}

/** A whole list as the harvester got it. */
interface Harvest {
  pages: Page[];
  identifiers: string[];
  /** Requests that failed once and were sent again. */
  retries: number;
}

/** What a failed request said; the harvester retries it once. */
class Failed extends Error {}

// One kept-alive connection, as a harvester holds it.
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
afterAll(() => agent.destroy());

/**
 * GET, read to its end; a broken connection or a 5xx is a failure. `onHeaders` runs with the
 * body not yet read, and may do something to the replica answering.
 */
function request(url: string, onHeaders?: (headers: http.IncomingHttpHeaders) => Promise<void>): Promise<{ headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        res.pause();
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('error', (error) => reject(new Failed(`the response broke off: ${error.message}`)));
        res.on('close', () => {
          if (!res.complete) reject(new Failed('the response broke off'));
          else if ((res.statusCode ?? 0) >= 500) reject(new Failed(`status ${res.statusCode ?? 0}`));
          else resolve({ headers: res.headers, body: Buffer.concat(parts).toString('utf8') });
        });
        void (onHeaders ?? (async () => {}))(res.headers).then(
          () => res.resume(),
          (error: unknown) => reject(error instanceof Error ? error : new Error(String(error))),
        );
      })
      .on('error', (error) => reject(new Failed(`the request failed: ${error.message}`)));
  });
}

/**
 * A harvest as a harvester runs it: the first request, then each resumptionToken until the empty
 * one; a failed request is sent once more. `after(i)` runs between page i and the next;
 * `onHeaders(i)`, while page i's answer is on its way.
 */
async function harvest(
  set: ReplicaSet,
  query: string,
  hooks: { after?: (i: number, pages: readonly Page[]) => Promise<void>; onHeaders?: (i: number, replica: Server) => Promise<void> } = {},
): Promise<Harvest> {
  const pages: Page[] = [];
  let retries = 0;
  let url = `${set.nginx.origin}/oai?${query}`;
  for (;;) {
    const i = pages.length;
    let reply;
    try {
      reply = await request(url, async (headers) => {
        const replica = set.replicaOf(headers['x-request-id'] as string | undefined);
        if (replica !== undefined) await hooks.onHeaders?.(i, replica);
      });
    } catch (error) {
      if (!(error instanceof Failed)) throw error;
      retries++;
      reply = await request(url);
    }
    const doc = parseXml(reply.body);
    expect(texts(doc, '//oai:error'), reply.body.slice(0, 2000)).toEqual([]);
    const token = nodes(doc, '//oai:resumptionToken')[0];
    const number = (name: string) => (token?.hasAttribute(name) ? Number(token.getAttribute(name)) : null);
    const page: Page = {
      xml: reply.body,
      replica: set.replicaOf(reply.headers['x-request-id'] as string | undefined)?.name ?? `unknown (${String(reply.headers['x-request-id'])})`,
      identifiers: texts(doc, '//oai:record/oai:header/oai:identifier'),
      live: texts(doc, '//oai:record/oai:header[not(@status)]/oai:identifier'),
      token: token?.textContent || null,
      cursor: number('cursor'),
      completeListSize: number('completeListSize'),
      responseDate: texts(doc, '/oai:OAI-PMH/oai:responseDate')[0] ?? '',
      requestUrl: texts(doc, '/oai:OAI-PMH/oai:request')[0] ?? '',
    };
    pages.push(page);
    await hooks.after?.(i, pages);
    if (page.token === null) break;
    url = `${set.nginx.origin}/oai?verb=ListRecords&resumptionToken=${encodeURIComponent(page.token)}`;
  }
  return { pages, identifiers: pages.flatMap((p) => p.identifiers), retries };
}

/** Every record identifier a snapshot file holds, withdrawn ones too (they are listed as deleted). */
function identifiersIn(file: string, prefix: string): Set<string> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return new Set(db.prepare<[], string>('SELECT local_id FROM article').pluck().all().map((id) => `${prefix}${id}`));
  } finally {
    db.close();
  }
}

/** The checks every complete harvest passes: schema-valid pages, a consistent cursor, no identifier twice. */
async function checkHarvest(set: ReplicaSet, h: Harvest): Promise<void> {
  await validateOaiResponses(h.pages.map((p) => p.xml));
  let sent = 0;
  for (const [i, page] of h.pages.entries()) {
    // Every replica announces the balancer's address, not its own.
    expect(page.requestUrl).toBe(`${set.nginx.origin}/oai`);
    if (i > 0) expect(page.cursor, `page ${i + 1}`).toBe(sent);
    sent += page.identifiers.length;
  }
  expect(new Set(h.identifiers).size, 'an identifier was sent twice').toBe(h.identifiers.length);
  expect(h.pages.at(-1)?.token).toBeNull();
}

/** Pages whose replica differs from the one before: tokens one replica issued, another accepted. */
const crossings = (pages: readonly Page[]) => pages.filter((p, i) => i > 0 && p.replica !== pages[i - 1]?.replica).length;

describe.skipIf(skip)('read replicas behind nginx', () => {
  let set: ReplicaSet;
  let original: Set<string>;
  let dir = '';
  // The first full harvest: the list's order, for the second test to pick a record not yet sent.
  let first: Harvest | undefined;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oai-nginx-'));
    set = await startReplicaSet({ records: RECORDS, dir, env: { OAI_PAGE_SIZE_RECORDS: String(PAGE_SIZE) } });
    original = identifiersIn(set.snapshot, set.identifierPrefix);
  }, 300_000);

  afterAll(async () => {
    if (set !== undefined) await set.stop();
    else if (dir !== '') fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  /** What nginx and the replicas said, for a failing assertion to show. */
  const logs = () => `nginx errors:\n${set.nginx.errorLog()}\n${set.replicas.map((r) => `${r.name}:\n${r.log().slice(-3000)}`).join('\n')}`;

  it('serves a full harvest from both replicas, each token on whichever replica nginx picks', async () => {
    const h = await harvest(set, 'verb=ListRecords&metadataPrefix=oai_dc');
    first = h;
    await checkHarvest(set, h);
    expect(h.pages.length).toBeGreaterThanOrEqual(RECORDS / PAGE_SIZE);
    expect(new Set(h.identifiers)).toEqual(original);
    expect(h.pages[0]?.completeListSize).toBe(original.size);
    expect(h.retries).toBe(0);
    expect(new Set(h.pages.map((p) => p.replica)), logs()).toEqual(new Set(set.replicas.map((r) => r.name)));
    // Round robin: most pages come from the other replica than the page before.
    expect(crossings(h.pages)).toBeGreaterThanOrEqual(h.pages.length / 3);
  }, 120_000);

  it('goes on across a new snapshot and SIGHUP, one replica after the other: nothing twice, and the next incremental harvest has the rest', async () => {
    const local = (identifier: string) => identifier.slice(set.identifierPrefix.length);
    const added = `${set.identifierPrefix}${syntheticLocalId(RECORDS)}`;
    let changedSent = '';
    let changedUnsent = '';
    let changedAt = 0;
    // The first replica switches after page 6, the second three pages later: in between, tokens
    // go from the new file to the old one and back.
    const SWAP_AFTER = 5;
    const SECOND_AFTER = SWAP_AFTER + 3;
    const reopened = `SIGHUP: reopened ${set.snapshot}, ${original.size + 1} records`;
    const h = await harvest(set, 'verb=ListRecords&metadataPrefix=oai_dc', {
      async after(i, before) {
        if (i === SECOND_AFTER) expect(await set.reload(set.replicas.slice(1))).toEqual([reopened]);
        if (i !== SWAP_AFTER) return;
        // One record already sent, one not yet (the last live one of the list), and a new one.
        changedSent = before[1]?.live[0] ?? '';
        changedUnsent = first?.pages.flatMap((p) => p.live).at(-1) ?? '';
        const sent = new Set(before.flatMap((p) => p.identifiers));
        expect(sent.has(changedSent) && !sent.has(changedUnsent) && original.has(changedUnsent)).toBe(true);
        set.admin('set', local(changedSent), 'title', '--lang', 'en', 'A corrected title, sent before the swap');
        set.admin('set', local(changedUnsent), 'title', '--lang', 'en', 'A corrected title, not yet sent at the swap');
        const file = path.join(dir, 'new.jsonl');
        fs.writeFileSync(file, `${syntheticArticles(7).line(RECORDS)}\n`);
        expect(set.admin('import', file)).toMatch(/1 added/);
        changedAt = Date.now();
        const inode = fs.statSync(set.snapshot).ino;
        expect(set.admin('snapshot', set.snapshot)).toContain(`${original.size + 1} records`);
        expect(fs.statSync(set.snapshot).ino, 'the snapshot is a new file renamed over the old').not.toBe(inode);
        expect(await set.reload(set.replicas.slice(0, 1))).toEqual([reopened]);
      },
    });
    await checkHarvest(set, h);
    // The record changed before it was sent moved past the harvest's frozen upper bound; the
    // one sent before its change is there once, the new one is not there yet.
    expect(new Set(h.identifiers)).toEqual(new Set([...original].filter((id) => id !== changedUnsent)));
    expect(h.identifiers).not.toContain(added);
    const names = new Set(set.replicas.map((r) => r.name));
    expect(new Set(h.pages.slice(SWAP_AFTER + 1, SECOND_AFTER + 1).map((p) => p.replica))).toEqual(names);
    const after = h.pages.slice(SECOND_AFTER + 1);
    expect(after.length).toBeGreaterThanOrEqual(10);
    expect(new Set(after.map((p) => p.replica))).toEqual(names);

    // The harvester's next run asks from the first page's responseDate; its own upper bound is a
    // second before it starts, so wait until the changes' second is past.
    const wait = Math.floor(changedAt / 1000) * 1000 + 2000 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const next = await harvest(set, `verb=ListRecords&metadataPrefix=oai_dc&from=${h.pages[0]?.responseDate ?? ''}`);
    await checkHarvest(set, next);
    expect(new Set(next.identifiers)).toEqual(new Set([changedSent, changedUnsent, added]));
    expect(next.pages.map((p) => p.xml).join('')).toContain('A corrected title, not yet sent at the swap');
    // Between them, the two harvests have every record of the new snapshot.
    expect(new Set([...h.identifiers, ...next.identifiers])).toEqual(identifiersIn(set.snapshot, set.identifierPrefix));
  }, 120_000);

  it('completes a harvest when a replica is killed while its answer is on the way: at most one request sent again', async () => {
    const expected = identifiersIn(set.snapshot, set.identifierPrefix);
    const KILL_AT = 10;
    let victim: Server | undefined;
    const h = await harvest(set, 'verb=ListRecords&metadataPrefix=oai_dc', {
      async onHeaders(i, replica) {
        if (i !== KILL_AT) return;
        // The replica answering this page dies before the harvester reads the body.
        victim = replica;
        const gone = new Promise((resolve) => replica.running.child.once('exit', resolve));
        replica.running.child.kill('SIGKILL');
        await gone;
      },
    });
    await checkHarvest(set, h);
    expect(victim).toBeDefined();
    expect(new Set(h.identifiers)).toEqual(expected);
    expect(h.pages[0]?.completeListSize).toBe(expected.size);
    expect(h.retries, logs()).toBeLessThanOrEqual(1);
    const survivor = set.replicas.find((r) => r !== victim);
    expect(h.pages.slice(KILL_AT + 1).every((p) => p.replica === survivor?.name), logs()).toBe(true);
    // nginx itself passed a request from the dead replica on to the live one (proxy_next_upstream).
    const address = (s: Server | undefined) => s?.origin.replace('http://', '') ?? '';
    expect(set.nginx.accessLog(), logs()).toContain(` ${address(victim)}, ${address(survivor)} `);
  }, 120_000);
});
