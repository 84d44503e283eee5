import fs from 'node:fs';
import type { Command } from '../command.js';
import { copyTarget, publishCopy } from './backup.js';

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
    const { file, temporary } = copyTarget(ctx, target);
    try {
      ctx.db.prepare('VACUUM INTO ?').run(temporary);
      publishCopy(ctx, temporary, file);
    } finally {
      fs.rmSync(temporary, { force: true });
    }
    return 0;
  },
};
