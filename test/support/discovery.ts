import type { App } from '../../src/app.js';
import LinkHeader from 'http-link-header';
import request from 'supertest';
import { FORMATS } from '../../src/formats/registry.js';
import type { TestServer } from './app.js';
import { PUBLIC_URL } from './app.js';
import { validateFormat } from './format-schemas.js';
import { validateOaiDc } from './xsd.js';

/** What a metadata document starts with, before the stored fragment. */
export const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** A response with its body as the bytes sent. */
export interface Fetched {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  text: string;
}

/** GETs (or HEADs) a URL of the app, absolute or not, with the body kept as bytes. */
export async function fetchBytes(app: App, url: string, headers: Record<string, string> = {}, method: 'GET' | 'HEAD' = 'GET'): Promise<Fetched> {
  const path = url.startsWith(PUBLIC_URL) ? url.slice(PUBLIC_URL.length) : url;
  let req = method === 'GET' ? request(app).get(path) : request(app).head(path);
  for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
  const res = await req.buffer(true).parse((stream, done) => {
    const parts: Buffer[] = [];
    stream.on('data', (d: Buffer) => parts.push(d));
    stream.on('end', () => done(null, Buffer.concat(parts)));
  });
  const body = Buffer.isBuffer(res.body) ? res.body : Buffer.alloc(0);
  return { status: res.status, headers: res.headers as Record<string, string>, body, text: body.toString('utf8') };
}

/** The link-values of a `Link` header or an `application/linkset` document, parsed by http-link-header. */
export function parseLinks(value: string | undefined): LinkHeader.Reference[] {
  return value === undefined ? [] : LinkHeader.parse(value).refs;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/** The `<link>` elements of an HTML page, with their attributes decoded. */
export function htmlLinks(html: string): Array<Record<string, string>> {
  return [...html.matchAll(/<link\b([^>]*)>/g)].map((m) =>
    Object.fromEntries([...(m[1] ?? '').matchAll(/([a-z-]+)="([^"]*)"/g)].map((a) => [a[1] ?? '', (a[2] ?? '').replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e] ?? e)])),
  );
}

/**
 * The metadata documents that exist, by URL, as the store holds them: for each live record and each
 * format it can be given in, the bytes of GetRecord's `<metadata>` content after an XML declaration.
 */
export function storedDocuments(server: TestServer): Map<string, Buffer> {
  const documents = new Map<string, Buffer>();
  for (const prefix of FORMATS.keys()) {
    const page = server.store.repository.listRecords({ from: null, until: null, set: null, format: prefix }, null, 100_000, prefix);
    for (const record of page.items) {
      if (record.metadata === null) continue;
      documents.set(`${PUBLIC_URL}/articles/${record.localId}/metadata/${prefix}.xml`, Buffer.concat([Buffer.from(DECLARATION), record.metadata.plain()]));
    }
  }
  return documents;
}

/** The format of a metadata document's URL. */
export function prefixOf(url: string): string {
  return /\/metadata\/([^/]+)\.xml$/.exec(url)?.[1] ?? '';
}

/** Validates metadata documents against their formats' official schemas, one run per format. */
export async function validateDocuments(documents: ReadonlyMap<string, Buffer>): Promise<void> {
  const byPrefix = new Map<string, string[]>();
  for (const [url, bytes] of documents) {
    const text = bytes.toString('utf8');
    if (!text.startsWith(DECLARATION)) throw new Error(`${url} does not start with the XML declaration`);
    byPrefix.set(prefixOf(url), [...(byPrefix.get(prefixOf(url)) ?? []), text.slice(DECLARATION.length)]);
  }
  for (const [prefix, fragments] of byPrefix) {
    if (prefix === 'oai_dc') for (const fragment of fragments) await validateOaiDc(fragment);
    else await validateFormat(prefix, fragments);
  }
}
