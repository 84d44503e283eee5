import http from 'node:http';
import net from 'node:net';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { oaiContext } from '../../src/context.js';
import { createLogger } from '../../src/log.js';
import { makeServer } from '../support/app.js';
import { validateOaiResponse } from '../support/xsd.js';

const server = makeServer();

describe('HTTP limits', () => {
  it('answers a POST that is not form-encoded with badArgument, as valid OAI-PMH', async () => {
    for (const [type, body] of [
      ['application/json', '{"verb":"Identify"}'],
      ['text/plain', 'verb=Identify'],
      ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="verb"\r\n\r\nIdentify\r\n--x--'],
    ]) {
      const res = await request(server.app).post('/oai').set('Content-Type', type ?? '').send(body);
      expect(res.status).toBe(200);
      await validateOaiResponse(res.text);
      expect(res.text).toContain('<error code="badArgument">');
      expect(res.text).toContain('<request>http://repo.example.org/oai</request>');
    }
  });

  it('refuses a request body over 64 KiB with 413, and no stack trace', async () => {
    const res = await request(server.app).post('/oai').type('form').send(`verb=Identify&x=${'a'.repeat(70 * 1024)}`);
    expect(res.status).toBe(413);
    expect(res.text).toContain('64kb');
    expect(res.text).not.toMatch(/\n\s+at /);
  });

  it('answers other methods with 405 and Allow', async () => {
    for (const method of ['put', 'delete', 'patch'] as const) {
      const res = await request(server.app)[method]('/oai');
      expect(res.status).toBe(405);
      expect(res.headers['allow']).toBe('GET, HEAD, POST');
    }
  });

  it('sends no X-Powered-By, and security headers on pages', async () => {
    const res = await request(server.app).get('/');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('same-origin');
  });
});

describe('health checks', () => {
  it('/healthz reads the database; /livez answers while the process runs', async () => {
    const ok = await request(server.app).get('/healthz');
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'ok', database: 'ok' });
    expect((await request(server.app).get('/livez')).body).toEqual({ status: 'ok' });
  });

  it('/healthz says 503 when the database does not answer', async () => {
    const ctx = oaiContext(server.config, server.store);
    const broken = createApp({
      ...ctx,
      repository: {
        ...ctx.repository,
        earliestDatestamp: () => {
          throw new Error('database is locked');
        },
      } as typeof ctx.repository,
    });
    const res = await request(broken).get('/healthz');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'unavailable', database: 'not answering' });
  });
});

describe('the request log', () => {
  it('writes one JSON line per request: id, verb, status, duration, items, errors', async () => {
    const lines: string[] = [];
    const app = createApp(oaiContext(server.config, server.store), { logger: createLogger('info', { write: (l: string) => lines.push(l) }) });
    await request(app).get('/oai?verb=ListIdentifiers&metadataPrefix=oai_dc').set('X-Request-Id', 'harvest-1');
    await request(app).get('/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:x:y');
    const [list, error] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(list).toMatchObject({ req: 'harvest-1', method: 'GET', path: '/oai', verb: 'ListIdentifiers', status: 200, items: 8, msg: 'request' });
    expect(typeof list?.['ms']).toBe('number');
    expect(error).toMatchObject({ verb: 'GetRecord', errors: ['idDoesNotExist'], status: 200 });
    expect(error?.['req']).toMatch(/^[a-z0-9]+-[a-z0-9]+$/);
  });
});

/** One raw request whose body never comes: the request stays in progress until the socket ends. */
function hold(port: number): Promise<net.Socket> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write('POST /oai HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nverb=');
      setTimeout(() => resolve(socket), 100);
    });
  });
}

describe('flow control', () => {
  const limited = (limits: { concurrent: number; ratePerSecond: number }) =>
    createApp(oaiContext(server.config, server.store), { limits, trustProxy: true });

  it('answers a client over its concurrency limit with 503 and Retry-After, and others normally', async () => {
    const listener = http.createServer(limited({ concurrent: 1, ratePerSecond: 0 })).listen(0, '127.0.0.1');
    await new Promise((r) => listener.once('listening', r));
    const port = (listener.address() as net.AddressInfo).port;
    try {
      const held = await hold(port);
      const busy = await fetch(`http://127.0.0.1:${port}/oai?verb=Identify`);
      expect(busy.status).toBe(503);
      expect(busy.headers.get('retry-after')).toMatch(/^\d+$/);
      // Another client is not held up by the first one's excess.
      const other = await fetch(`http://127.0.0.1:${port}/oai?verb=Identify`, { headers: { 'X-Forwarded-For': '203.0.113.9' } });
      expect(other.status).toBe(200);
      held.destroy();
      await new Promise((r) => setTimeout(r, 100));
      expect((await fetch(`http://127.0.0.1:${port}/oai?verb=Identify`)).status).toBe(200);
    } finally {
      listener.close();
    }
  });

  it('a harvester that waits as Retry-After says completes its harvest; one that does not keeps getting 503', async () => {
    const app = limited({ concurrent: 0, ratePerSecond: 2 });
    const paged = makeServer({ OAI_PAGE_SIZE_RECORDS: '2' });
    const pagedApp = createApp(oaiContext(paged.config, paged.store), { limits: { concurrent: 0, ratePerSecond: 2 }, trustProxy: true });
    // Impatient: five requests at once from one client, two get through.
    const statuses = await Promise.all(Array.from({ length: 5 }, () => request(app).get('/oai?verb=Identify').set('X-Forwarded-For', '198.51.100.1')));
    expect(statuses.map((r) => r.status).sort()).toEqual([200, 200, 503, 503, 503]);
    expect(statuses.find((r) => r.status === 503)?.headers['retry-after']).toBe('1');

    // Patient: four pages at two requests a second, waiting whenever told.
    let query = '/oai?verb=ListRecords&metadataPrefix=oai_dc';
    const ids: string[] = [];
    let refusals = 0;
    for (;;) {
      const res = await request(pagedApp).get(query).set('X-Forwarded-For', '198.51.100.2');
      if (res.status === 503) {
        refusals++;
        await new Promise((r) => setTimeout(r, Number(res.headers['retry-after']) * 1000));
        continue;
      }
      expect(res.status).toBe(200);
      ids.push(...[...res.text.matchAll(/<identifier>([^<]+)</g)].map((m) => m[1] ?? ''));
      const token = /<resumptionToken[^>]*>([^<]+)</.exec(res.text)?.[1];
      if (token === undefined) break;
      query = `/oai?verb=ListRecords&resumptionToken=${encodeURIComponent(token)}`;
    }
    expect(new Set(ids).size).toBe(8);
    expect(refusals).toBeGreaterThan(0);
  }, 20_000);

  it('at the default limits, a harvester that waits for each page never sees a 503', async () => {
    const paged = makeServer({ OAI_PAGE_SIZE_IDENTIFIERS: '1' });
    const app = createApp(oaiContext(paged.config, paged.store), { limits: paged.config.limits });
    let query = '/oai?verb=ListIdentifiers&metadataPrefix=oai_dc';
    for (let pages = 0; ; pages++) {
      const res = await request(app).get(query);
      expect(res.status).toBe(200);
      const token = /<resumptionToken[^>]*>([^<]+)</.exec(res.text)?.[1];
      if (token === undefined) break;
      query = `/oai?verb=ListIdentifiers&resumptionToken=${encodeURIComponent(token)}`;
    }
  });
});
