/**
 * Worker threads that render, compress and digest metadata for renderFragments, which stays
 * synchronous: it runs inside better-sqlite3 transactions, and its callers are synchronous. So the
 * main thread posts a job and, when it needs the answer, sleeps on a shared flag (Atomics.wait)
 * and takes the answer from a port (receiveMessageOnPort), with no event loop turning.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { DeflatedText } from '../deflate/piece.js';
import type { FormatContext } from '../formats/registry.js';
import type { ArticleRecord } from '../model.js';
import { unpackOutputs, type FormatOutput, type PackedOutputs } from './render-record.js';

/**
 * When and how renderFragments renders. Tests change these to exercise the workers on a small
 * store; nothing else should.
 */
export const renderSettings: {
  /** Records loaded, rendered and written per step: loading a batch costs a fixed number of queries. */
  batch: number;
  /**
   * Renders (records × formats) below which the work stays on the main thread: about a thousand
   * records in six formats. Starting threads takes some 0.1 s and their memory, which a small
   * import (one article, the seed) is better without.
   */
  minRenders: number;
  /** Worker threads; undefined reads IMPORT_WORKERS. */
  workers: number | undefined;
} = { batch: 500, minRenders: 6_000, workers: undefined };

/** Slots of the flag a worker and the main thread share. */
export const SIGNAL = { answers: 0, exited: 1, exitCode: 2, progress: 3 } as const;

/** What a worker is started with. */
export interface WorkerSetup {
  port: MessagePort;
  signal: SharedArrayBuffer;
}

/** Records to render, each with what the store holds for it in each format. */
export interface RenderJob {
  seq: number;
  records: ArticleRecord[];
  prefixes: string[];
  context: FormatContext;
  stored: Array<Array<DeflatedText | null>>;
}

/** A worker's answer to a job. */
export type RenderAnswer = { seq: number; packed: PackedOutputs } | { seq: number; error: string };

/** Jobs submitted together, collected in the order submitted. */
export interface RenderTicket {
  readonly parts: ReadonlyArray<{ thread: number; seq: number; records: number; formats: number }>;
}

/** A running pool; close it when done, or its threads outlive the work. */
export interface RenderPool {
  /** Hands records out to the threads and returns at once. */
  submit(records: readonly ArticleRecord[], prefixes: readonly string[], context: FormatContext, stored: ReadonlyArray<Array<DeflatedText | null>>): RenderTicket;
  /** Waits for a ticket's answers: per record, per format, in the order submitted. Throws when a thread failed. */
  collect(ticket: RenderTicket): FormatOutput[][];
  /** Submits and collects. */
  render(records: readonly ArticleRecord[], prefixes: readonly string[], context: FormatContext, stored: ReadonlyArray<Array<DeflatedText | null>>): FormatOutput[][];
  close(): void;
}

// How often a waiting main thread looks whether a worker still makes progress, and how long
// without any it waits before it gives up on it (a thread out of memory ends without a word).
const CHECK_MS = 1_000;
const STALLED_MS = 60_000;

interface Thread {
  worker: Worker;
  port: MessagePort;
  flag: Int32Array;
  seq: number;
}

/**
 * The code a thread starts with: it makes sure the main thread hears of the thread's end, however
 * it ends (the main thread cannot see the Worker's events while it waits), then loads the worker's
 * module: the compiled .js next to this one or, when this runs as TypeScript (tests, scripts under
 * tsx), the .ts through tsx, whose hooks Node 20 does not apply to a worker's own entry module.
 */
function bootstrap(): string {
  const typescript = import.meta.url.endsWith('.ts');
  const url = new URL(typescript ? './render-worker.ts' : './render-worker.js', import.meta.url);
  // A missing file would otherwise show only as a thread that failed to start.
  if (!fs.existsSync(fileURLToPath(url))) throw new Error(`the render worker ${fileURLToPath(url)} is missing: build again`);
  const entry = JSON.stringify(url.href);
  const load = typescript ? `import(${JSON.stringify(tsxApi())}).then((tsx) => tsx.tsImport(${entry}, ${entry}))` : `import(${entry})`;
  return `const { workerData } = require('node:worker_threads');
const flag = new Int32Array(workerData.signal);
process.on('exit', (code) => {
  Atomics.store(flag, ${SIGNAL.exitCode}, code);
  Atomics.store(flag, ${SIGNAL.exited}, 1);
  Atomics.add(flag, ${SIGNAL.answers}, 1);
  Atomics.notify(flag, ${SIGNAL.answers});
});
${load}.catch((error) => {
  workerData.port.postMessage({ seq: 0, error: 'the thread could not start: ' + (error instanceof Error ? error.message : String(error)) });
  process.exit(1);
});
`;
}

/**
 * The URL of tsx's ESM API (a devDependency, there whenever TypeScript runs), as its package
 * exports it to `import`: resolution from here would give its CommonJS build.
 */
function tsxApi(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const { exports } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  const api = exports['./esm/api']?.import.default;
  if (api === undefined) throw new Error('tsx exports no ESM API');
  return new URL(api, pathToFileURL(manifest)).href;
}

/** Starts `size` (at least one) render threads. */
export function startRenderPool(size: number): RenderPool {
  const code = bootstrap();
  const threads: Thread[] = [];
  let closed = false;
  const start = (): Thread => {
    const { port1, port2 } = new MessageChannel();
    const signal = new SharedArrayBuffer(4 * Object.keys(SIGNAL).length);
    const setup: WorkerSetup = { port: port2, signal };
    const worker = new Worker(code, { eval: true, workerData: setup, transferList: [port2] });
    // Never what keeps a process alive; and a failure is reported through the flag, as the main
    // thread cannot see this event while it waits.
    worker.unref();
    worker.on('error', () => {});
    return { worker, port: port1, flag: new Int32Array(signal), seq: 0 };
  };
  for (let i = 0; i < Math.max(1, size); i++) threads.push(start());

  const close = () => {
    if (closed) return;
    closed = true;
    for (const thread of threads) {
      thread.port.close();
      void thread.worker.terminate().catch(() => {});
    }
  };

  /** The next answer of a thread, waiting for it. */
  const receive = (index: number): RenderAnswer => {
    const thread = threads[index] as Thread;
    let progress = Atomics.load(thread.flag, SIGNAL.progress);
    let idle = 0;
    for (;;) {
      if (closed) throw new Error('the render threads were closed');
      // Read before looking at the port: an answer posted after the look changes it, so the wait
      // below returns at once.
      const seen = Atomics.load(thread.flag, SIGNAL.answers);
      const message = receiveMessageOnPort(thread.port);
      if (message !== undefined) return message.message as RenderAnswer;
      if (Atomics.load(thread.flag, SIGNAL.exited) !== 0) {
        throw new Error(`render thread ${index + 1} stopped (exit code ${Atomics.load(thread.flag, SIGNAL.exitCode)}) before it answered`);
      }
      if (Atomics.wait(thread.flag, SIGNAL.answers, seen, CHECK_MS) !== 'timed-out') continue;
      const now = Atomics.load(thread.flag, SIGNAL.progress);
      if (now !== progress) {
        progress = now;
        idle = 0;
      } else if ((idle += CHECK_MS) >= STALLED_MS) {
        throw new Error(`render thread ${index + 1} has rendered nothing for ${STALLED_MS / 1000} s: it ran out of memory, or hangs`);
      }
    }
  };

  const pool: RenderPool = {
    submit(records, prefixes, context, stored) {
      if (closed) throw new Error('the render threads were closed');
      const share = Math.ceil(records.length / threads.length);
      const parts: Array<RenderTicket['parts'][number]> = [];
      for (let index = 0; index * share < records.length; index++) {
        const thread = threads[index] as Thread;
        const from = index * share;
        const job: RenderJob = {
          seq: ++thread.seq,
          records: records.slice(from, from + share),
          prefixes: [...prefixes],
          context,
          stored: stored.slice(from, from + share),
        };
        thread.worker.postMessage(job);
        parts.push({ thread: index, seq: job.seq, records: job.records.length, formats: prefixes.length });
      }
      return { parts };
    },
    collect(ticket) {
      return ticket.parts.flatMap((part) => {
        const answer = receive(part.thread);
        if ('error' in answer) throw new Error(`rendering in thread ${part.thread + 1} failed: ${answer.error}`);
        if (answer.seq !== part.seq) throw new Error(`render thread ${part.thread + 1} answered job ${answer.seq}, not ${part.seq}`);
        return unpackOutputs(answer.packed, part.records, part.formats);
      });
    },
    render(records, prefixes, context, stored) {
      return pool.collect(pool.submit(records, prefixes, context, stored));
    },
    close,
  };
  return pool;
}
