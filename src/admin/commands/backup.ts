import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { CommandError, type Command, type CommandContext } from '../command.js';

/** Where a copy of the store may go: a new or replaceable file in an existing folder, not the store. */
export function copyTarget(ctx: CommandContext, target: string): { file: string; temporary: string } {
  const file = path.resolve(target);
  if (file === path.resolve(ctx.config.databasePath)) throw new CommandError('the copy must not replace the store itself');
  const dir = path.dirname(file);
  if (!fs.existsSync(dir)) throw new CommandError(`no folder ${dir}`);
  const temporary = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  fs.rmSync(temporary, { force: true });
  return { file, temporary };
}

/**
 * Checks a finished copy, makes it a plain rollback-journal file (no -wal beside it), puts its
 * bytes on disk, and renames it over the target: a reader sees the old file or the new one.
 */
export function publishCopy(ctx: CommandContext, temporary: string, file: string): void {
  const copy = new Database(temporary);
  let records: number;
  let deleted: number;
  try {
    copy.pragma('journal_mode = DELETE');
    const check = copy.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new CommandError(`the copy failed its check: ${String(check)}`);
    records = copy.prepare<[], number>('SELECT count(*) FROM article').pluck().get() ?? 0;
    deleted = copy.prepare<[], number>('SELECT count(*) FROM article WHERE deleted = 1').pluck().get() ?? 0;
  } finally {
    copy.close();
  }
  const fd = fs.openSync(temporary, 'r');
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  fs.renameSync(temporary, file);
  ctx.out(`wrote ${file}: ${records} records (${deleted} deleted), ${(fs.statSync(file).size / 1048576).toFixed(1)} MiB`);
}

/**
 * `backup`: a copy of the store through SQLite's online backup API, page by page, while the
 * server serves and imports write: writes between steps make it start over, so the copy is one
 * moment of the store. Unlike `snapshot` it does not compact the file.
 */
export const backupCommand: Command = {
  name: 'backup',
  summary: 'copy the store while it is in use, with SQLite’s online backup API',
  usage: 'backup <file>',
  help: [
    'Copies the store into <file> page by page while it is in use, checks the copy, and renames',
    'it into place. Restore by stopping the server and putting the copy at DATABASE_PATH.',
    '',
    'example: backup /var/backups/oai/oai-2026-11-27.sqlite',
  ],
  options: {},
  positionals: { min: 1, max: 1 },
  async run(ctx, _values, [target = '']) {
    const { file, temporary } = copyTarget(ctx, target);
    try {
      await ctx.db.backup(temporary);
      publishCopy(ctx, temporary, file);
    } finally {
      fs.rmSync(temporary, { force: true });
    }
    return 0;
  },
};
