import { ACCESS_RIGHTS, JOURNAL_FIELDS, setJournalField } from '../../store/journal.js';
import { UsageError, type Command } from '../command.js';

/** `journal [<field> <value>]`: show the journal's facts, or set one that a source confirms. */
export const journalCommand: Command = {
  name: 'journal',
  summary: "show or set the journal's facts (English name, ISSN, publisher, access rights, licence)",
  usage: 'journal [<field> <value> | <field> --clear]',
  help: [
    `Fields: ${Object.keys(JOURNAL_FIELDS).join(', ')}.`,
    `access-rights takes ${Object.keys(ACCESS_RIGHTS).join(', ')} or a COAR access-right URI; license a URL.`,
    'Only set what a source confirms. A fact that metadata carries gives every record a new datestamp,',
    'so harvesters fetch the change. Access rights also decide the openaire set and the oai_openaire format.',
    '',
    'Example: journal access-rights open',
  ],
  options: { clear: { type: 'boolean' } },
  positionals: { min: 0, max: 2 },
  run(ctx, values, [field, value]) {
    if (field === undefined) {
      const row = ctx.db.prepare('SELECT * FROM journal ORDER BY id LIMIT 1').get() as Record<string, unknown> | undefined;
      for (const [name, spec] of Object.entries(JOURNAL_FIELDS)) ctx.out(`${name.padEnd(14)} ${String(row?.[spec.column] ?? '—')}`);
      return 0;
    }
    const spec = JOURNAL_FIELDS[field];
    if (!spec) throw new UsageError(`unknown field "${field}": one of ${Object.keys(JOURNAL_FIELDS).join(', ')}`);
    const clear = values['clear'] === true;
    if (clear === (value !== undefined)) throw new UsageError(clear ? '--clear takes no value' : `give a value for ${field}, or --clear`);
    const given = field === 'access-rights' && value !== undefined ? (ACCESS_RIGHTS[value] ?? value) : (value?.trim() ?? null);
    if (given !== null && spec.check && !spec.check.test(given)) throw new UsageError(`"${value ?? ''}" is not a valid ${field}`);
    const restamped = setJournalField(ctx.db, field, given, ctx.now());
    ctx.out(restamped === null ? `${field} unchanged` : `${field} set${spec.rendered ? `; ${restamped} records re-stamped` : ''}`);
    return 0;
  },
};
