import type { RequestEvent } from './event.js';

/** Where the recorder's batches go, and its upkeep. */
export interface ActivitySink {
  write(events: readonly RequestEvent[]): void;
  /** Folds old events and prunes old days; called about once an hour. */
  maintain(now: number): void;
}

/** How the recorder batches. */
export interface RecorderOptions {
  /** A batch this large is written at the next turn of the event loop. */
  batchSize?: number;
  /** A smaller batch waits at most this long. */
  intervalMs?: number;
  /** How often upkeep runs. */
  maintenanceMs?: number;
  /** Events held at most between two writes (a flood between two turns of the loop); more are dropped and counted. */
  bufferLimit?: number;
  now?: () => number;
  onError?: (error: unknown) => void;
}

/**
 * Keeps request events in memory and writes them in batches, off the request path: a response
 * only pushes a small object onto an array when it closes. A batch is written, in one
 * transaction, at the next turn of the event loop once it holds `batchSize` events, or after
 * `intervalMs` otherwise, so a harvest's pages never wait on the activity file.
 */
export class ActivityRecorder {
  readonly now: () => number;
  #buffer: RequestEvent[] = [];
  #timer: NodeJS.Timeout | null = null;
  #immediate: NodeJS.Immediate | null = null;
  readonly #upkeep: NodeJS.Timeout;
  #lastMaintenance = Number.NEGATIVE_INFINITY;
  #closed = false;
  /** Events lost: the buffer was full, or their batch could not be written. */
  dropped = 0;
  readonly #options: Required<Omit<RecorderOptions, 'now'>>;

  constructor(
    private readonly sink: ActivitySink,
    options: RecorderOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.#options = {
      batchSize: options.batchSize ?? 500,
      intervalMs: options.intervalMs ?? 1000,
      maintenanceMs: options.maintenanceMs ?? 3_600_000,
      bufferLimit: options.bufferLimit ?? 100_000,
      onError: options.onError ?? (() => {}),
    };
    // Upkeep runs on an idle server too; the timer never keeps the process alive.
    this.#upkeep = setInterval(() => this.flush(), this.#options.maintenanceMs).unref();
  }

  /** Takes one event; never throws, never writes. */
  record(event: RequestEvent): void {
    if (this.#closed) return;
    if (this.#buffer.length >= this.#options.bufferLimit) {
      this.dropped++;
      return;
    }
    this.#buffer.push(event);
    if (this.#buffer.length >= this.#options.batchSize) {
      this.#immediate ??= setImmediate(() => this.flush());
    } else if (this.#timer === null) {
      this.#timer = setTimeout(() => this.flush(), this.#options.intervalMs).unref();
    }
  }

  /** Events waiting for the next write. */
  get pending(): number {
    return this.#buffer.length;
  }

  /**
   * Writes what is buffered now, in one transaction, and runs upkeep when it is due. A batch that
   * cannot be written (a full disk) is dropped and counted: activity is worth less than the
   * memory it would hold, and the protocol store is not touched either way.
   */
  flush(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    if (this.#immediate !== null) clearImmediate(this.#immediate);
    this.#timer = null;
    this.#immediate = null;
    const events = this.#buffer;
    this.#buffer = [];
    try {
      if (events.length > 0) this.sink.write(events);
    } catch (error) {
      this.dropped += events.length;
      this.#options.onError(error);
    }
    const now = this.now();
    // Either way: a clock set back must not hold upkeep off until it catches up.
    if (Math.abs(now - this.#lastMaintenance) < this.#options.maintenanceMs) return;
    this.#lastMaintenance = now;
    try {
      this.sink.maintain(now);
    } catch (error) {
      this.#options.onError(error);
    }
  }

  /** Writes what is left and stops: no event is taken after. */
  close(): void {
    clearInterval(this.#upkeep);
    this.flush();
    this.#closed = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
