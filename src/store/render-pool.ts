/**
 * Worker threads that render, compress and digest metadata for renderFragments, and read and
 * normalize the articles of large imports (import-work.ts). Their callers stay synchronous: they
 * run inside better-sqlite3 transactions. So the main thread posts a job and, when it needs the
 * answer, sleeps on a shared flag (Atomics.wait) and takes the answer from a port
 * (receiveMessageOnPort), with no event loop turning.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { FormatContext } from '../formats/registry.js';
import type { ArticlePatch } from '../ingest/patch.js';
import type { ArticleRecord } from '../model.js';
import type { Lines, PackedPrepared, ScanResult } from './import-work.js';
import { unpackOutputs, type FormatOutput, type PackedOutputs, type StoredFragment } from './render-record.js';

/**
 * When and how renderFragments renders. Tests change these to exercise the workers on a small
 * store; nothing else should.
 */
export const renderSettings: {
  /** Records loaded, rendered and written per step: loading a batch costs a fixed number of queries. */
  batch: number;
  /**
   * Renders (records × formats) below which the work stays on the main thread: about four
   * thousand records in six formats. A thread costs more than its start (0.1 s and its memory):
   * it renders its first few hundred records at half speed, until its code is compiled, about a
   * second of CPU, which an import of a thousand records does not win back.
   */
  minRenders: number;
  /** Worker threads; undefined reads IMPORT_WORKERS. */
  workers: number | undefined;
  /**
   * Batches handed to the threads and not yet written, while the main thread goes on with its
   * own work (an import's rows): enough for the threads never to wait on it.
   */
  ahead: number;
} = { batch: 500, minRenders: 24_000, workers: undefined, ahead: 2 };

/** Slots of the flag a worker and the main thread share. */
export const SIGNAL = { answers: 0, exited: 1, exitCode: 2, progress: 3 } as const;

/** What a worker is started with. */
export interface WorkerSetup {
  port: MessagePort;
  signal: SharedArrayBuffer;
}

/** Records to render, each with what the store holds for it in each format. */
export interface RenderJob {
  kind: 'render';
  seq: number;
  records: ArticleRecord[];
  prefixes: string[];
  context: FormatContext;
  stored: Array<Array<StoredFragment | null>>;
}

/** Work for one thread of an import, besides rendering (import-work.ts). */
export type ImportTask =
  /** The first reading of a file's lines: their issues, and the first problem. */
  | { kind: 'scan'; source: string; lines: Lines }
  /** Lines read into articles made ready for the store; `checked`: lines a scan read already. */
  | { kind: 'prepare-lines'; source: string; lines: Lines; checked: boolean }
  /** Articles read already, made ready for the store. */
  | { kind: 'prepare-patches'; patches: ArticlePatch[] };

/** What each kind of task answers. */
export interface TaskResults {
  scan: ScanResult;
  'prepare-lines': PackedPrepared;
  'prepare-patches': PackedPrepared;
}

/** An import task as posted to a thread. */
export type TaskJob = ImportTask & { seq: number };

/** A worker's answer to a job. */
export type RenderAnswer = { seq: number; packed: PackedOutputs } | { seq: number; result: TaskResults[keyof TaskResults] } | { seq: number; error: string };

/** Jobs submitted together, collected in the order submitted. */
export interface RenderTicket {
  readonly parts: ReadonlyArray<{ thread: number; seq: number; records: number; formats: number }>;
}

/** A task handed to a thread, to collect its answer by. */
export interface TaskTicket<K extends ImportTask['kind']> {
  readonly kind: K;
  readonly thread: number;
  readonly seq: number;
}

/** A running pool; close it when done, or its threads outlive the work. */
export interface RenderPool {
  /** The number of threads. */
  readonly size: number;
  /** Hands records out to the threads and returns at once. */
  submit(records: readonly ArticleRecord[], prefixes: readonly string[], context: FormatContext, stored: ReadonlyArray<Array<StoredFragment | null>>): RenderTicket;
  /** Waits for a ticket's answers: per record, per format, in the order submitted. Throws when a thread failed. */
  collect(ticket: RenderTicket): FormatOutput[][];
  /** Submits and collects. */
  render(records: readonly ArticleRecord[], prefixes: readonly string[], context: FormatContext, stored: ReadonlyArray<Array<StoredFragment | null>>): FormatOutput[][];
  /** Hands a task to the thread with the least work waiting, and returns at once. */
  submitTask<T extends ImportTask>(task: T): TaskTicket<T['kind']>;
  /** Waits for a task's answer. Tickets may be collected in any order. Throws when the thread failed. */
  collectTask<K extends ImportTask['kind']>(ticket: TaskTicket<K>): TaskResults[K];
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
  /** Answers that came before the one waited for. */
  early: Map<number, RenderAnswer>;
  /** Jobs posted and not yet answered. */
  waiting: number;
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
    return { worker, port: port1, flag: new Int32Array(signal), seq: 0, early: new Map(), waiting: 0 };
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

  /** A thread's answer to job `seq`, waiting for it; a thread that could not start answers with seq 0. */
  const receive = (index: number, seq: number): RenderAnswer => {
    const thread = threads[index] as Thread;
    const early = thread.early.get(seq);
    if (early !== undefined) {
      thread.early.delete(seq);
      return early;
    }
    let progress = Atomics.load(thread.flag, SIGNAL.progress);
    let idle = 0;
    for (;;) {
      if (closed) throw new Error('the render threads were closed');
      // Read before looking at the port: an answer posted after the look changes it, so the wait
      // below returns at once.
      const seen = Atomics.load(thread.flag, SIGNAL.answers);
      const message = receiveMessageOnPort(thread.port);
      if (message !== undefined) {
        const answer = message.message as RenderAnswer;
        thread.waiting--;
        if (answer.seq === seq || answer.seq === 0) return answer;
        thread.early.set(answer.seq, answer);
        continue;
      }
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
    size: threads.length,
    submit(records, prefixes, context, stored) {
      if (closed) throw new Error('the render threads were closed');
      const share = Math.ceil(records.length / threads.length);
      const parts: Array<RenderTicket['parts'][number]> = [];
      for (let index = 0; index * share < records.length; index++) {
        const thread = threads[index] as Thread;
        const from = index * share;
        const job: RenderJob = {
          kind: 'render',
          seq: ++thread.seq,
          records: records.slice(from, from + share),
          prefixes: [...prefixes],
          context,
          stored: stored.slice(from, from + share),
        };
        thread.worker.postMessage(job);
        thread.waiting++;
        parts.push({ thread: index, seq: job.seq, records: job.records.length, formats: prefixes.length });
      }
      return { parts };
    },
    collect(ticket) {
      return ticket.parts.flatMap((part) => {
        const answer = receive(part.thread, part.seq);
        if ('error' in answer) throw new Error(`rendering in thread ${part.thread + 1} failed: ${answer.error}`);
        if (answer.seq !== part.seq || !('packed' in answer)) throw new Error(`render thread ${part.thread + 1} answered job ${answer.seq}, not ${part.seq}`);
        return unpackOutputs(answer.packed, part.records, part.formats);
      });
    },
    submitTask(task) {
      if (closed) throw new Error('the render threads were closed');
      // Answers already there are work done: taken now, so that the work still waiting decides.
      for (const thread of threads) {
        for (let message = receiveMessageOnPort(thread.port); message !== undefined; message = receiveMessageOnPort(thread.port)) {
          const answer = message.message as RenderAnswer;
          thread.waiting--;
          thread.early.set(answer.seq, answer);
        }
      }
      let index = 0;
      threads.forEach((thread, i) => {
        if (thread.waiting < (threads[index] as Thread).waiting) index = i;
      });
      const thread = threads[index] as Thread;
      const job: TaskJob = { ...task, seq: ++thread.seq };
      thread.worker.postMessage(job);
      thread.waiting++;
      return { kind: task.kind, thread: index, seq: job.seq };
    },
    collectTask<K extends ImportTask['kind']>(ticket: TaskTicket<K>): TaskResults[K] {
      const answer = receive(ticket.thread, ticket.seq);
      if ('error' in answer) throw new Error(`thread ${ticket.thread + 1} failed: ${answer.error}`);
      if (answer.seq !== ticket.seq || !('result' in answer)) throw new Error(`thread ${ticket.thread + 1} answered job ${answer.seq}, not ${ticket.seq}`);
      return answer.result as TaskResults[K];
    },
    render(records, prefixes, context, stored) {
      return pool.collect(pool.submit(records, prefixes, context, stored));
    },
    close,
  };
  return pool;
}
