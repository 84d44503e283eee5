/**
 * Read replicas behind a real nginx, all on 127.0.0.1, as docs/scaling-out.md deploys them: a
 * primary on a synthetic store, a snapshot written by the real admin command, replicas serving it
 * read-only, and nginx started with deploy/nginx.conf itself. What the nginx test
 * (test/deploy/nginx-replicas.test.ts) and `npm run bench:replicas` share.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { freePort, startServer, type RunningServer } from './harness.js';
import { buildSyntheticStore } from './synthetic.js';

/** Where nginx is: Debian's package by default, NGINX_PATH to override. Never downloaded. */
export const NGINX_PATH = process.env['NGINX_PATH'] ?? '/usr/sbin/nginx';

/** Why nginx cannot be used, or null when the executable is there. */
export function nginxMissing(): string | null {
  try {
    fs.accessSync(NGINX_PATH, fs.constants.X_OK);
    return null;
  } catch {
    return `nginx not found at ${NGINX_PATH}: install it (Debian: apt-get install nginx) or point NGINX_PATH at the executable.`;
  }
}

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
export const NGINX_CONF = path.join(ROOT, 'deploy', 'nginx.conf');

// Processes started here, killed if this process exits without stopping them (a crashed run).
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});
function track(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
}

/** Replaces the one match of `pattern` in `text`, failing when there is none or more than one. */
function replaceOnce(text: string, pattern: RegExp, replace: (match: RegExpExecArray) => string, what: string): string {
  const all = [...text.matchAll(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`))];
  if (all.length !== 1) throw new Error(`deploy/nginx.conf: expected one ${what}, found ${all.length}`);
  const match = all[0] as RegExpExecArray;
  return text.slice(0, match.index) + replace(match) + text.slice(match.index + match[0].length);
}

/**
 * deploy/nginx.conf as it runs on loopback, under any user: the upstream's `server` line becomes
 * one line per replica address with the same parameters, `listen 80` becomes the given loopback
 * port, and the files nginx writes (pid, logs, temporary bodies) go to `dir`. Nothing else changes.
 */
export function loopbackNginxConfig(conf: string, { upstreams, port, dir }: { upstreams: readonly string[]; port: number; dir: string }): string {
  let out = replaceOnce(conf, /^([ \t]*server[ \t]+)replica:3000([ \t][^\n]*)$/m, (m) => upstreams.map((address) => `${m[1] ?? ''}${address}${m[2] ?? ''}`).join('\n'), 'upstream `server replica:3000` line');
  out = replaceOnce(out, /^([ \t]*listen[ \t]+)80;$/m, (m) => `${m[1] ?? ''}127.0.0.1:${port};`, '`listen 80;` line');
  const at = (name: string) => JSON.stringify(path.join(dir, name));
  out = `pid ${at('nginx.pid')};\nerror_log ${at('error.log')} warn;\n${out}`;
  return replaceOnce(
    out,
    /^http \{$/m,
    () =>
      [
        'http {',
        // Which replica (or replicas, when nginx passed a request on) answered each request.
        `  log_format replicas '$msec $status $upstream_addr $upstream_status "$request"';`,
        `  access_log ${at('access.log')} replicas;`,
        ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${at(`temp-${t}`)};`),
      ].join('\n'),
    '`http {` line',
  );
}

/** nginx in the foreground, with its logs. */
export interface RunningNginx {
  origin: string;
  /** Its access log: `msec status upstream_addr upstream_status "request"` a line. */
  accessLog(): string;
  /** Its error log and what it printed. */
  errorLog(): string;
  stop(): Promise<void>;
}

/** Waits for a process to exit, with SIGKILL after `ms` if it has not. */
function stopChild(child: ChildProcess, signal: NodeJS.Signals, ms = 10_000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

/** Starts nginx with deploy/nginx.conf on `port` in front of `upstreams`, and waits until it proxies a request. */
export async function startNginx(upstreams: readonly string[], port: number, dir: string): Promise<RunningNginx> {
  const missing = nginxMissing();
  if (missing !== null) throw new Error(missing);
  fs.mkdirSync(dir, { recursive: true });
  // Run as root, nginx's workers drop to an unprivileged user, which must reach the temporary folders.
  fs.chmodSync(dir, 0o755);
  const conf = path.join(dir, 'nginx.conf');
  fs.writeFileSync(conf, loopbackNginxConfig(fs.readFileSync(NGINX_CONF, 'utf8'), { upstreams, port, dir }));
  // -e: the log of start-up, before the configuration is read; -p: relative paths resolve under dir.
  const child = spawn(NGINX_PATH, ['-p', dir, '-c', conf, '-e', path.join(dir, 'error.log'), '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
  track(child);
  let printed = '';
  child.stdout?.on('data', (d: Buffer) => (printed += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (printed += d.toString()));
  const read = (name: string) => {
    try {
      return fs.readFileSync(path.join(dir, name), 'utf8');
    } catch {
      return '';
    }
  };
  const origin = `http://127.0.0.1:${port}`;
  const running: RunningNginx = {
    origin,
    accessLog: () => read('access.log'),
    errorLog: () => `${read('error.log')}${printed}`,
    stop: () => stopChild(child, 'SIGTERM'),
  };
  for (const started = Date.now(); ; ) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`nginx exited before it listened:\n${running.errorLog()}`);
    if (Date.now() - started > 20_000) {
      await running.stop();
      throw new Error(`nginx did not answer within 20 s:\n${running.errorLog()}`);
    }
    try {
      if ((await fetch(`${origin}/livez`)).ok) break;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return running;
}

/** A server process with the output it wrote. */
export interface Server {
  name: string;
  origin: string;
  pid: number;
  running: RunningServer;
  log(): string;
  /** Resolves once the log, after its first `from` characters, matches. */
  waitForLog(pattern: RegExp, from?: number, ms?: number): Promise<string>;
}

async function startNamed(name: string, env: Record<string, string>): Promise<Server> {
  let log = '';
  let running: RunningServer;
  try {
    running = await startServer(env, { build: false, output: (text) => (log += text) });
  } catch (error) {
    throw new Error(`${name}: ${(error as Error).message}\n${log}`);
  }
  track(running.child);
  return {
    name,
    origin: `http://127.0.0.1:${env['PORT'] ?? ''}`,
    pid: running.child.pid ?? 0,
    running,
    log: () => log,
    async waitForLog(pattern, from = 0, ms = 10_000) {
      for (const started = Date.now(); ; ) {
        const match = pattern.exec(log.slice(from));
        if (match) return match[0];
        if (Date.now() - started > ms) throw new Error(`${name} did not log ${String(pattern)} within ${ms} ms:\n${log.slice(from).slice(-4000)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

/** A primary, its snapshot, replicas of it and nginx in front of them. */
export interface ReplicaSet {
  dir: string;
  /** The primary's settings, as an admin command there runs with. */
  primaryEnv: Record<string, string>;
  /** `oai:<repository identifier>:` */
  identifierPrefix: string;
  snapshot: string;
  primary: Server;
  replicas: Server[];
  nginx: RunningNginx;
  /** Runs `node dist/src/admin/cli.js …` with the primary's settings and returns what it printed; fails on a non-zero exit. */
  admin(...args: string[]): string;
  /** Which replica sent a response, from its X-Request-Id: the process id in base 36, a dash, a counter. */
  replicaOf(requestId: string | undefined | null): Server | undefined;
  /** Sends SIGHUP to the replicas (every live one by default) and waits until each says it reopened the snapshot; returns those lines. */
  reload(which?: readonly Server[]): Promise<string[]>;
  /** Stops nginx and every server, and removes the folder. */
  stop(): Promise<void>;
}

export interface ReplicaSetOptions {
  /** Synthetic records imported into the primary (the seed's eight come on top). */
  records: number;
  replicas?: number;
  seed?: number;
  /** The folder for the stores, logs and nginx's files; removed by stop(). */
  dir: string;
  /** Settings for every server (page size, log level, flow control). */
  env?: Record<string, string>;
  progress?: (line: string) => void;
}

/** Builds dist/ if a source is newer, as `npm start` does before it starts. */
export function buildIfStale(): void {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build-if-stale.mjs')], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`the build failed:\n${run.stdout}${run.stderr}`);
}

/**
 * Starts the whole set: the store built through the real import, the primary as `npm start`
 * runs it, `admin snapshot`, the replicas on the snapshot with DATABASE_READ_ONLY=1 and the same
 * token secret, and nginx. PUBLIC_URL is nginx's address everywhere, as the docs say. On a
 * failure part-way, what was started is stopped again.
 */
export async function startReplicaSet({ records, replicas: count = 2, seed = 58, dir, env = {}, progress = () => {} }: ReplicaSetOptions): Promise<ReplicaSet> {
  const missing = nginxMissing();
  if (missing !== null) throw new Error(missing);
  const started: Array<{ stop(): Promise<void> }> = [];
  const stopAll = async () => {
    for (const s of started.splice(0).reverse()) await s.stop();
  };
  try {
    progress('building dist/ if a source changed');
    buildIfStale();
    const nginxPort = await freePort();
    const common = {
      PUBLIC_URL: `http://127.0.0.1:${nginxPort}`,
      HOST: '127.0.0.1',
      RESUMPTION_TOKEN_SECRET: 'replicas-secret-of-enough-length',
      ...env,
    };
    for (const sub of ['primary', 'snapshots', 'activity']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
    // nginx's folder is inside: its workers, unprivileged when it runs as root, must reach it.
    fs.chmodSync(dir, 0o755);
    const primaryEnv = { ...common, DATABASE_PATH: path.join(dir, 'primary', 'oai.sqlite'), PORT: String(await freePort()) };
    const config = loadConfig(primaryEnv);
    progress(`importing ${records} synthetic records`);
    buildSyntheticStore(primaryEnv.DATABASE_PATH, records, seed, config, progress);
    const primary = await startNamed('primary', primaryEnv);
    started.push(primary.running);

    const admin = (...args: string[]): string => {
      const run = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'src', 'admin', 'cli.js'), ...args], { cwd: ROOT, env: { ...process.env, ...primaryEnv }, encoding: 'utf8', timeout: 300_000 });
      if (run.status !== 0) throw new Error(`admin ${args.join(' ')} exited ${String(run.status)}:\n${run.stdout}${run.stderr}`);
      return run.stdout;
    };
    const snapshot = path.join(dir, 'snapshots', 'oai.sqlite');
    progress(admin('snapshot', snapshot).trim());

    const replicas = await Promise.all(
      Array.from({ length: count }, async (_, i) =>
        startNamed(`replica ${i + 1}`, {
          ...common,
          PORT: String(await freePort()),
          DATABASE_PATH: snapshot,
          DATABASE_READ_ONLY: '1',
          ACTIVITY_PATH: path.join(dir, 'activity', `replica-${i + 1}.sqlite`),
          // Behind nginx: flow control counts each harvester, not nginx as one client.
          TRUST_PROXY: 'loopback',
        }),
      ),
    );
    for (const r of replicas) started.push(r.running);
    const nginx = await startNginx(
      replicas.map((r) => r.origin.replace('http://', '')),
      nginxPort,
      path.join(dir, 'nginx'),
    );
    started.push(nginx);
    progress(`nginx at ${nginx.origin} in front of ${replicas.map((r) => r.origin).join(', ')}`);

    const byPrefix = new Map(replicas.map((r) => [r.pid.toString(36), r]));
    return {
      dir,
      primaryEnv,
      identifierPrefix: `oai:${config.repositoryIdentifier}:`,
      snapshot,
      primary,
      replicas,
      nginx,
      admin,
      replicaOf: (id) => byPrefix.get(id?.split('-')[0] ?? ''),
      async reload(which = replicas) {
        const live = which.filter((r) => r.running.child.exitCode === null && r.running.child.signalCode === null);
        const marks = live.map((r) => r.log().length);
        for (const r of live) r.running.child.kill('SIGHUP');
        return Promise.all(live.map((r, i) => r.waitForLog(/SIGHUP: (reopened|kept)[^"\n]*/, marks[i])));
      },
      async stop() {
        await stopAll();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
