import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { openActivity, type Activity } from '../../src/activity/activity.js';
import { createApp, type AppOptions } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { oaiContext } from '../../src/context.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { PUBLIC_URL, SEEDED_AT } from '../support/app.js';
import { validateOaiResponse } from '../support/xsd.js';

/** A real server on loopback, on a real store and a real activity file, with a clock the test can drive. */
export interface ActivityServer {
  url: string;
  config: Config;
  store: Store;
  activity: Activity;
  dir: string;
  /** Every `/oai` body the server sent whole, to be validated. */
  responses: string[];
  /** The activity clock: events are stamped and the report is made at this time. */
  clock: { now: number };
  /** The same store and activity, behind another app (other limits, say), on its own port. */
  listenAgain(options: Omit<AppOptions, 'activity'>): Promise<string>;
}

const cleanups: Array<() => void> = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

async function listen(handler: http.RequestListener, responses: string[]): Promise<string> {
  const listener = http.createServer((req, res) => {
    // Keep each whole /oai body, to check it against the schemas as other tests do.
    if (req.url?.startsWith('/oai') === true) {
      const chunks: Buffer[] = [];
      const write = res.write.bind(res) as (...args: unknown[]) => boolean;
      const end = res.end.bind(res) as (...args: unknown[]) => http.ServerResponse;
      const keep = (chunk: unknown) => {
        if (chunk !== undefined && chunk !== null && typeof chunk !== 'function') chunks.push(Buffer.from(chunk as string | Uint8Array));
      };
      res.write = ((chunk: unknown, ...rest: unknown[]) => (keep(chunk), write(chunk, ...rest))) as typeof res.write;
      res.end = ((chunk?: unknown, ...rest: unknown[]) => (keep(chunk), end(chunk, ...rest))) as typeof res.end;
      res.once('finish', () => {
        if (res.statusCode === 200 && res.getHeader('Content-Encoding') === undefined) responses.push(Buffer.concat(chunks).toString('utf8'));
      });
    }
    handler(req, res);
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    listener.closeAllConnections();
    listener.close();
  });
  return `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
}

/**
 * Starts the app on a fresh database file, seeded from db/seed, with activity recorded to the
 * configured activity file (by default beside the database), listening on a free loopback port.
 */
export async function activityServer(
  env: Record<string, string> = {},
  { prepare, ...options }: Omit<AppOptions, 'activity'> & { prepare?: (config: Config) => void } = {},
): Promise<ActivityServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oai-activity-'));
  const config = loadConfig({
    PUBLIC_URL,
    DATABASE_PATH: path.join(dir, 'oai.sqlite'),
    ADMIN_EMAIL: 'oai-admin@example.org',
    RESUMPTION_TOKEN_SECRET: 'test-secret-of-sufficient-length',
    ...env,
  });
  prepare?.(config);
  const store = openStore(config, new Date(SEEDED_AT));
  const clock = { now: Date.now() };
  if (config.activity.path === null) throw new Error('activity is off');
  const activity = openActivity({ ...config.activity, path: config.activity.path }, { now: () => clock.now });
  cleanups.push(() => {
    activity.close();
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const context = oaiContext(config, store);
  const responses: string[] = [];
  const url = await listen(createApp(context, { ...options, activity }), responses);
  return {
    url,
    config,
    store,
    activity,
    dir,
    responses,
    clock,
    listenAgain: (again) => listen(createApp(context, { ...again, activity }), responses),
  };
}

/** Checks every kept `/oai` body against OAI-PMH.xsd (and its records against oai_dc.xsd). */
export async function validateAll(responses: readonly string[]): Promise<void> {
  for (const xml of responses) await validateOaiResponse(xml);
}

/** A GET with the headers a harvester sends; the body as text. */
export async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { headers });
  return { status: res.status, text: await res.text() };
}

/** The token of a list page, or null on the last page. */
export function tokenOf(xml: string): string | null {
  return /<resumptionToken[^>]*>([^<]+)<\/resumptionToken>/.exec(xml)?.[1] ?? null;
}

/**
 * Flushes the recorder until `check` holds: a response closes on the server a moment after the
 * client has read it, so its event may come just after the client is done.
 */
export async function settle(activity: Activity, check: () => boolean): Promise<void> {
  for (let i = 0; i < 250; i++) {
    activity.recorder.flush();
    if (check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the activity did not come');
}
