import { CSV_COLUMNS } from '../../ingest/csv.js';
import { openSource } from '../../ingest/read-source.js';
import { compactIfSparse } from '../../store/compact.js';
import { importSource, type ImportSummary } from '../../store/import.js';
import type { Command, CommandContext } from '../command.js';

const MAX_SHOWN = 60;

/** The two values around where they first differ, so a change at the end of a long abstract shows. */
export function differenceExcerpt(before: string, after: string, width = 50): [string, string] {
  let at = 0;
  while (at < before.length && at < after.length && before[at] === after[at]) at++;
  const start = Math.max(0, at - Math.floor(width / 2));
  const cut = (s: string) => `${start > 0 ? '…' : ''}${s.slice(start, start + width)}${start + width < s.length ? '…' : ''}`;
  return [cut(before), cut(after)];
}

function listed(ids: readonly string[]): string {
  return ids.length > MAX_SHOWN ? `${ids.slice(0, MAX_SHOWN).join(' ')} … and ${ids.length - MAX_SHOWN} more` : ids.join(' ');
}

/** Prints an import summary the way docs/data-and-import.md describes it. */
export function printSummary(ctx: CommandContext, summary: ImportSummary, dryRun: boolean): void {
  const counts = `${summary.added.length} added, ${summary.changed.length} changed, ${summary.unchanged.length} unchanged, ${summary.deleted.length} deleted`;
  ctx.out(`${dryRun ? 'dry run, nothing written: ' : ''}${summary.source}: ${counts}`);
  for (const code of summary.journalsAdded) ctx.out(`journal added: ${code} (set ${code}), with the facts the file states`);
  if (summary.added.length > 0) ctx.out(`added: ${listed(summary.added)}`);
  for (const c of summary.changed.slice(0, MAX_SHOWN)) ctx.out(`changed: ${c.id} (${c.fields.join(', ')})`);
  if (summary.changed.length > MAX_SHOWN) ctx.out(`changed: … and ${summary.changed.length - MAX_SHOWN} more`);
  if (summary.missing.length > 0) {
    ctx.out(`not in the file, kept: ${listed(summary.missing)} (--delete-missing withdraws them)`);
  }
  if (summary.deleted.length > 0) ctx.out(`withdrawn: ${listed(summary.deleted)}`);
  if (summary.withdrawn.length > 0) ctx.out(`withdrawn in the store, left as they are: ${listed(summary.withdrawn)} (restore them first)`);
  if (summary.normalized > 0) {
    ctx.out(`normalized ${summary.normalized} value${summary.normalized === 1 ? '' : 's'}:`);
    for (const n of summary.normalizations.slice(0, MAX_SHOWN)) {
      const [before, after] = differenceExcerpt(n.before, n.after);
      ctx.out(`  ${n.id} ${n.field}: ${n.rule}: «${before}» → «${after}»`);
    }
    if (summary.normalized > MAX_SHOWN) ctx.out(`  … and ${summary.normalized - MAX_SHOWN} more`);
  }
}

/** `import <file | folder>`: a table of contents, a sheet, JSON Lines or JATS files into the store, in one transaction. */
export const importCommand: Command = {
  name: 'import',
  summary: 'import a table of contents (.txt), a spreadsheet (.csv), JSON Lines (.jsonl), or JATS XML (.xml, or a folder of them)',
  usage: 'import <file | folder> [--journal <code>] [--dry-run] [--delete-missing] [--json]',
  help: [
    'Adds new articles, updates changed ones (and only their datestamps move), leaves unchanged ones alone.',
    'A field the file does not give (the titles of a table of contents without them) is left as stored.',
    'The whole file is one transaction: any error leaves the store exactly as it was. JSON Lines files of any',
    'size are read as they are imported: every line is checked before the first is written.',
    '',
    '  --journal <code>  the journal the file is for; needed when the store holds several and the file does not',
    '                    say (a table of contents is matched by the journal name it prints). A table of',
    '                    contents of a journal the store does not hold yet adds it, named from its header.',
    '  --dry-run         show what would change, write nothing',
    '  --delete-missing  withdraw stored articles of the issue that a table of contents no longer lists',
    '  --json            print the summary as JSON',
    '',
    `A spreadsheet has a header row; its columns: ${CSV_COLUMNS.map((c) => c.name).join(', ')}.`,
    'Lists (keywords, authors) are separated by ";"; a "*" marks the corresponding author.',
    '',
    'A JATS file holds one article; a folder is read as JATS files (*.xml), in name order. Its journal-meta',
    'names the journal, which is added with the facts it states when the store does not hold it yet.',
  ],
  options: {
    journal: { type: 'string' },
    'dry-run': { type: 'boolean' },
    'delete-missing': { type: 'boolean' },
    json: { type: 'boolean' },
  },
  positionals: { min: 1, max: 1 },
  run(ctx, values, [file]) {
    // JSON Lines is read as it is imported, in bounded memory; other files are read whole here.
    const source = openSource(file ?? '', { repositoryIdentifier: ctx.config.repositoryIdentifier, publicUrl: ctx.config.publicUrl });
    const dryRun = values['dry-run'] === true;
    const journal = typeof values['journal'] === 'string' ? values['journal'] : undefined;
    // Said once the file is read and checked, before the write starts: an import killed after
    // this line leaves the store as it was.
    const onRead = values['json'] === true ? undefined : (count: number) => ctx.out(`importing ${count} article${count === 1 ? '' : 's'} from ${source.name}…`);
    const summary = importSource(ctx.db, source, { now: ctx.now(), dryRun, deleteMissing: values['delete-missing'] === true, journal, onRead });
    const compacted = dryRun ? null : compactIfSparse(ctx.db);
    if (values['json'] === true) ctx.out(JSON.stringify({ dryRun, ...summary, compactedBytes: compacted?.freedBytes ?? 0 }, null, 2));
    else {
      printSummary(ctx, summary, dryRun);
      if (compacted !== null) ctx.out(`compacted the store: ${(compacted.freedBytes / 1048576).toFixed(1)} MiB of free pages returned`);
    }
    return 0;
  },
};
