import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { CommandError, type Command } from '../command.js';

/**
 * `snapshot`: a consistent, compacted copy of the store, for read-only replicas and for backups.
 * VACUUM INTO reads the store inside one read transaction, so the server and imports carry on
 * while it runs and the copy is one moment of the store. The copy is written beside its target
 * and renamed into place: a replica (re)opening the target sees the old file or the new one,
 * never half of one.
 */
export const snapshotCommand: Command = {
  name: 'snapshot',
  summary: 'write a consistent copy of the store, for read-only replicas or a backup',
  usage: 'snapshot <file>',
  help: [
    'Copies the store, while it is in use, into <file>, replacing it atomically. The copy keeps',
    'no write-ahead log, so replicas can open it on a read-only volume (DATABASE_READ_ONLY=1);',
    'send them SIGHUP to switch to it. Record ids and datestamps are kept, so resumption tokens',
    'issued on the old file stay valid on the new one.',
    '',
    'example: snapshot /srv/oai/snapshots/oai.sqlite',
  ],
  options: {},
  positionals: { min: 1, max: 1 },
  run(ctx, _values, [target = '']) {
    const file = path.resolve(target);
    if (file === path.resolve(ctx.config.databasePath)) throw new CommandError('the snapshot must not replace the store itself');
    const dir = path.dirname(file);
    if (!fs.existsSync(dir)) throw new CommandError(`no folder ${dir}`);
    const temporary = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
    fs.rmSync(temporary, { force: true });
    try {
      ctx.db.prepare('VACUUM INTO ?').run(temporary);
      const copy = new Database(temporary);
      try {
        copy.pragma('journal_mode = DELETE');
        const check = copy.pragma('quick_check', { simple: true });
        if (check !== 'ok') throw new CommandError(`the copy failed its check: ${String(check)}`);
        const records = copy.prepare<[], number>('SELECT count(*) FROM article').pluck().get() ?? 0;
        const deleted = copy.prepare<[], number>('SELECT count(*) FROM article WHERE deleted = 1').pluck().get() ?? 0;
        copy.close();
        // The bytes are on disk before the name points at them.
        const fd = fs.openSync(temporary, 'r');
        fs.fsyncSync(fd);
        fs.closeSync(fd);
        fs.renameSync(temporary, file);
        const mib = fs.statSync(file).size / 1048576;
        ctx.out(`wrote ${file}: ${records} records (${deleted} deleted), ${mib.toFixed(1)} MiB`);
      } finally {
        if (copy.open) copy.close();
      }
    } finally {
      fs.rmSync(temporary, { force: true });
    }
    return 0;
  },
};
