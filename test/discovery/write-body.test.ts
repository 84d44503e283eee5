import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { bodyBuffers, RUN_CHARS, runs, writeBody } from '../../src/discovery/write-body.js';
import { listenOnLoopback } from '../support/browser.js';

// How the long lists beside OAI-PMH are written: text in runs, bytes in their place, as the client takes it.

/** Entries as a list writes them: many short texts, some of them not ASCII. */
function* entries(count: number, pulled: { n: number } = { n: 0 }): Generator<string, void, undefined> {
  for (let i = 0; i < count; i++) {
    pulled.n++;
    yield `<url><loc>https://repo.example.org/articles/${i}</loc><lastmod>2025-05-01</lastmod><!-- مقاله ${i} --></url>\n`;
  }
}

const text = (pieces: Iterable<string | Uint8Array>) => Buffer.concat([...pieces].map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p))).toString('utf8');

describe('runs of a body', () => {
  it('joins texts into runs of about RUN_CHARS characters and keeps bytes in their place', () => {
    const bytes = Buffer.from('<bytes/>');
    const pieces = [...entries(5_000), bytes, 'tail\n'];
    const out = [...runs(pieces)];
    expect(text(out)).toBe(text(pieces));
    const strings = out.filter((r): r is string => typeof r === 'string');
    for (const run of strings.slice(0, -2)) expect(run.length).toBeGreaterThanOrEqual(RUN_CHARS);
    for (const run of strings) expect(run.length).toBeLessThan(RUN_CHARS + 200);
    expect(out.filter((r) => typeof r !== 'string')).toEqual([bytes]);
  });

  it('gives no empty run, and nothing for an empty body', () => {
    expect([...runs([])]).toEqual([]);
    expect([...runs(['', Buffer.from('x'), ''])]).toEqual([Buffer.from('x')]);
  });

  it('as buffers, for a body read whole, is the same bytes', () => {
    const pieces = [...entries(3_000)];
    expect(Buffer.concat(bodyBuffers(pieces)).toString('utf8')).toBe(pieces.join(''));
  });
});

describe('writing a body', () => {
  it('sends every byte, and stops reading the body when the client goes away', async () => {
    const listener = await listenOnLoopback();
    const pulled = { n: 0 };
    const done: Array<Promise<void>> = [];
    listener.server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      res.setHeader('Content-Type', 'application/xml; charset=UTF-8');
      done.push(writeBody(res, req.url === '/all' ? entries(20_000) : entries(1_000_000, pulled)));
    });
    try {
      const whole = Buffer.from(await (await fetch(`${listener.origin}/all`)).arrayBuffer()).toString('utf8');
      expect(whole).toBe([...entries(20_000)].join(''));

      // A client that takes a little and hangs up: the writer must not make the rest.
      const res = await new Promise<http.IncomingMessage>((resolve) => http.get(`${listener.origin}/cut`, resolve));
      await new Promise((resolve) => res.once('data', resolve));
      res.destroy();
      await Promise.all(done);
      expect(pulled.n).toBeGreaterThan(0);
      expect(pulled.n).toBeLessThan(1_000_000);
    } finally {
      await listener.close();
    }
  });
});
