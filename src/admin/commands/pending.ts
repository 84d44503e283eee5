import { JOURNAL_FIELDS, setJournalField } from '../../store/journal.js';
import { listJournals } from '../../store/write.js';
import type { Db } from '../../store/open.js';
import { importLine } from '../import-line.js';
import { CommandError, UsageError, type Command, type CommandContext } from '../command.js';

interface PendingRow {
  id: number;
  subject: string;
  field: string;
  lang: 'fa' | 'en' | null;
  value: string;
  source: string;
  status: string;
}

const ARTICLE = /^issue (\d+) pages (\d+)-(\d+)$/;
const ISSUE = /^issue (\d+)$/;
function pendingFacts(db: Db): PendingRow[] {
  return db.prepare<[], PendingRow>('SELECT * FROM pending_fact ORDER BY id').all();
}

/** `pending`: facts a source suggests but nobody confirmed; none of them is served. */
export const pendingCommand: Command = {
  name: 'pending',
  summary: 'list the facts that wait for an admin to confirm them',
  usage: 'pending',
  help: ['Probable or inferred facts (a title from a secondary source, the volume number) are kept', 'here and never served until `confirm <n>` applies one.'],
  options: {},
  positionals: { min: 0, max: 0 },
  run(ctx) {
    const facts = pendingFacts(ctx.db);
    for (const f of facts) {
      ctx.out(`${String(f.id).padStart(3)}  ${f.status.padEnd(10)} ${f.subject}: ${f.field}${f.lang ? ` (${f.lang})` : ''} = «${f.value}»`);
      ctx.out(`     source: ${f.source}`);
    }
    ctx.out(`${facts.length} pending fact${facts.length === 1 ? '' : 's'}`);
    return 0;
  },
};

function confirmArticleFact(ctx: CommandContext, fact: PendingRow, m: RegExpExecArray): string {
  if (fact.field !== 'title' || fact.lang === null) throw new CommandError(`cannot confirm the article field "${fact.field}"`);
  const row = ctx.db
    .prepare<[number, number, number], { local_id: string }>(
      `SELECT a.local_id FROM article a JOIN issue i ON i.id = a.issue_id JOIN journal j ON j.id = i.journal_id
       WHERE j.original = 1 AND i.number = ? AND a.page_start = ? AND a.page_end = ?`,
    )
    .get(Number(m[1]), Number(m[2]), Number(m[3]));
  if (!row) throw new CommandError(`no article matches "${fact.subject}"`);
  const line = {
    id: row.local_id,
    issue: { number: Number(m[1]) },
    pages: `${m[2]}-${m[3]}`,
    title: { [fact.lang]: fact.value },
    titleSource: { [fact.lang]: fact.source },
  };
  const summary = importLine(ctx, line, `confirm ${fact.id}`, 'fact');
  return summary.changed.length > 0 ? `${row.local_id}: title (${fact.lang}) set` : `${row.local_id}: already has that title`;
}

function confirmIssueFact(ctx: CommandContext, fact: PendingRow, m: RegExpExecArray): string {
  if (fact.field !== 'volume' || !/^\d+$/.test(fact.value)) throw new CommandError(`cannot confirm the issue field "${fact.field}"`);
  const first = ctx.db
    .prepare<[number], { local_id: string; page_start: number; page_end: number }>(
      // Pending facts come from the seed: they are about the original journal.
      `SELECT a.local_id, a.page_start, a.page_end FROM article a JOIN issue i ON i.id = a.issue_id JOIN journal j ON j.id = i.journal_id
       WHERE j.original = 1 AND i.number = ? ORDER BY a.page_start LIMIT 1`,
    )
    .get(Number(m[1]));
  if (!first) throw new CommandError(`issue ${m[1]} has no articles`);
  // An issue fact travels on one of its articles; the import moves every record of the issue.
  const pages = first.page_start === 0 ? null : `${first.page_start}-${first.page_end}`;
  const line = { id: first.local_id, issue: { number: Number(m[1]), volume: Number(fact.value) }, pages };
  const summary = importLine(ctx, line, `confirm ${fact.id}`, 'fact');
  return `issue ${m[1]}: volume ${fact.value}; ${summary.changed.length} records re-stamped`;
}

function confirmJournalFact(ctx: CommandContext, fact: PendingRow): string {
  const field = fact.lang === null ? fact.field : `${fact.field}-${fact.lang}`;
  if (!JOURNAL_FIELDS[field]) throw new CommandError(`cannot confirm the journal field "${field}"`);
  const original = listJournals(ctx.db).find((j) => j.original);
  if (!original) throw new CommandError('the store has no journal');
  const restamped = setJournalField(ctx.db, original.code, field, fact.value, ctx.now());
  return `journal: ${field} set${restamped ? `; ${restamped} records re-stamped` : ''}`;
}

/** `confirm <n>`: an admin vouches for a pending fact; it is applied with its source and served. */
export const confirmCommand: Command = {
  name: 'confirm',
  summary: 'apply a pending fact after checking it',
  usage: 'confirm <n>',
  help: ['<n> is the number `pending` shows. The fact is applied (with its source, for a title), the', 'records it changes get new datestamps, and it leaves the pending list.'],
  options: {},
  positionals: { min: 1, max: 1 },
  run(ctx, _values, [n = '']) {
    if (!/^\d+$/.test(n)) throw new UsageError('confirm takes the number that `pending` shows');
    const fact = pendingFacts(ctx.db).find((f) => f.id === Number(n));
    if (!fact) throw new CommandError(`no pending fact number ${n}`);
    const message = ctx.db.transaction(() => {
      const article = ARTICLE.exec(fact.subject);
      const issue = ISSUE.exec(fact.subject);
      const done = article
        ? confirmArticleFact(ctx, fact, article)
        : issue
          ? confirmIssueFact(ctx, fact, issue)
          : fact.subject === 'journal'
            ? confirmJournalFact(ctx, fact)
            : null;
      if (done === null) throw new CommandError(`cannot confirm a fact about "${fact.subject}"`);
      ctx.db.prepare('DELETE FROM pending_fact WHERE id = ?').run(fact.id);
      return done;
    })();
    ctx.out(message);
    return 0;
  },
};
