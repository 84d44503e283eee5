/**
 * A render thread's module (see render-pool.ts, whose bootstrap loads it): renders, compresses and
 * digests the records of each render job, or does an import's task (import-work.ts), answers on
 * its port, then wakes the main thread, which waits on the shared flag.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { FORMATS } from '../formats/registry.js';
import { packPrepared, prepareArticle, prepareLines, scanLines } from './import-work.js';
import { SIGNAL, type RenderAnswer, type RenderJob, type TaskJob, type TaskResults, type WorkerSetup } from './render-pool.js';
import { packOutputs, renderRecord } from './render-record.js';

const { port, signal } = workerData as WorkerSetup;
const flag = new Int32Array(signal);

function wake(): void {
  Atomics.add(flag, SIGNAL.answers, 1);
  Atomics.notify(flag, SIGNAL.answers);
}

function answer(message: RenderAnswer, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
  wake();
}

/** Progress tells a slow worker from a dead one. */
function progressed(): void {
  Atomics.add(flag, SIGNAL.progress, 1);
}

function render(job: RenderJob): void {
  const formats = job.prefixes.map((prefix) => {
    const format = FORMATS.get(prefix);
    if (format === undefined) throw new Error(`no metadata format ${prefix}`);
    return format;
  });
  const outputs = job.records.map((record, i) => {
    const rendered = renderRecord(record, formats, job.context, job.stored[i] ?? []);
    progressed();
    return rendered;
  });
  const packed = packOutputs(outputs);
  answer({ seq: job.seq, packed }, [packed.bytes, packed.table.buffer as ArrayBuffer]);
}

function task(job: TaskJob): void {
  let result: TaskResults[keyof TaskResults];
  let transfer: ArrayBuffer[] = [];
  if (job.kind === 'scan') {
    result = scanLines(job.source, job.lines);
  } else {
    const prepared =
      job.kind === 'prepare-lines'
        ? prepareLines(job.source, job.lines, job.checked)
        : {
            articles: job.patches.map((patch) => {
              const article = prepareArticle(patch);
              progressed();
              return article;
            }),
          };
    const packed = packPrepared(prepared);
    result = packed;
    transfer = [packed.bytes];
  }
  progressed();
  answer({ seq: job.seq, result }, transfer);
}

parentPort?.on('message', (job: RenderJob | TaskJob) => {
  try {
    if (job.kind === 'render') render(job);
    else task(job);
  } catch (error) {
    answer({ seq: job.seq, error: error instanceof Error ? error.message : String(error) });
  }
});
