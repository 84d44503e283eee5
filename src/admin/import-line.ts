import { parseJsonl } from '../ingest/jsonl.js';
import { importSource, type ImportSummary } from '../store/import.js';
import type { CommandContext } from './command.js';

/**
 * Applies one JSON Lines article, as a command builds it, through the import: a correction gets the
 * same schema check, normalization and datestamp rules as a file does. A JsonlError names `label`.
 */
export function importLine(ctx: CommandContext, line: Record<string, unknown>, name: string, label: string): ImportSummary {
  const batches = parseJsonl(JSON.stringify(line), label);
  return importSource(ctx.db, { name, format: 'jsonl', batches }, { now: ctx.now() });
}
