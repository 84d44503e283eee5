import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, expect } from 'vitest';
import { runCli } from '../../src/admin/run.js';
import { createApp, type App } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { oaiContext } from '../../src/context.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { JATS_OAI_NAMESPACE, validateFormat, validateOaiResponseIn } from './format-schemas.js';
import { validateOaiDc, validateOaiResponse } from './xsd.js';
import { nodes, parseXml, type NS } from './xml.js';
import type { Document } from '@xmldom/xmldom';

/** When the test stores were seeded: in the past, so every record is visible to a harvest. */
export const SEEDED_AT = '2025-03-01T08:30:00Z';
export const PUBLIC_URL = 'http://repo.example.org';
export const BASE_URL = `${PUBLIC_URL}/oai`;
export const REPOSITORY_ID = 'repo.example.org';

/** A real server over a real SQLite file, seeded from db/seed, removed after the test file. */
export interface TestServer {
  app: App;
  store: Store;
  config: Config;
  dbPath: string;
  /** Sets the clock the protocol reads. */
  setNow(date: Date): void;
}

// Registered once per test file, since a hook registered inside a running test never runs.
const tmpRoots: string[] = [];
const stores: Store[] = [];
afterAll(() => {
  for (const store of stores.splice(0)) store.close();
  for (const dir of tmpRoots.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** Starts the app on a fresh database file with the given environment. */
export function makeServer(env: Record<string, string> = {}): TestServer {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oai-test-'));
  tmpRoots.push(dir);
  const dbPath = path.join(dir, 'oai.sqlite');
  const config = loadConfig({
    PUBLIC_URL,
    DATABASE_PATH: dbPath,
    ADMIN_EMAIL: 'oai-admin@example.org',
    RESUMPTION_TOKEN_SECRET: 'test-secret-of-sufficient-length',
    ...env,
  });
  const store = openStore(config, new Date(SEEDED_AT));
  let now = new Date();
  const app = createApp(oaiContext(config, store, () => now));
  stores.push(store);
  return { app, store, config, dbPath, setNow: (d) => (now = d) };
}

/**
 * Runs one admin command on a test database at the given time, as `npm run admin` would, and
 * returns what it printed; a failing command fails the test with its message.
 */
export function runAdmin(dbPath: string, now: string | Date, ...argv: string[]): string {
  const out: string[] = [];
  const err: string[] = [];
  const code = runCli(argv, { env: { DATABASE_PATH: dbPath, PUBLIC_URL }, out: (l) => out.push(l), err: (l) => err.push(l), now: () => new Date(now) });
  if (code !== 0) throw new Error(`admin ${argv.join(' ')} exited ${code}: ${err.join('\n')}`);
  return out.join('\n');
}

const PREFIX_BY_NAMESPACE: Record<string, string> = {
  'http://www.openarchives.org/OAI/2.0/oai_dc/': 'oai_dc',
  'http://www.loc.gov/MARC21/slim': 'marcxml',
  'http://www.loc.gov/mods/v3': 'mods',
  [JATS_OAI_NAMESPACE]: 'jats',
  'http://namespace.openaire.eu/schema/oaire/': 'oai_openaire',
  'http://schema.datacite.org/oai/oai-1.1/': 'oai_datacite',
};

/** The format of a response's records, by the namespace of the first record's root element. */
function metadataFormatOf(body: string): string | null {
  const root = /<metadata><([\w.-]+)(?::([\w.-]+))?([^>]*)>/.exec(body);
  if (!root) return null;
  const [, first = '', local, attributes = ''] = root;
  const prefix = local === undefined ? null : first;
  const ns = new RegExp(`xmlns${prefix === null ? '' : `:${prefix}`}="([^"]+)"`).exec(attributes)?.[1];
  const format = ns === undefined ? undefined : PREFIX_BY_NAMESPACE[ns];
  if (format === undefined) throw new Error(`records in an unknown namespace: ${root[0]}`);
  return format;
}

/** A parsed, schema-checked OAI response. */
export interface OaiResult {
  text: string;
  doc: Document;
  /** Error codes, in order. */
  errors: string[];
}

/**
 * Sends an OAI request over HTTP (GET, or POST with a form body), checks the HTTP envelope and
 * validates the XML against OAI-PMH.xsd and every record against oai_dc.xsd.
 */
export async function oai(app: App, query: string, method: 'GET' | 'POST' = 'GET'): Promise<OaiResult> {
  const res =
    method === 'GET'
      ? await request(app).get(`/oai${query === '' ? '' : `?${query}`}`)
      : await request(app).post('/oai').type('form').send(query);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('text/xml; charset=UTF-8');
  const body = res.text;
  // Records in another format are checked, envelope and content, against that format's schemas.
  const prefix = metadataFormatOf(body);
  if (prefix !== null && prefix !== 'oai_dc') {
    await validateOaiResponseIn(prefix, body);
    const fragments = [...body.matchAll(/<metadata>([\s\S]*?)<\/metadata>/g)].map((m) => m[1] ?? '');
    await validateFormat(prefix, fragments);
  } else {
    await validateOaiResponse(body);
  }
  for (const dc of body.match(/<oai_dc:dc\b[\s\S]*?<\/oai_dc:dc>/g) ?? []) await validateOaiDc(dc);
  const doc = parseXml(body);
  const errors = nodes(doc, '/oai:OAI-PMH/oai:error').map((e) => e.getAttribute('code') ?? '');
  return { text: body, doc, errors };
}

export type { NS };
