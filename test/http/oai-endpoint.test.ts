import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { request as expressRequest } from 'express';
import fc from 'fast-check';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp, type App, type AppOptions } from '../../src/app.js';
import { oaiContext } from '../../src/context.js';
import { createLogger } from '../../src/log.js';
import type { OaiRepository } from '../../src/oai/repository.js';
import { codingOf } from '../../src/oai/router.js';
import { makeServer, oai, REPOSITORY_ID } from '../support/app.js';
import { validateOaiResponse } from '../support/xsd.js';

// `/oai` is answered by its own handler ahead of Express: these check that a client sees it as
// it saw the Express route, and that it shares the log, flow control and client address with the
// rest of the app.
const server = makeServer({ OAI_PAGE_SIZE_RECORDS: '3' });
const GET_RECORD = `/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:${REPOSITORY_ID}:58-7`;

/** An app on the test store whose log lines are kept, parsed. */
function logged(options: Omit<AppOptions, 'logger'> = {}, ctx = oaiContext(server.config, server.store)): { app: App; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger('info', { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { app: createApp(ctx, { ...options, logger }), lines };
}

/** Log lines are written when a response closes, a moment after the client has read it. */
async function lineOf(lines: Array<Record<string, unknown>>, id: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 50; i++) {
    const line = lines.find((l) => l['req'] === id && l['msg'] === 'request');
    if (line !== undefined) return line;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no log line for ${id}`);
}

describe('the paths /oai answers', () => {
  it.each(['/oai', '/oai/', '/OAI', '/Oai/', '/oai//'])('%s is the OAI endpoint', async (path) => {
    const { text } = await oai(server.app, 'verb=Identify');
    const res = await request(server.app).get(`${path}?verb=Identify`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/xml; charset=UTF-8');
    expect(res.text.replace(/<responseDate>[^<]*/, '')).toBe(text.replace(/<responseDate>[^<]*/, ''));
  });

  it.each(['/oai/x', '/oai///', '/oai.xml', '/oai%2F', '//oai'])('%s is not: a page 404', async (path) => {
    const res = await request(server.app).get(`${path}?verb=Identify`);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
  });

  it('reads an absolute-form target, as a proxy may send it, by its path', async () => {
    const raw = await rawRequest(server.app, 'GET http://repo.example.org/oai?verb=Identify HTTP/1.1\r\nHost: repo.example.org\r\nConnection: close\r\n\r\n');
    expect(raw).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(raw).toContain('<Identify>');
  });
});

describe('headers', () => {
  it('sends the security headers, no-store and Vary on every answer, and echoes a plain X-Request-Id', async () => {
    const res = await request(server.app).get(GET_RECORD).set('X-Request-Id', 'harvest-7.page:2');
    expect(res.status).toBe(200);
    expect(res.headers).toMatchObject({
      'content-type': 'text/xml; charset=UTF-8',
      'cache-control': 'no-store',
      vary: 'Accept-Encoding',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'same-origin',
      'x-request-id': 'harvest-7.page:2',
    });
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['etag']).toBeUndefined();
    await validateOaiResponse(res.text);
  });

  it('makes its own request id when the one sent is not short and plain, unique across /oai and pages', async () => {
    const a = await request(server.app).get('/oai?verb=Identify').set('X-Request-Id', 'not plain!');
    const b = await request(server.app).get('/');
    const c = await request(server.app).get('/oai?verb=Identify');
    const ids = [a, b, c].map((r) => String(r.headers['x-request-id']));
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+-[a-z0-9]+$/);
    expect(new Set(ids).size).toBe(3);
  });

  it.each([
    ['gzip;q=0.5, deflate;q=0.8', 'deflate'],
    // Equal q-values: the client's order decides, as Express's req.acceptsEncodings has it.
    ['deflate, gzip', 'deflate'],
    ['GZIP', 'gzip'],
    ['*', 'gzip'],
    ['br', undefined],
    ['identity;q=0, gzip;q=0', undefined],
    ['gzip;q=0, deflate;q=0.001', 'deflate'],
    ['', undefined],
  ])('Accept-Encoding %j → %s', async (accept, coding) => {
    const raw = await rawResponse(server.app, '/oai?verb=Identify', { 'Accept-Encoding': accept });
    expect(raw.headers['content-encoding']).toBe(coding);
    const xml = (coding === 'gzip' ? zlib.gunzipSync(raw.body) : coding === 'deflate' ? zlib.inflateSync(raw.body) : raw.body).toString('utf8');
    await validateOaiResponse(xml);
  });
});

describe('content coding', () => {
  const express = (accept: string): string => {
    const req = Object.setPrototypeOf({ headers: { 'accept-encoding': accept } }, expressRequest) as typeof expressRequest;
    const chosen = req.acceptsEncodings('gzip', 'deflate', 'identity');
    return chosen === 'gzip' || chosen === 'deflate' ? chosen : 'identity';
  };
  const coding = fc.constantFrom('gzip', 'deflate', 'identity', '*', 'br', 'GZip', 'x-gzip', 'compress', '');
  const q = fc.option(fc.constantFrom('1', '0', '0.5', '0.001', '1.0', '0.8', '"0.3"', 'x', ''), { nil: undefined });
  const part = fc.tuple(coding, q, fc.constantFrom('', ' ', ';foo=bar')).map(([c, weight, extra]) => `${c}${weight === undefined ? '' : `;q=${weight}`}${extra}`);
  const header = fc.tuple(fc.array(part, { maxLength: 5 }), fc.constantFrom(',', ', ', ' ,')).map(([parts, separator]) => parts.join(separator));

  it('chooses as Express’s req.acceptsEncodings chose, for any Accept-Encoding', () => {
    fc.assert(fc.property(header, (accept) => codingOf(accept) === express(accept)), { numRuns: 2000 });
    // Asked twice, from the cache, the same.
    fc.assert(fc.property(header, (accept) => codingOf(accept) === codingOf(accept)));
  });

  it('uses none when the client sends no Accept-Encoding', () => {
    expect(codingOf(undefined)).toBe('identity');
  });
});

describe('methods', () => {
  it('answers HEAD with GET’s headers and no body', async () => {
    const get = await rawResponse(server.app, GET_RECORD, { 'Accept-Encoding': 'gzip' });
    const head = await rawResponse(server.app, GET_RECORD, { 'Accept-Encoding': 'gzip' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    for (const name of ['content-type', 'cache-control', 'vary', 'content-encoding', 'content-security-policy']) expect(head.headers[name], name).toBe(get.headers[name]);
    expect(Number(get.headers['content-length'])).toBe(get.body.length);
  });

  it.each(['put', 'delete', 'patch', 'options'] as const)('answers %s with 405, Allow and a short text, and logs it', async (method) => {
    const { app, lines } = logged();
    const res = await request(app)[method]('/oai?verb=Identify');
    expect(res.status).toBe(405);
    expect(res.headers['allow']).toBe('GET, HEAD, POST');
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.text).toBe('OAI-PMH requests use GET or POST.\n');
    const line = await lineOf(lines, String(res.headers['x-request-id']));
    expect(line).toMatchObject({ method: method.toUpperCase(), path: '/oai', status: 405 });
    expect(line).not.toHaveProperty('verb');
  });
});

describe('POST bodies', () => {
  it('refuses a body over 64 KiB with 413 and a short text, logged with its status', async () => {
    const { app, lines } = logged();
    const res = await request(app).post('/oai').type('form').send(`verb=Identify&x=${'a'.repeat(65 * 1024)}`);
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.text).toBe('The request body is larger than 64kb.\n');
    expect(await lineOf(lines, String(res.headers['x-request-id']))).toMatchObject({ method: 'POST', path: '/oai', status: 413 });
  });

  it('reads a body just under the limit', async () => {
    const body = 'verb=Identify';
    const res = await request(server.app).post('/oai').type('form').send(`${body}&${'x'.repeat(64 * 1024 - body.length - 1)}`);
    expect(res.status).toBe(200);
    // Its arguments are read: the padding is an argument Identify does not take.
    expect(res.text).toContain('<error code="badArgument">');
  });

  it('reads a gzip-compressed form body, and a chunked one', async () => {
    const gz = await rawResponse(server.app, '/oai', { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Encoding': 'gzip' }, 'POST', zlib.gzipSync('verb=ListSets'));
    expect(gz.body.toString('utf8')).toContain('<ListSets>');
    const chunked = await rawRequest(
      server.app,
      'POST /oai HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n8\r\nverb=Ide\r\n5\r\nntify\r\n0\r\n\r\n',
    );
    expect(chunked).toContain('<Identify>');
  });

  it('answers a form in an unknown charset with 415 and a short text', async () => {
    const res = await request(server.app).post('/oai').set('Content-Type', 'application/x-www-form-urlencoded; charset=klingon').send('verb=Identify');
    expect(res.status).toBe(415);
    expect(res.text).toBe('Bad request.\n');
  });
});

describe('the client address, as trust proxy names it', () => {
  const XFF = { 'X-Forwarded-For': '203.0.113.5, 10.1.2.3' };
  it.each([
    [false, '127.0.0.1'],
    [true, '203.0.113.5'],
    [1, '10.1.2.3'],
    [2, '203.0.113.5'],
    ['loopback', '10.1.2.3'],
    ['loopback, 10.0.0.0/8', '203.0.113.5'],
  ] as const)('trust proxy %j: the log line names %s, on /oai as on pages', async (trustProxy, client) => {
    const { app, lines } = logged({ trustProxy });
    const viaOai = await rawResponse(app, '/oai?verb=Identify', XFF);
    const viaPage = await rawResponse(app, '/livez', XFF);
    expect((await lineOf(lines, String(viaOai.headers['x-request-id'])))['client']).toBe(client);
    expect((await lineOf(lines, String(viaPage.headers['x-request-id'])))['client']).toBe(client);
  });

  it('flow control keys /oai by that address, and counts it together with pages', async () => {
    const { app, lines } = logged({ trustProxy: true, limits: { concurrent: 0, ratePerSecond: 2 } });
    const as = (address: string) => ({ 'X-Forwarded-For': address });
    expect((await rawResponse(app, '/oai?verb=Identify', as('198.51.100.1'))).status).toBe(200);
    expect((await rawResponse(app, '/articles', as('198.51.100.1'))).status).toBe(200);
    // Two requests a second, both spent: /oai and the pages refuse this client alike.
    const refused = await rawResponse(app, '/oai?verb=Identify', as('198.51.100.1'));
    expect(refused.status).toBe(503);
    expect(refused.headers).toMatchObject({ 'retry-after': '1', 'cache-control': 'no-store', 'content-type': 'text/plain; charset=utf-8' });
    expect(refused.body.toString()).toBe('Too many requests per second from this client; retry after 1 s.\n');
    expect((await rawResponse(app, '/articles', as('198.51.100.1'))).status).toBe(503);
    // Another address behind the same proxy is another client.
    expect((await rawResponse(app, '/oai?verb=Identify', as('198.51.100.2'))).status).toBe(200);
    expect(await lineOf(lines, String(refused.headers['x-request-id']))).toMatchObject({ path: '/oai', client: '198.51.100.1', status: 503 });
  });

  it('without trust proxy, X-Forwarded-For does not make another client', async () => {
    const { app } = logged({ limits: { concurrent: 0, ratePerSecond: 1 } });
    expect((await rawResponse(app, '/oai?verb=Identify', { 'X-Forwarded-For': '198.51.100.1' })).status).toBe(200);
    expect((await rawResponse(app, '/oai?verb=Identify', { 'X-Forwarded-For': '198.51.100.2' })).status).toBe(503);
  });
});

describe('the request log', () => {
  it('writes the verb, the items and the error codes of /oai answers, and nothing of the kind for pages', async () => {
    const { app, lines } = logged();
    const list = await request(app).get('/oai?verb=ListRecords&metadataPrefix=oai_dc');
    const errors = await request(app).post('/oai').type('form').send('verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:x:y');
    const noVerb = await request(app).get('/oai?foo=1');
    const page = await request(app).get('/livez');
    const lineFor = (res: request.Response) => lineOf(lines, String(res.headers['x-request-id']));
    expect(await lineFor(list)).toEqual({ level: 30, time: expect.any(String), req: expect.any(String), method: 'GET', path: '/oai', client: '127.0.0.1', status: 200, ms: expect.any(Number), verb: 'ListRecords', items: 3, msg: 'request' });
    expect(await lineFor(errors)).toMatchObject({ method: 'POST', verb: 'GetRecord', errors: ['idDoesNotExist'] });
    expect(await lineFor(noVerb)).toMatchObject({ verb: null, errors: ['badVerb'] });
    expect(Object.keys(await lineFor(page))).toEqual(['level', 'time', 'req', 'method', 'path', 'client', 'status', 'ms', 'msg']);
  });
});

describe('failures', () => {
  /** The test store, but its record rows fail: at once, or after more than a write's worth. */
  function failing(after: 'first row' | 'first write'): OaiRepository {
    const real = oaiContext(server.config, server.store).repository;
    const repository = Object.create(real) as OaiRepository;
    repository.listRecords = (...args) => {
      const page = real.listRecords(...args);
      const rows = page.items;
      return {
        ...page,
        items: (function* () {
          if (after === 'first row') throw new Error('disk on fire');
          const all = [...rows];
          // Enough copies of the page to pass the first 64 KiB write.
          for (let i = 0; i < 40; i++) yield* all;
          throw new Error('disk on fire');
        })(),
      };
    };
    return repository;
  }

  it('a failure before the first byte gets the plain 500 page, uncompressed, and no stack trace', async () => {
    const { app, lines } = logged({}, { ...oaiContext(server.config, server.store), repository: failing('first row') });
    const res = await rawResponse(app, '/oai?verb=ListRecords&metadataPrefix=oai_dc', { 'Accept-Encoding': 'gzip', 'Accept-Language': 'fa' });
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['content-language']).toBe('fa');
    const page = res.body.toString('utf8');
    expect(page).toContain('<html lang="fa"');
    expect(page).not.toContain('disk on fire');
    expect(page).not.toMatch(/at .*\.(js|ts):\d+/);
    const id = String(res.headers['x-request-id']);
    expect(lines.find((l) => l['msg'] === 'request failed')).toMatchObject({ req: id, method: 'GET', path: '/oai', err: { message: 'disk on fire' } });
    expect(await lineOf(lines, id)).toMatchObject({ status: 500 });
  });

  it('a failure after the first byte cuts the connection, and the log says the answer was broken off', async () => {
    const { app, lines } = logged({}, { ...oaiContext(server.config, server.store), repository: failing('first write') });
    const { port, close } = await listen(app);
    try {
      const outcome = await new Promise<string>((resolve) => {
        http
          .get({ host: '127.0.0.1', port, path: '/oai?verb=ListRecords&metadataPrefix=oai_dc' }, (res) => {
            let body = '';
            res.on('data', (c: Buffer) => (body += c.toString('utf8')));
            res.on('end', () => resolve(`whole: ${body.slice(-20)}`));
            res.on('error', () => resolve('cut'));
            res.on('aborted', () => resolve('cut'));
          })
          .on('error', () => resolve('cut'));
      });
      expect(outcome).toBe('cut');
      await new Promise((r) => setTimeout(r, 50));
      expect(lines.find((l) => l['msg'] === 'request failed')).toMatchObject({ path: '/oai', err: { message: 'disk on fire' } });
      expect(lines.find((l) => l['msg'] === 'request')).toMatchObject({ path: '/oai', verb: 'ListRecords', aborted: true });
    } finally {
      close();
    }
  });
});

/** The app on a loopback port. */
async function listen(app: App): Promise<{ port: number; close: () => void }> {
  const listener = http.createServer(app);
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  return {
    port: (listener.address() as AddressInfo).port,
    close: () => {
      listener.closeAllConnections();
      listener.close();
    },
  };
}

/** One request over a real socket, its body as it went over the wire (undecoded). */
async function rawResponse(
  app: App,
  path: string,
  headers: Record<string, string>,
  method = 'GET',
  body?: Buffer,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  const { port, close } = await listen(app);
  try {
    return await new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end(body);
    });
  } finally {
    close();
  }
}

/** Bytes written as they are to a socket, for request lines no client library sends. */
async function rawRequest(app: App, text: string): Promise<string> {
  const { port, close } = await listen(app);
  try {
    return await new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      let received = '';
      socket.on('data', (d: Buffer) => (received += d.toString('utf8')));
      socket.on('close', () => resolve(received));
      socket.on('error', reject);
      socket.end(text);
    });
  } finally {
    close();
  }
}
