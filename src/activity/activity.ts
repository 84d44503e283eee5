import type { ActivityConfig } from '../config.js';
import type { Db } from '../store/open.js';
import { readActivity } from './read.js';
import { ActivityRecorder, type RecorderOptions } from './recorder.js';
import { buildReport, reportSince, type ActivityReport } from './report.js';
import { openActivityWritable } from './store.js';
import { ActivityWriter } from './write.js';

/** A server's harvest activity: the recorder its `/oai` requests feed, and the report of its file. */
export interface Activity {
  recorder: ActivityRecorder;
  /** The activity file, or `:memory:`. */
  file: string;
  retentionDays: number;
  /** The report of the last `days` days, with the requests not yet written included. */
  report(days: number): ActivityReport;
  /** Writes what is buffered and closes the file. */
  close(): void;
}

/**
 * Opens (or creates) the activity file and starts its recorder, and runs upkeep once: events
 * left from the last run are folded, days past the retention pruned. Throws what SQLite throws
 * when the file cannot be opened.
 */
export function openActivity(settings: ActivityConfig & { path: string }, options: RecorderOptions = {}): Activity {
  const db: Db = openActivityWritable(settings.path);
  const recorder = new ActivityRecorder(new ActivityWriter(db, settings.retentionDays), options);
  recorder.flush();
  return {
    recorder,
    file: settings.path,
    retentionDays: settings.retentionDays,
    report(days) {
      recorder.flush();
      const now = recorder.now();
      return buildReport([readActivity(db, reportSince(now, days))], { now, days, abandonedAfterSeconds: settings.abandonedAfterSeconds });
    },
    close() {
      recorder.close();
      db.close();
    },
  };
}
