import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { FORMATS } from '../../src/formats/registry.js';
import { renderFragments } from '../../src/store/formats.js';
import { makeServer, oai, REPOSITORY_ID } from '../support/app.js';
import { validateOaiResponse } from '../support/xsd.js';
import { texts } from '../support/xml.js';
import { storeCodecs } from '../support/fragments.js';

const server = makeServer({ OAI_PAGE_SIZE_RECORDS: '3' });
const withoutDate = (xml: string) => xml.replace(/<responseDate>[^<]*<\/responseDate>/, '');

/** Fetches raw bytes over a real socket, undecoded, so the test sees what went over the wire. */
async function raw(path: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  const listener = http.createServer(server.app).listen(0, '127.0.0.1');
  await new Promise((resolve) => listener.once('listening', resolve));
  const { port } = listener.address() as AddressInfo;
  try {
    return await new Promise((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        })
        .on('error', reject);
    });
  } finally {
    listener.close();
  }
}

describe('POST', () => {
  it.each([
    'verb=Identify',
    'verb=ListMetadataFormats',
    'verb=ListSets',
    'verb=ListIdentifiers&metadataPrefix=oai_dc&set=issue:58',
    'verb=ListRecords&metadataPrefix=oai_dc&from=2025-01-01',
    `verb=GetRecord&metadataPrefix=oai_dc&identifier=${encodeURIComponent(`oai:${REPOSITORY_ID}:58-39`)}`,
    'verb=nonsense',
    'verb=ListRecords',
  ])('answers %s exactly as GET does', async (query) => {
    const get = await oai(server.app, query, 'GET');
    const post = await oai(server.app, query, 'POST');
    expect(withoutDate(post.text)).toBe(withoutDate(get.text));
  });

  it('ignores a query string and reads the form body', async () => {
    const res = await request(server.app).post('/oai?verb=Identify').type('form').send('verb=ListSets');
    expect(res.text).toContain('<ListSets>');
  });
});

describe('compression', () => {
  it.each([
    ['gzip', zlib.gunzipSync],
    ['deflate', zlib.inflateSync],
  ] as const)('applies %s when the client asks for it', async (coding, decode) => {
    const res = await raw('/oai?verb=ListRecords&metadataPrefix=oai_dc', { 'Accept-Encoding': coding });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe(coding);
    const xml = decode(res.body).toString('utf8');
    await validateOaiResponse(xml);
    expect(xml).toContain('<ListRecords>');
  });

  it('compresses even the smallest answer, an error', async () => {
    const res = await raw('/oai?verb=nonsense', { 'Accept-Encoding': 'gzip' });
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(res.body).toString('utf8')).toContain('code="badVerb"');
  });

  it('sends identity when the client does not ask', async () => {
    const res = await raw('/oai?verb=Identify', { 'Accept-Encoding': 'identity' });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body.toString('utf8')).toContain('<Identify>');
  });
});

describe('HTTP', () => {
  it('answers HEAD like GET, without a body', async () => {
    const res = await request(server.app).head('/oai?verb=Identify');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/xml; charset=UTF-8');
  });

  it('refuses other methods with 405 and an Allow header', async () => {
    const res = await request(server.app).put('/oai').send('verb=Identify');
    expect(res.status).toBe(405);
    expect(res.headers['allow']).toBe('GET, HEAD, POST');
  });

  it('answers a POST in another content type with badArgument: OAI-PMH POSTs are form-encoded', async () => {
    const res = await request(server.app).post('/oai').type('json').send({ verb: 'Identify' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('code="badArgument"');
  });

  it('never shows a stack trace: an oversized body gets a short answer', async () => {
    const res = await request(server.app).post('/oai').type('form').send(`verb=Identify&x=${'a'.repeat(100_000)}`);
    expect(res.status).toBe(413);
    expect(res.text).not.toMatch(/at .*\.(js|ts):\d+/);
  });

  it('reads percent-encoded and plus-encoded arguments', async () => {
    const { doc, errors } = await oai(server.app, 'verb=GetRecord&metadataPrefix=oai%5Fdc&identifier=oai%3Arepo.example.org%3A58-7');
    expect(errors).toEqual([]);
    expect(texts(doc, '//oai:header/oai:identifier')).toEqual([`oai:${REPOSITORY_ID}:58-7`]);
  });

  it('escapes echoed values and tolerates malformed percent-escapes', async () => {
    const bad = await oai(server.app, 'verb=ListRecords&metadataPrefix=%E0%A4%A&set=<x>');
    expect(bad.errors).toContain('badArgument');
    const echoed = await oai(server.app, `verb=GetRecord&metadataPrefix=oai_dc&identifier=${encodeURIComponent("oai:repo.example.org:a&b'c")}`);
    expect(echoed.errors).toEqual(['idDoesNotExist']);
    expect(echoed.text).toContain('identifier="oai:repo.example.org:a&amp;b&apos;c"');
  });
});

describe('text the store should never hold', () => {
  it('strips XML-illegal characters when it renders, so one bad value cannot break a response', async () => {
    const other = makeServer();
    const writer = storeCodecs(new Database(other.dbPath));
    // Straight into the store, past the import's own clean-up, then rendered as a write renders it.
    writer
      .prepare(`UPDATE article_text SET abstract = pack('before\u0003 \u001Aafter\uFFFE') WHERE lang = 'en' AND article_id = (SELECT id FROM article WHERE local_id = '58-7')`)
      .run();
    renderFragments(writer, FORMATS.values(), ['58-7']);
    writer.close();
    const { doc, errors } = await oai(other.app, `verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:${REPOSITORY_ID}:58-7`);
    expect(errors).toEqual([]);
    expect(texts(doc, '//dc:description[@xml:lang="en"]')).toEqual(['before after']);
  });
});

describe('pages', () => {
  it('serves a landing page for every record, 404 for an unknown one', async () => {
    expect((await request(server.app).get('/articles/58-197')).status).toBe(200);
    const missing = await request(server.app).get('/articles/99-1');
    expect(missing.status).toBe(404);
  });

  it('serves a withdrawn record as a tombstone with 410', async () => {
    const other = makeServer();
    const writer = storeCodecs(new Database(other.dbPath));
    writer.prepare(`UPDATE article SET deleted = 1, datestamp = '2025-05-05T05:05:05Z' WHERE local_id = '58-141'`).run();
    writer.close();
    const res = await request(other.app).get('/articles/58-141');
    expect(res.status).toBe(410);
    expect(res.text).toContain('withdrawn');
  });

  it('has a front page linking the verbs and the articles', async () => {
    const res = await request(server.app).get('/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('verb=Identify');
    expect(res.text).toContain('href="/articles"');
  });
});
