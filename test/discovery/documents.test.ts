import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { FORMATS } from '../../src/formats/registry.js';
import { makeServer, oai, PUBLIC_URL, REPOSITORY_ID, runAdmin } from '../support/app.js';
import { DECLARATION, fetchBytes, parseLinks, prefixOf, storedDocuments, validateDocuments } from '../support/discovery.js';
import { nodes, text } from '../support/xml.js';

// JATS's schema takes about ten seconds to compile.
vi.setConfig({ testTimeout: 120_000 });

// One record's metadata in one format as a document of its own: /articles/<id>/metadata/<prefix>.xml.

const server = makeServer();
// An English title makes 58-7 a JATS and DataCite record too; an ISSN is what JATS still lacks.
// Test data: the seed gives neither.
runAdmin(server.dbPath, '2025-04-01T00:00:00Z', 'set', '58-7', 'title', '--lang', 'en', 'A fixture title for the tests');
runAdmin(server.dbPath, '2025-04-01T00:00:00Z', 'journal', 'issn-print', '1234-5679');
runAdmin(server.dbPath, '2025-04-02T00:00:00Z', 'delete', '58-141');
const app = server.app;
const documents = storedDocuments(server);

const MEDIA_TYPES: Record<string, string> = {
  oai_dc: 'application/xml',
  marcxml: 'application/marcxml+xml',
  mods: 'application/mods+xml',
  jats: 'application/vnd.jats+xml',
  oai_openaire: 'application/xml',
  oai_datacite: 'application/vnd.datacite.datacite+xml',
};

describe('a metadata document', () => {
  it('exists for every live record in every format it can be given in, and only then', async () => {
    expect(documents.size).toBeGreaterThan(8 * 3);
    for (const prefix of FORMATS.keys()) {
      for (const local of ['58-7', '58-39', '58-175', '58-197']) {
        const url = `${PUBLIC_URL}/articles/${local}/metadata/${prefix}.xml`;
        const res = await fetchBytes(app, url);
        expect(res.status, url).toBe(documents.has(url) ? 200 : 404);
      }
    }
  });

  it('is the bytes of GetRecord’s <metadata> content after an XML declaration, with its media type and length', async () => {
    const served = new Map<string, Buffer>();
    for (const [url, stored] of documents) {
      const res = await fetchBytes(app, url);
      expect(res.status).toBe(200);
      expect(res.body.equals(stored), url).toBe(true);
      expect(res.headers['content-type']).toBe(`${MEDIA_TYPES[prefixOf(url)]}; charset=UTF-8`);
      expect(res.headers['content-length']).toBe(String(res.body.length));
      served.set(url, res.body);
    }
    await validateDocuments(served);
  });

  it('matches GetRecord over HTTP byte for byte', async () => {
    for (const prefix of ['oai_dc', 'mods', 'jats']) {
      const got = await oai(app, `verb=GetRecord&metadataPrefix=${prefix}&identifier=oai:${REPOSITORY_ID}:58-7`);
      const inner = /<metadata>([\s\S]*)<\/metadata>/.exec(got.text)?.[1] ?? '';
      const res = await fetchBytes(app, `/articles/58-7/metadata/${prefix}.xml`);
      expect(res.text).toBe(DECLARATION + inner);
      expect(new Date(res.headers['last-modified'] ?? '').toISOString().replace('.000', '')).toBe(text(got.doc, '//oai:header/oai:datestamp'));
    }
  });

  it('sends its SHA-256 as ETag, its datestamp as Last-Modified, and a link to the page it describes', async () => {
    const res = await fetchBytes(app, '/articles/58-39/metadata/oai_dc.xml');
    const sha = createHash('sha256').update(res.body).digest('base64url');
    expect(res.headers['etag']).toBe(`"${sha}"`);
    const links = parseLinks(res.headers['link']);
    expect(links.filter((l) => l.rel === 'describes')).toEqual([{ uri: `${PUBLIC_URL}/articles/58-39`, rel: 'describes', type: 'text/html' }]);
    expect(links.filter((l) => l.rel === 'linkset').map((l) => l['type'])).toEqual(['application/linkset', 'application/linkset+json']);
    expect(links.filter((l) => l.rel === 'resourcesync').map((l) => l.uri)).toEqual([`${PUBLIC_URL}/resourcesync/capabilitylist.xml`]);
  });

  it('answers If-None-Match and If-Modified-Since with 304, If-None-Match first', async () => {
    const url = '/articles/58-39/metadata/mods.xml';
    const first = await fetchBytes(app, url);
    const etag = first.headers['etag'] ?? '';
    const modified = first.headers['last-modified'] ?? '';
    const earlier = new Date(Date.parse(modified) - 1000).toUTCString();
    const cases: Array<[Record<string, string>, number]> = [
      [{ 'If-None-Match': etag }, 304],
      [{ 'If-None-Match': `"other", ${etag}` }, 304],
      [{ 'If-None-Match': '*' }, 304],
      [{ 'If-None-Match': '"other"' }, 200],
      [{ 'If-Modified-Since': modified }, 304],
      [{ 'If-Modified-Since': earlier }, 200],
      // A validator that does not match wins over a date that would.
      [{ 'If-None-Match': '"other"', 'If-Modified-Since': modified }, 200],
    ];
    for (const [headers, status] of cases) {
      const res = await fetchBytes(app, url, headers);
      expect(res.status, JSON.stringify(headers)).toBe(status);
      expect(res.body.length).toBe(status === 304 ? 0 : first.body.length);
      expect(res.headers['etag']).toBe(etag);
    }
  });

  it('answers HEAD with the headers alone', async () => {
    const res = await fetchBytes(app, '/articles/58-39/metadata/marcxml.xml', {}, 'HEAD');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/marcxml+xml; charset=UTF-8');
    expect(Number(res.headers['content-length'])).toBeGreaterThan(1000);
    expect(res.body.length).toBe(0);
  });

  it('is never content-coded, so its digests hold for every response', async () => {
    const plain = await fetchBytes(app, '/articles/58-39/metadata/oai_dc.xml');
    const asked = await fetchBytes(app, '/articles/58-39/metadata/oai_dc.xml', { 'Accept-Encoding': 'gzip, deflate' });
    expect(asked.headers['content-encoding']).toBeUndefined();
    expect(asked.body.equals(plain.body)).toBe(true);
  });

  it('answers 404 for a format the record cannot be given in, an unknown format or record, and 410 when withdrawn', async () => {
    const jats = await oai(app, `verb=GetRecord&metadataPrefix=jats&identifier=oai:${REPOSITORY_ID}:58-67`);
    expect(jats.errors).toEqual(['cannotDisseminateFormat']);
    const cases: Array<[string, number]> = [
      ['/articles/58-67/metadata/jats.xml', 404],
      ['/articles/58-39/metadata/dublin.xml', 404],
      ['/articles/58-39/metadata/oai_dc', 404],
      ['/articles/58-39/metadata/oai_dc.json', 404],
      ['/articles/99-1/metadata/oai_dc.xml', 404],
      ['/articles/58-141/metadata/oai_dc.xml', 410],
    ];
    for (const [url, status] of cases) {
      const res = await fetchBytes(app, url);
      expect(res.status, url).toBe(status);
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(res.text).not.toMatch(/at .*\.ts:\d+/);
    }
    const withdrawn = await oai(app, `verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:${REPOSITORY_ID}:58-141`);
    expect(nodes(withdrawn.doc, '//oai:header[@status="deleted"]')).toHaveLength(1);
  });
});
