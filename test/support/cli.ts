import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll } from 'vitest';
import { runCli } from '../../src/admin/run.js';

// Registered once per test file, since a hook registered inside a running test never runs.
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A temporary folder removed after the test file. */
export function tempDir(prefix = 'oai-admin-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** What one CLI run printed and returned. */
export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** An admin CLI bound to one database file, with a clock the test sets. */
export interface Admin {
  dbPath: string;
  env: Record<string, string>;
  run(...argv: string[]): CliRun;
  /** The same for a command that waits on I/O (the online backup). */
  runAsync(...argv: string[]): Promise<CliRun>;
  setNow(date: Date): void;
  /** Every row of every table, to prove a refused import wrote nothing. */
  snapshot(): string;
}

/** A CLI on a fresh database file (seeded on first use, as the server would). */
export function makeAdmin(env: Record<string, string> = {}): Admin {
  const dir = tempDir();
  const dbPath = path.join(dir, 'oai.sqlite');
  const fullEnv = { DATABASE_PATH: dbPath, PUBLIC_URL: 'http://repo.example.org', ...env };
  let now = new Date('2025-03-01T08:30:00Z');
  return {
    dbPath,
    env: fullEnv,
    run(...argv) {
      const out: string[] = [];
      const err: string[] = [];
      const code = runCli(argv, { env: fullEnv, out: (l) => out.push(l), err: (l) => err.push(l), now: () => now });
      if (typeof code !== 'number') throw new Error(`${argv[0] ?? ''} waits on I/O: use runAsync`);
      return { code, out: out.join('\n'), err: err.join('\n') };
    },
    async runAsync(...argv) {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(argv, { env: fullEnv, out: (l) => out.push(l), err: (l) => err.push(l), now: () => now });
      return { code, out: out.join('\n'), err: err.join('\n') };
    },
    setNow(date) {
      now = date;
    },
    snapshot() {
      const db = new Database(dbPath, { readonly: true });
      const tables = db.prepare<[], string>(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`).pluck().all();
      const dump = tables.map((t) => `${t}:${JSON.stringify(db.prepare(`SELECT * FROM "${t}" ORDER BY 1, 2`).all())}`).join('\n');
      db.close();
      return dump;
    },
  };
}

/** Writes a file in a temporary folder and returns its path. */
export function writeFile(dir: string, name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

/** The seed document's text, to derive test files from. */
export const SEED_TOC = fs.readFileSync(new URL('../../db/seed/issue-58-toc.txt', import.meta.url), 'utf8');
export const SEED_TOC_PATH = new URL('../../db/seed/issue-58-toc.txt', import.meta.url).pathname;
