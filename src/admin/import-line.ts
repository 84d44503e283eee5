import { parseJsonl } from '../ingest/jsonl.js';
import { importSource, type ImportSummary } from '../store/import.js';
import type { CommandContext } from './command.js';

/**
 * Applies one JSON Lines article, as a command builds it, through the import: a correction gets the
 * same schema check, normalization and datestamp rules as a file does. A JsonlError names `label`.
 */
export function importLine(ctx: CommandContext, line: Record<string, unknown>, name: string, label: string): ImportSummary {
  const batches = parseJsonl(JSON.stringify(line), label);
  // The article's own journal: a line names an article, which belongs to exactly one.
  const journal =
    typeof line['id'] === 'string'
      ? ctx.db
          .prepare<[string], string>('SELECT j.code FROM article a JOIN issue i ON i.id = a.issue_id JOIN journal j ON j.id = i.journal_id WHERE a.local_id = ?')
          .pluck()
          .get(line['id'])
      : undefined;
  return importSource(ctx.db, { name, format: 'jsonl', batches }, { now: ctx.now(), journal });
}
