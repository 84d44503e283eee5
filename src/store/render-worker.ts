/**
 * A render thread's module (see render-pool.ts, whose bootstrap loads it): renders, compresses and
 * digests the records of each job, answers on its port, then wakes the main thread, which waits on
 * the shared flag.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { FORMATS } from '../formats/registry.js';
import { SIGNAL, type RenderAnswer, type RenderJob, type WorkerSetup } from './render-pool.js';
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

parentPort?.on('message', (job: RenderJob) => {
  try {
    const formats = job.prefixes.map((prefix) => {
      const format = FORMATS.get(prefix);
      if (format === undefined) throw new Error(`no metadata format ${prefix}`);
      return format;
    });
    const outputs = job.records.map((record, i) => {
      const rendered = renderRecord(record, formats, job.context, job.stored[i] ?? []);
      // Progress tells a slow worker from a dead one.
      Atomics.add(flag, SIGNAL.progress, 1);
      return rendered;
    });
    const packed = packOutputs(outputs);
    answer({ seq: job.seq, packed }, [packed.bytes, packed.table.buffer as ArrayBuffer]);
  } catch (error) {
    answer({ seq: job.seq, error: error instanceof Error ? error.message : String(error) });
  }
});
