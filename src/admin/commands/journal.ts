import type { Db } from '../../store/open.js';
import { ACCESS_RIGHTS, JOURNAL_FIELDS, setJournalField } from '../../store/journal.js';
import { checkJournalCode, journalByCode, listJournals, upsertJournal, type JournalRef } from '../../store/write.js';
import { CommandError, UsageError, type Command, type CommandContext, type OptionValues } from '../command.js';

/**
 * The journal a command means: the one `--journal` names, else the store's only one. With several
 * journals and no `--journal`, the command could mean any of them, so it is refused.
 */
export function chooseJournal(db: Db, code: string | undefined): JournalRef {
  if (code !== undefined) {
    const journal = journalByCode(db, code);
    if (!journal) throw new CommandError(`no journal ${code}: the store holds ${listJournals(db).map((j) => j.code).join(', ') || 'none'}`);
    return journal;
  }
  const journals = listJournals(db);
  const [only] = journals;
  if (only === undefined) throw new CommandError('the store has no journal yet: start the server once to create it');
  if (journals.length > 1) throw new UsageError(`the store holds ${journals.length} journals (${journals.map((j) => j.code).join(', ')}): say which with --journal <code>`);
  return only;
}

/** The value an admin gives for a field, checked: access rights by word or URI, the rest as given. */
function checkedValue(field: string, value: string): string {
  const spec = JOURNAL_FIELDS[field];
  if (!spec) throw new UsageError(`unknown field "${field}": one of ${Object.keys(JOURNAL_FIELDS).join(', ')}`);
  const given = field === 'access-rights' ? (ACCESS_RIGHTS[value] ?? value) : value.trim();
  if (spec.check && !spec.check.test(given)) {
    throw new UsageError(`"${value}" is not a valid ${field}${field.startsWith('issn') ? ' (NNNN-NNNC, with the right check digit)' : ''}`);
  }
  return given;
}

function showFacts(ctx: CommandContext, journal: JournalRef): void {
  const row = ctx.db.prepare('SELECT * FROM journal WHERE id = ?').get(journal.id) as Record<string, unknown>;
  ctx.out(`${'code'.padEnd(14)} ${journal.code}${journal.original ? ' (the original journal: identifiers without its code, and the issue sets)' : ''}`);
  for (const [name, spec] of Object.entries(JOURNAL_FIELDS)) ctx.out(`${name.padEnd(14)} ${String(row[spec.column] ?? '—')}`);
}

function listAll(ctx: CommandContext): void {
  const counts = ctx.db.prepare<[], { code: string; issues: number; articles: number }>(
    `SELECT j.code, count(DISTINCT i.id) AS issues, count(a.id) AS articles
     FROM journal j LEFT JOIN issue i ON i.journal_id = j.id LEFT JOIN article a ON a.issue_id = i.id AND a.deleted = 0 GROUP BY j.id`,
  );
  const byCode = new Map(counts.all().map((c) => [c.code, c]));
  for (const j of listJournals(ctx.db)) {
    const c = byCode.get(j.code);
    ctx.out(`${j.code.padEnd(16)} ${String(c?.issues ?? 0).padStart(4)} issues ${String(c?.articles ?? 0).padStart(7)} articles  ${j.nameFa ?? '—'}${j.nameEn === null ? '' : ` / ${j.nameEn}`}`);
  }
}

function add(ctx: CommandContext, values: OptionValues, code: string | undefined): number {
  if (code === undefined) throw new UsageError('journal add takes the new journal\'s code');
  const problem = checkJournalCode(code);
  if (problem !== null) throw new UsageError(problem);
  if (journalByCode(ctx.db, code)) throw new CommandError(`journal ${code} is in the store already`);
  const facts = Object.fromEntries(
    Object.keys(JOURNAL_FIELDS).flatMap((field) => {
      const value = values[field];
      return typeof value === 'string' ? [[JOURNAL_FIELDS[field]?.column ?? field, checkedValue(field, value)]] : [];
    }),
  ) as Record<string, string | undefined>;
  if (facts['name_fa'] === undefined && facts['name_en'] === undefined) throw new UsageError('give the journal a name: --name-fa and/or --name-en');
  ctx.db.transaction(() =>
    upsertJournal(ctx.db, {
      code,
      nameFa: facts['name_fa'] ?? null,
      nameEn: facts['name_en'] ?? null,
      publisherFa: facts['publisher_fa'] ?? null,
      publisherEn: facts['publisher_en'] ?? null,
      issnPrint: facts['issn_print'] ?? null,
      issnOnline: facts['issn_online'] ?? null,
      website: facts['website'] ?? null,
      accessRights: facts['access_rights'] ?? null,
      license: facts['license'] ?? null,
    }),
  )();
  ctx.out(`journal ${code} added: set ${code}; import its issues with --journal ${code}`);
  return 0;
}

/**
 * `journal`: lists the journals, adds one, or shows or sets one journal's facts. The facts are
 * the ones a source confirms; one that metadata carries re-stamps that journal's records only.
 */
export const journalCommand: Command = {
  name: 'journal',
  summary: "list the journals, add one, or show or set a journal's facts (names, ISSNs, publisher, site, licence, access rights)",
  usage: 'journal [--journal <code>] [<field> <value> | <field> --clear] | journal list | journal add <code> --name-fa <name> [--<field> <value> …]',
  help: [
    `Fields: ${Object.keys(JOURNAL_FIELDS).join(', ')}.`,
    `access-rights takes ${Object.keys(ACCESS_RIGHTS).join(', ')} or a COAR access-right URI; license a URL; an ISSN must have the right check digit.`,
    'Only set what a source confirms. A fact that metadata carries gives every record of that journal a new',
    "datestamp, so harvesters fetch the change; other journals' records keep theirs.",
    'With one journal, --journal may be left out. A code is 2 to 16 lowercase ASCII letters and digits: it is the',
    "journal's set spec, and a journal added after the first has it at the front of its identifiers.",
    '',
    'Examples: journal access-rights open',
    '          journal add jir --name-fa "فصلنامه پژوهش‌های ایران" --issn-online 2345-6787',
    '          journal --journal jir name-en "Iran Research Quarterly"',
  ],
  options: {
    journal: { type: 'string' },
    clear: { type: 'boolean' },
    ...Object.fromEntries(Object.keys(JOURNAL_FIELDS).map((field) => [field, { type: 'string' as const }])),
  },
  positionals: { min: 0, max: 2 },
  run(ctx, values, [field, value]) {
    if (field === 'add') return add(ctx, values, value);
    const given = Object.keys(JOURNAL_FIELDS).find((f) => values[f] !== undefined);
    if (given !== undefined) throw new UsageError(`--${given} is for "journal add"; to set a fact: journal [--journal <code>] ${given} <value>`);
    const code = typeof values['journal'] === 'string' ? values['journal'] : undefined;
    if (field === 'list' || (field === undefined && code === undefined && listJournals(ctx.db).length > 1)) {
      listAll(ctx);
      return 0;
    }
    const journal = chooseJournal(ctx.db, code);
    if (field === undefined) {
      showFacts(ctx, journal);
      return 0;
    }
    const spec = JOURNAL_FIELDS[field];
    if (!spec) throw new UsageError(`unknown field "${field}": one of ${Object.keys(JOURNAL_FIELDS).join(', ')}`);
    const clear = values['clear'] === true;
    if (clear === (value !== undefined)) throw new UsageError(clear ? '--clear takes no value' : `give a value for ${field}, or --clear`);
    const restamped = setJournalField(ctx.db, journal.code, field, value === undefined ? null : checkedValue(field, value), ctx.now());
    ctx.out(restamped === null ? `${field} unchanged` : `${field} set${spec.rendered ? `; ${restamped} records re-stamped` : ''}`);
    return 0;
  },
};
