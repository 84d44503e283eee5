import fs from 'node:fs';
import path from 'node:path';
import { readActivity, type ActivityData } from '../../activity/read.js';
import { buildReport, DEFAULT_DAYS, reportSince } from '../../activity/report.js';
import { openActivityReadOnly } from '../../activity/store.js';
import { reportLines } from '../../activity/text.js';
import { describeStoreError, isStoreError } from '../../store/store-error.js';
import { CommandError, UsageError, type Command, type CommandContext } from '../command.js';

/** The files to read: those named, or the server's own. */
function activityFiles(ctx: CommandContext, named: string[]): string[] {
  if (named.length > 0) return named.map((f) => path.resolve(f));
  const own = ctx.config.activity.path;
  if (own === null) throw new CommandError('ACTIVITY_RECORDING is off, so the server keeps no activity file; name the files to read');
  if (own === ':memory:') throw new CommandError('the server keeps its activity in memory (DATABASE_PATH is :memory:): see its /activity page');
  return [own];
}

function read(file: string, since: number): ActivityData {
  if (!fs.existsSync(file)) throw new CommandError(`there is no activity file ${file}: the server has recorded no request there yet`);
  try {
    const db = openActivityReadOnly(file);
    try {
      return readActivity(db, since);
    } finally {
      db.close();
    }
  } catch (error) {
    if (isStoreError(error)) throw new CommandError(`cannot read the activity file ${file}: ${describeStoreError(error)}`);
    throw error;
  }
}

/** `activity`: the harvest activity report of `/activity`, from one activity file or several read together. */
export const activityCommand: Command = {
  name: 'activity',
  summary: 'report who harvests and how it goes (the /activity page), from one or several activity files',
  usage: 'activity [--days N] [--json] [file ...]',
  help: [
    'Per harvester (User-Agent and network): the last harvest, the formats and sets asked for, harvests',
    'started, finished and abandoned, incremental and full, OAI errors by code, 503s, broken connections',
    'and records sent; then requests and records sent per day.',
    'With no file, it reads the server\'s own activity file (ACTIVITY_PATH). Name several to read them',
    'together, such as the files of a primary and its replicas: their counts add up, and a harvest',
    'that went from one replica to another counts once.',
    '',
    `  --days N   the period, ending today (default ${DEFAULT_DAYS}; at most ACTIVITY_RETENTION_DAYS)`,
    '  --json     the report as JSON',
    '',
    'example: activity --days 7 /srv/activity/replica-*.sqlite',
  ],
  options: { days: { type: 'string' }, json: { type: 'boolean' } },
  positionals: { min: 0, max: 10_000 },
  run(ctx, values, positionals) {
    const retention = ctx.config.activity.retentionDays;
    const given = values['days'];
    if (given !== undefined && (typeof given !== 'string' || !/^\d+$/.test(given) || Number(given) < 1 || Number(given) > retention)) {
      throw new UsageError(`--days must be a whole number from 1 to ${retention} (ACTIVITY_RETENTION_DAYS)`);
    }
    const days = given === undefined ? Math.min(DEFAULT_DAYS, retention) : Number(given);
    const now = ctx.now().getTime();
    const since = reportSince(now, days);
    const sources = activityFiles(ctx, positionals).map((file) => read(file, since));
    const report = buildReport(sources, { now, days, abandonedAfterSeconds: ctx.config.activity.abandonedAfterSeconds });
    if (values['json'] === true) ctx.out(JSON.stringify(report, null, 2));
    else reportLines(report).forEach((line) => ctx.out(line));
    return 0;
  },
};
