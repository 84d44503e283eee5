import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateOaiResponse } from './support/xsd.js';

const root = new URL('..', import.meta.url).pathname;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oai-server-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

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
});
