import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/harness.js';
import { startActivity } from '../../src/activity/start.js';
import type { ActivityReport } from '../../src/activity/report.js';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { oaiContext } from '../../src/context.js';
import { createLogger } from '../../src/log.js';
import { openStore } from '../../src/store/open-store.js';
import { PUBLIC_URL, runAdmin, SEEDED_AT } from '../support/app.js';
import { validateOaiResponse } from '../support/xsd.js';

const root = new URL('../..', import.meta.url).pathname;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oai-activity-replica-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const SECRET = 'replica-secret-of-enough-length';

/** A logger whose lines the test reads. */
function capturedLogger(): { logger: ReturnType<typeof createLogger>; lines: string[] } {
  const lines: string[] = [];
  return { logger: createLogger('info', { write: (line: string) => void lines.push(line) }), lines };
}

describe('a read-only replica', () => {
  it('serves its snapshot untouched and records its activity to a writable file of its own', async () => {
    const primary = path.join(dir, 'primary', 'oai.sqlite');
    openStore(loadConfig({ DATABASE_PATH: primary, PUBLIC_URL, RESUMPTION_TOKEN_SECRET: SECRET }), new Date(SEEDED_AT)).close();
    const snapshot = path.join(dir, 'snapshots', 'oai.sqlite');
    fs.mkdirSync(path.dirname(snapshot));
    runAdmin(primary, SEEDED_AT, 'snapshot', snapshot);
    const digest = () => createHash('sha256').update(fs.readFileSync(snapshot)).digest('hex');
    const written = digest();

    const config = loadConfig({
      DATABASE_PATH: snapshot,
      DATABASE_READ_ONLY: '1',
      PUBLIC_URL,
      RESUMPTION_TOKEN_SECRET: SECRET,
      ACTIVITY_PATH: path.join(dir, 'activity', 'replica-{hostname}.sqlite'),
    });
    const store = openStore(config);
    const { logger } = capturedLogger();
    const activity = startActivity(config, logger);
    expect(activity?.file).toBe(path.join(dir, 'activity', `replica-${os.hostname()}.sqlite`));
    const listener = http.createServer(createApp(oaiContext(config, store), { activity }));
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(listener.address() as AddressInfo).port}/oai?verb=ListIdentifiers&metadataPrefix=oai_dc`, { headers: { 'User-Agent': 'replica-harvester/1' } });
      const xml = await res.text();
      await validateOaiResponse(xml);
      expect(xml.match(/<header>/g)).toHaveLength(8);
    } finally {
      await new Promise((resolve) => listener.close(resolve));
    }
    expect(activity?.report(1).harvesters).toMatchObject([{ userAgent: 'replica-harvester/1', headers: 8, harvests: { started: 1, finished: 1 } }]);
    activity?.close();
    store.close();
    expect(fs.readdirSync(path.dirname(snapshot))).toEqual(['oai.sqlite']);
    expect(digest()).toBe(written);
  });

  it('serves on, recording nothing, when its activity file cannot be opened; the log says why', () => {
    const blocker = path.join(dir, 'a-file');
    fs.writeFileSync(blocker, 'not a folder');
    const { logger, lines } = capturedLogger();
    const activity = startActivity(loadConfig({ ACTIVITY_PATH: path.join(blocker, 'activity.sqlite') }), logger);
    expect(activity).toBeNull();
    expect(lines.join('')).toMatch(/harvest activity is not recorded: cannot open .*activity\.sqlite: .*set ACTIVITY_PATH to a writable file/);
  });
});

describe('the server process', () => {
  it('writes the activity still buffered when it stops on SIGTERM', async () => {
    const port = await freePort();
    const database = path.join(dir, 'process', 'oai.sqlite');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: root,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_PATH: database, PUBLIC_URL },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    for (const started = Date.now(); !output.includes('OAI-PMH base URL'); ) {
      if (Date.now() - started > 20_000) throw new Error(`the server did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const res = await fetch(`http://127.0.0.1:${port}/oai?verb=ListRecords&metadataPrefix=oai_dc`, { headers: { 'User-Agent': 'last-harvester/1' } });
    expect((await res.text()).match(/<record>/g)).toHaveLength(8);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(fs.existsSync(path.join(dir, 'process', 'oai-activity.sqlite'))).toBe(true);
    const report = JSON.parse(runAdmin(database, new Date(), 'activity', '--json', '--days', '1')) as ActivityReport;
    expect(report.harvesters).toMatchObject([{ userAgent: 'last-harvester/1', network: '127.0.0.0/24', records: 8, harvests: { started: 1, finished: 1 } }]);
  }, 30_000);
});
