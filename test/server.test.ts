import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '../scripts/harness.js';
import { validateOaiResponse } from './support/xsd.js';

const root = new URL('..', import.meta.url).pathname;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oai-server-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Starts the real entry point as a separate process and waits until it listens. */
async function start(env: Record<string, string>): Promise<{ child: ChildProcessWithoutNullStreams; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: root, env: { ...process.env, ...env } });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 20_000);
    const check = () => {
      if (output.includes('OAI-PMH base URL')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', check);
    child.on('exit', () => reject(new Error(`server exited:\n${output}`)));
  });
  return { child, output: () => output };
}

function exited(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('the server process', () => {
  it('creates and seeds the database on first start, serves /oai, and shuts down cleanly on SIGTERM', async () => {
    const port = await freePort();
    const db = path.join(dir, 'first', 'oai.sqlite');
    const { child, output } = await start({ PORT: String(port), DATABASE_PATH: db, HOST: '127.0.0.1' });
    expect(output()).toContain('8 articles');
    expect(fs.existsSync(db)).toBe(true);

    const res = await fetch(`http://127.0.0.1:${port}/oai?verb=ListRecords&metadataPrefix=oai_dc`);
    expect(res.status).toBe(200);
    const xml = await res.text();
    await validateOaiResponse(xml);
    expect(xml).toContain(`<request verb="ListRecords" metadataPrefix="oai_dc">http://localhost:${port}/oai</request>`);
    expect(xml.match(/<record>/g)).toHaveLength(8);

    const done = exited(child);
    child.kill('SIGTERM');
    expect(await done).toBe(0);
  }, 30_000);

  it('exits with a clear message on a bad setting', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: root, env: { ...process.env, PORT: 'eighty' } });
    let output = '';
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    expect(await exited(child)).toBe(2);
    expect(output).toContain('PORT must be a whole number');
    expect(output).not.toMatch(/\n\s+at /);
  }, 30_000);

  it('serves a snapshot read-only, and on SIGHUP switches to a new one with earlier tokens still valid', async () => {
    const primary = path.join(dir, 'primary', 'oai.sqlite');
    const snapshots = path.join(dir, 'snapshots');
    fs.mkdirSync(snapshots);
    const snapshot = path.join(snapshots, 'oai.sqlite');
    const env = { ...process.env, DATABASE_PATH: primary, RESUMPTION_TOKEN_SECRET: 'replica-secret-of-enough-length' };
    const admin = (...args: string[]) => {
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/admin/cli.ts', ...args], { cwd: root, env, encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      return run.stdout;
    };
    expect(admin('snapshot', snapshot)).toMatch(/wrote .*oai\.sqlite: 8 records \(0 deleted\)/);
    // The seed was stamped this second, and lists end one second before they start.
    await new Promise((r) => setTimeout(r, 1100));
    const digest = () => createHash('sha256').update(fs.readFileSync(snapshot)).digest('hex');
    const written = digest();
    // Read-only for a replica's user (root would still write, so the file is checked below too).
    fs.chmodSync(snapshots, 0o555);
    try {
      const port = await freePort();
      const { child, output } = await start({
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_PATH: snapshot,
        DATABASE_READ_ONLY: '1',
        RESUMPTION_TOKEN_SECRET: 'replica-secret-of-enough-length',
        OAI_PAGE_SIZE_RECORDS: '3',
        // A replica's activity goes to a writable file of its own, never beside the snapshot.
        ACTIVITY_PATH: path.join(dir, 'replica-activity.sqlite'),
      });
      const base = `http://127.0.0.1:${port}/oai`;
      const page = async (query: string) => {
        const xml = await (await fetch(`${base}?${query}`)).text();
        await validateOaiResponse(xml);
        return { xml, token: /<resumptionToken[^>]*>([^<]+)</.exec(xml)?.[1] ?? null, ids: [...xml.matchAll(/<identifier>([^<]+)</g)].map((m) => m[1] ?? '') };
      };
      const first = await page('verb=ListRecords&metadataPrefix=oai_dc');
      expect(first.ids).toHaveLength(3);
      expect(first.token).not.toBeNull();
      // Served as it is: no journal, no shared-memory file, not a byte changed.
      expect(fs.readdirSync(snapshots)).toEqual(['oai.sqlite']);
      expect(digest()).toBe(written);

      // The primary changes, a new snapshot replaces the file, and the replica switches to it.
      fs.chmodSync(snapshots, 0o755);
      admin('delete', '58-197');
      admin('snapshot', snapshot);
      fs.chmodSync(snapshots, 0o555);
      child.kill('SIGHUP');
      await vi.waitFor(() => expect(output()).toContain('SIGHUP: reopened'), { timeout: 10_000 });

      const rest: string[] = [];
      for (let token = first.token; token !== null; ) {
        const next = await page(`verb=ListRecords&resumptionToken=${encodeURIComponent(token)}`);
        rest.push(...next.ids);
        token = next.token;
      }
      // The harvest that began on the old file ends on the new one, with no record twice: the
      // withdrawal moved past its frozen bound, for the next incremental harvest to pick up.
      expect(new Set([...first.ids, ...rest]).size).toBe(first.ids.length + rest.length);
      expect([...first.ids, ...rest].length).toBeGreaterThanOrEqual(7);
      const fresh = await page('verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:localhost.localdomain:58-197');
      expect(fresh.xml).toContain('status="deleted"');
      child.kill('SIGTERM');
      expect(await exited(child)).toBe(0);
    } finally {
      fs.chmodSync(snapshots, 0o755);
    }
  }, 60_000);

  describe('a database it cannot serve: one line naming the file and the problem, exit 1, the file untouched', () => {
    const cases: Array<[string, (file: string) => Record<string, string>, RegExp]> = [
      [
        'not a database',
        (file) => {
          fs.writeFileSync(file, 'this is not a SQLite file, but it is long enough to have a header of some sort'.repeat(20));
          return {};
        },
        /not a SQLite database/,
      ],
      [
        'a newer schema',
        (file) => {
          const db = new Database(file);
          db.pragma('user_version = 999');
          db.close();
          return {};
        },
        /schema version is 999, newer than this code/,
      ],
      ['a folder', (file) => (fs.mkdirSync(file), {}), /cannot be opened|folder/],
      ['a missing snapshot', () => ({ DATABASE_READ_ONLY: '1' }), /does not exist/],
    ];
    it.each(cases)('%s', async (_what, prepare, message) => {
      const file = path.join(fs.mkdtempSync(path.join(dir, 'bad-')), 'oai.sqlite');
      const env = prepare(file);
      const before = fs.existsSync(file) && fs.statSync(file).isFile() ? fs.readFileSync(file) : null;
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
        cwd: root,
        env: { ...process.env, PORT: String(await freePort()), DATABASE_PATH: file, ...env },
      });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      expect(await exited(child)).toBe(1);
      const lines = output.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(file);
      expect(lines[0]).toMatch(message);
      if (before !== null) expect(fs.readFileSync(file).equals(before)).toBe(true);
    }, 30_000);
  });

  it('finishes a response in flight on SIGINT, then exits 0', async () => {
    const port = await freePort();
    const { child } = await start({ PORT: String(port), DATABASE_PATH: path.join(dir, 'sigint', 'oai.sqlite'), HOST: '127.0.0.1' });
    const pending = fetch(`http://127.0.0.1:${port}/oai?verb=ListRecords&metadataPrefix=oai_dc`);
    await new Promise((r) => setTimeout(r, 5));
    const done = exited(child);
    child.kill('SIGINT');
    const res = await pending;
    expect(res.status).toBe(200);
    const xml = await res.text();
    await validateOaiResponse(xml);
    expect(xml.match(/<record>/g)).toHaveLength(8);
    expect(await done).toBe(0);
  }, 30_000);

  it('goes on serving after clients break off mid-response', async () => {
    const port = await freePort();
    const { child, output } = await start({ PORT: String(port), DATABASE_PATH: path.join(dir, 'abort', 'oai.sqlite'), HOST: '127.0.0.1' });
    for (let i = 0; i < 20; i++) {
      const socket = net.connect(port, '127.0.0.1');
      socket.on('error', () => {});
      socket.write('GET /oai?verb=ListRecords&metadataPrefix=mods HTTP/1.1\r\nHost: x\r\n\r\n');
      socket.once('data', () => socket.destroy());
    }
    await new Promise((r) => setTimeout(r, 300));
    const res = await fetch(`http://127.0.0.1:${port}/oai?verb=ListRecords&metadataPrefix=oai_dc`);
    expect((await res.text()).match(/<record>/g)).toHaveLength(8);
    expect(output()).not.toMatch(/"level":(50|60)/);
    const done = exited(child);
    child.kill('SIGTERM');
    expect(await done).toBe(0);
  }, 30_000);

  it('cuts off a client that dribbles its headers, and serves the others meanwhile', async () => {
    const port = await freePort();
    const { child } = await start({
      PORT: String(port),
      DATABASE_PATH: path.join(dir, 'loris', 'oai.sqlite'),
      HOST: '127.0.0.1',
      HTTP_HEADERS_TIMEOUT_SECONDS: '2',
    });
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (d: Buffer) => (answer += d.toString()));
    const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now())));
    const started = Date.now();
    socket.write('GET /oai?verb=Identify HTTP/1.1\r\nHost: x\r\n');
    const drip = setInterval(() => socket.write('X-Slow: 1\r\n'), 300);
    expect((await fetch(`http://127.0.0.1:${port}/oai?verb=Identify`)).status).toBe(200);
    const at = await closed;
    clearInterval(drip);
    expect(at - started).toBeGreaterThanOrEqual(1900);
    expect(at - started).toBeLessThan(6000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    const done = exited(child);
    child.kill('SIGTERM');
    expect(await done).toBe(0);
  }, 30_000);
});
