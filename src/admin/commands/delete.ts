import { FORMATS } from '../../formats/registry.js';
import { renderFragments } from '../../store/formats.js';
import { nextDatestamp } from '../../store/import.js';
import { SqliteRepository } from '../../store/records.js';
import { setDeleted } from '../../store/write.js';
import { CommandError, type Command, type CommandContext } from '../command.js';

function toggle(ctx: CommandContext, id: string, deleted: boolean): number {
  const record = new SqliteRepository(ctx.db).getRecord(id);
  if (!record) throw new CommandError(`no article has the id "${id}"`);
  if (record.deleted === deleted) throw new CommandError(`${id} is already ${deleted ? 'withdrawn' : 'live'}`);
  const datestamp = nextDatestamp(ctx.now(), record.datestamp);
  ctx.db.transaction(() => {
    setDeleted(ctx.db, id, deleted, datestamp);
    renderFragments(ctx.db, FORMATS.values(), [id]);
  })();
  ctx.out(`${id} ${deleted ? 'withdrawn: harvesters now see a deleted header' : 'restored'}, datestamp ${datestamp}`);
  return 0;
}

/** `delete <id>`: withdraw an article; it stays as a tombstone for ever. */
export const deleteCommand: Command = {
  name: 'delete',
  summary: 'withdraw an article (it stays as a deleted record)',
  usage: 'delete <id>',
  help: [
    'The record is kept. GetRecord and the lists show it as <header status="deleted"> with the',
    'datestamp of the deletion, for ever (deletedRecord is persistent). `restore` undoes it.',
  ],
  options: {},
  positionals: { min: 1, max: 1 },
  run: (ctx, _values, [id = '']) => toggle(ctx, id, true),
};

/** `restore <id>`: undo a delete. */
export const restoreCommand: Command = {
  name: 'restore',
  summary: 'undo a delete',
  usage: 'restore <id>',
  help: ['The record is served with its metadata again, under a new datestamp.'],
  options: {},
  positionals: { min: 1, max: 1 },
  run: (ctx, _values, [id = '']) => toggle(ctx, id, false),
};
