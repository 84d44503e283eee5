import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { OaiPmh } from 'oai-pmh';
import { afterAll, describe, expect, it } from 'vitest';
import { makeServer } from '../support/app.js';
import { validateOaiResponse } from '../support/xsd.js';

// A real HTTP server on loopback, harvested by a third-party OAI-PMH client library from npm.
const listener = http.createServer();
await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
const publicUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
const server = makeServer({ PUBLIC_URL: publicUrl, OAI_PAGE_SIZE_RECORDS: '3', OAI_PAGE_SIZE_IDENTIFIERS: '3' });

// Every response the harvester receives is kept, to be checked against the schemas too.
const responses: string[] = [];
listener.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
  const chunks: Buffer[] = [];
  const keep = (chunk: unknown) => {
    if (chunk !== undefined && typeof chunk !== 'function') chunks.push(Buffer.from(chunk as string | Uint8Array));
  };
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => http.ServerResponse;
  res.write = ((chunk: unknown, ...rest: unknown[]) => (keep(chunk), write(chunk, ...rest))) as typeof res.write;
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    keep(chunk);
    responses.push(Buffer.concat(chunks).toString('utf8'));
    return end(chunk, ...rest);
  }) as typeof res.end;
  server.app(req, res);
});
afterAll(() => new Promise<void>((resolve) => listener.close(() => resolve())));

const harvester = new OaiPmh(`${publicUrl}/oai`, { retry: false });

/** xml2js gives a string for a plain element and { _: text, $: attributes } for one with attributes. */
function lang(values: unknown, code: 'fa' | 'en'): string[] {
  const list = Array.isArray(values) ? values : values === undefined ? [] : [values];
  return list
    .filter((v): v is { _: string; $: Record<string, string> } => typeof v === 'object' && v !== null && '$' in v)
    .filter((v) => v.$['xml:lang'] === code)
    .map((v) => v._);
}

describe('a harvest by the oai-pmh client library', () => {
  it('identifies the repository', async () => {
    const identity = await harvester.identify();
    expect(identity['baseURL']).toBe(`${publicUrl}/oai`);
    expect(identity['protocolVersion']).toBe('2.0');
  });

  it('harvests all 8 records across pages, each with both languages', async () => {
    const records: Array<Record<string, unknown>> = [];
    for await (const record of harvester.listRecords({ metadataPrefix: 'oai_dc' })) records.push(record);
    expect(records).toHaveLength(8);
    const ids = records.map((r) => (r['header'] as Record<string, string>)['identifier']);
    expect(new Set(ids).size).toBe(8);
    for (const record of records) {
      const dc = (record['metadata'] as Record<string, Record<string, unknown>>)['oai_dc:dc']!;
      expect(lang(dc['dc:description'], 'fa')).toHaveLength(1);
      expect(lang(dc['dc:description'], 'en')).toHaveLength(1);
      expect(lang(dc['dc:subject'], 'fa').length).toBeGreaterThan(0);
      expect(lang(dc['dc:subject'], 'en').length).toBeGreaterThan(0);
      expect(lang(dc['dc:creator'], 'fa').length).toBe(lang(dc['dc:creator'], 'en').length);
    }
  });

  it('harvests the identifiers of a set, and the sets', async () => {
    const headers: unknown[] = [];
    for await (const header of harvester.listIdentifiers({ metadataPrefix: 'oai_dc', set: 'issue:58' })) headers.push(header);
    expect(headers).toHaveLength(8);
    const sets: Array<Record<string, unknown>> = [];
    for await (const set of harvester.listSets()) sets.push(set);
    expect(sets.map((s) => s['setSpec'])).toEqual(['issue', 'issue:58', 'openaire', 'prb', 'prb:58']);
  });

  it('received only schema-valid responses', async () => {
    expect(responses.length).toBeGreaterThanOrEqual(8);
    for (const xml of responses) await validateOaiResponse(xml);
  });
});
