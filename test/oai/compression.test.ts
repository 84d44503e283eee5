import { execFileSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FORMATS } from '../../src/formats/registry.js';
import { makeServer, REPOSITORY_ID, runAdmin } from '../support/app.js';
import { validateOaiResponseIn } from '../support/format-schemas.js';
import { validateOaiResponse } from '../support/xsd.js';

vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

const RICH = new URL('../ingest/fixtures/rich-articles.jsonl', import.meta.url).pathname;

// Small pages, so that lists run over several pages and their tokens; a fixed clock, so that the
// three codings of one request answer with the same responseDate and can be compared whole.
const server = makeServer({ OAI_PAGE_SIZE_RECORDS: '3', OAI_PAGE_SIZE_IDENTIFIERS: '4', OAI_PAGE_SIZE_SETS: '2' });
runAdmin(server.dbPath, '2025-09-01T00:00:00Z', 'journal', 'add', 'rik', '--name-fa', 'فصلنامه نمونه غنی', '--name-en', 'Rich Sample Quarterly', '--issn-online', '2345-6787');
runAdmin(server.dbPath, '2025-09-01T00:00:01Z', 'import', RICH, '--journal', 'rik');
server.setNow(new Date('2025-09-02T00:00:00Z'));

let listener: http.Server;
let port = 0;
beforeAll(async () => {
  listener = http.createServer(server.app).listen(0, '127.0.0.1');
  await new Promise((resolve) => listener.once('listening', resolve));
  port = (listener.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => listener.close(() => resolve())));

type Coding = 'identity' | 'gzip' | 'deflate';

/** The bytes as they went over the socket, undecoded. */
function fetchRaw(query: string, coding: Coding, method: 'GET' | 'POST'): Promise<{ encoding: string | undefined; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'Accept-Encoding': coding };
    if (method === 'POST') headers['Content-Type'] = 'application/x-www-form-urlencoded';
    const req = http.request({ host: '127.0.0.1', port, method, path: method === 'GET' ? `/oai?${query}` : '/oai', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(method === 'POST' ? query : undefined);
  });
}

const gzipCommand = (body: Buffer) => execFileSync('gzip', ['-dc'], { input: body, maxBuffer: 1 << 26 });
// A second reader of the zlib format than Node's, as the gzip command reads only gzip.
const pythonZlib = (body: Buffer) =>
  execFileSync('python3', ['-c', 'import sys, zlib; sys.stdout.buffer.write(zlib.decompress(sys.stdin.buffer.read()))'], { input: body, maxBuffer: 1 << 26 });

/**
 * Asks the same request in all three codings, checks that each compressed answer decodes byte for
 * byte to the plain one with two decoders, validates the plain one, and returns it.
 */
async function sameInEveryCoding(query: string, method: 'GET' | 'POST' = 'GET', prefix: string | null = null): Promise<string> {
  const plain = await fetchRaw(query, 'identity', method);
  const gzip = await fetchRaw(query, 'gzip', method);
  const deflate = await fetchRaw(query, 'deflate', method);
  expect(plain.encoding).toBeUndefined();
  expect(gzip.encoding).toBe('gzip');
  expect(deflate.encoding).toBe('deflate');
  expect(zlib.gunzipSync(gzip.body).equals(plain.body), `gzip, Node: ${query}`).toBe(true);
  expect(gzipCommand(gzip.body).equals(plain.body), `gzip, the gzip command: ${query}`).toBe(true);
  expect(zlib.inflateSync(deflate.body).equals(plain.body), `deflate, Node: ${query}`).toBe(true);
  expect(pythonZlib(deflate.body).equals(plain.body), `deflate, Python: ${query}`).toBe(true);
  const xml = plain.body.toString('utf8');
  // The OAI-PMH schema set includes Dublin Core's; the other formats bring their own.
  if (prefix === null || prefix === 'oai_dc') await validateOaiResponse(xml);
  else await validateOaiResponseIn(prefix, xml);
  return xml;
}

/** Every page of a list, following its tokens, each page checked in every coding. */
async function wholeList(first: string, prefix: string | null): Promise<number> {
  let pages = 0;
  for (let query: string | null = first; query !== null; pages++) {
    const xml = await sameInEveryCoding(query, 'GET', prefix);
    const token = /<resumptionToken[^>]*>([^<]+)<\/resumptionToken>/.exec(xml)?.[1];
    const verb = /verb=(\w+)/.exec(first)?.[1] ?? '';
    query = token === undefined ? null : `verb=${verb}&resumptionToken=${encodeURIComponent(token.replaceAll('&amp;', '&'))}`;
  }
  return pages;
}

describe('gzip and deflate answers', () => {
  it.each(['verb=Identify', 'verb=ListMetadataFormats', 'verb=nonsense', 'verb=ListRecords', 'verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:x:nothing'])(
    'decode byte for byte to the plain answer: %s',
    async (query) => {
      await sameInEveryCoding(query);
    },
  );

  it('do so for every page of ListSets and ListIdentifiers', async () => {
    expect(await wholeList('verb=ListSets', null)).toBeGreaterThan(1);
    expect(await wholeList('verb=ListIdentifiers&metadataPrefix=oai_dc', null)).toBeGreaterThan(1);
  });

  it.each([...FORMATS.keys()])('do so for every page of ListRecords in %s, and for its GetRecord', async (prefix) => {
    expect(await wholeList(`verb=ListRecords&metadataPrefix=${prefix}`, prefix)).toBeGreaterThan(0);
    const xml = await sameInEveryCoding(`verb=GetRecord&metadataPrefix=${prefix}&identifier=oai:${REPOSITORY_ID}:rik-7-1`, 'GET', prefix);
    expect(xml).toContain('<metadata>');
  });

  it('do so over POST', async () => {
    await sameInEveryCoding('verb=ListRecords&metadataPrefix=oai_dc&set=rik', 'POST', 'oai_dc');
  });
});
