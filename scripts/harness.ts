/**
 * What the benchmarks, the load test and the nginx test share: a free loopback port, the real
 * server started as `npm start` starts it, its memory, and an HTTP client that keeps its connection.
 */
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** The server process, with its memory as /proc shows it. */
export interface RunningServer {
  child: ChildProcessWithoutNullStreams;
  /** Resident memory now and at its peak, MiB. */
  rss(): { current: number; peak: number };
  stop(): Promise<void>;
}

/** How to start the server: whether to build first, and where its output goes. */
export interface StartOptions {
  /** false starts what an earlier call (or `npm start`'s build) built. */
  build?: boolean;
  /** Receives its stdout and stderr; by default stdout is dropped and stderr goes to the terminal. */
  output?: (text: string) => void;
}

/**
 * Builds and starts the server as `npm start` does, with the node flags of package.json's start
 * script, and resolves once it answers.
 */
export async function startServer(env: Record<string, string>, { build = true, output }: StartOptions = {}): Promise<RunningServer> {
  if (build) execFileSync(process.execPath, [path.join('node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  const start = (JSON.parse(fs.readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start;
  const child = spawn(process.execPath, start.split(/\s+/).slice(1), { env: { ...process.env, ...env } });
  // Readiness is /livez answering.
  if (output === undefined) {
    child.stdout.resume();
    child.stderr.on('data', (d: Buffer) => process.stderr.write(d));
  } else {
    child.stdout.on('data', (d: Buffer) => output(d.toString()));
    child.stderr.on('data', (d: Buffer) => output(d.toString()));
  }
  let exited = false;
  child.once('exit', () => (exited = true));
  const url = `http://${env['HOST'] ?? '127.0.0.1'}:${env['PORT'] ?? '3000'}/livez`;
  for (const started = Date.now(); ; ) {
    if (exited) throw new Error('the server exited before it listened');
    if (Date.now() - started > 600_000) throw new Error('the server did not listen within 10 minutes');
    try {
      if ((await fetch(url)).ok) break;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    rss() {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
      return { current: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
    },
    stop() {
      return new Promise((resolve) => {
        // One killed already (a fault test) has nothing left to stop.
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    },
  };
}

/** A response as bytes, gunzipped when it came compressed. */
export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** GET over a kept-alive connection of `agent`. */
export function get(url: string, headers: Record<string, string>, agent: http.Agent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent, headers }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(parts);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(body) : body });
        });
      })
      .on('error', reject);
  });
}

/** The `p`th percentile of sorted numbers. */
export const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

export const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits;
