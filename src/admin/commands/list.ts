import { issueCitation } from '../../formats/citation.js';
import type { ArticleRecord, Lang } from '../../model.js';
import { toOaiIdentifier } from '../../oai/identifiers.js';
import { SqliteRepository } from '../../store/records.js';
import { CommandError, UsageError, type Command } from '../command.js';
import { chooseJournal } from './journal.js';

/** `list`: one line per article. */
export const listCommand: Command = {
  name: 'list',
  summary: 'list the articles: id, datestamp, state, pages, titles',
  usage: 'list [--journal <code>] [--issue <n>] [--deleted] [--json]',
  help: [
    '  --journal C  only journal C',
    '  --issue N    only issue N (of every journal, unless --journal says which)',
    '  --deleted    only withdrawn articles',
    '  --json       one JSON object per article',
  ],
  options: { journal: { type: 'string' }, issue: { type: 'string' }, deleted: { type: 'boolean' }, json: { type: 'boolean' } },
  positionals: { min: 0, max: 0 },
  run(ctx, values) {
    const issue = values['issue'];
    if (issue !== undefined && !/^\d+$/.test(String(issue))) throw new UsageError('--issue takes an issue number');
    const journal = typeof values['journal'] === 'string' ? chooseJournal(ctx.db, values['journal']).id : null;
    const rows = ctx.db
      .prepare<{ issue: number | null; journal: number | null; deleted: number }, { local_id: string }>(
        `SELECT a.local_id FROM article a JOIN issue i ON i.id = a.issue_id
         WHERE (@journal IS NULL OR i.journal_id = @journal) AND (@issue IS NULL OR i.number = @issue) AND (@deleted = 0 OR a.deleted = 1)
         ORDER BY i.journal_id, i.number, a.page_start, a.local_id`,
      )
      .all({ issue: issue === undefined ? null : Number(issue), journal, deleted: values['deleted'] === true ? 1 : 0 });
    const repository = new SqliteRepository(ctx.db);
    for (const r of repository.getRecords(rows.map((row) => row.local_id))) {
      const id = r.localId;
      if (values['json'] === true) {
        ctx.out(JSON.stringify({ id, journal: r.journal.code, datestamp: r.datestamp, deleted: r.deleted, pages: pagesText(r), title: { fa: r.text.fa.title, en: r.text.en.title } }));
        continue;
      }
      const title = r.text.en.title ?? r.text.fa.title ?? '(no title)';
      ctx.out(`${id.padEnd(8)} ${r.datestamp} ${r.deleted ? 'deleted' : 'live   '} ${(pagesText(r) ?? '—').padEnd(8)} ${title}`);
    }
    if (values['json'] !== true) ctx.out(`${rows.length} article${rows.length === 1 ? '' : 's'}`);
    return 0;
  },
};

/** `7-37`, or null when the pages are not known. */
function pagesText(r: ArticleRecord): string | null {
  return r.pageStart === null ? null : `${r.pageStart}-${r.pageEnd ?? r.pageStart}`;
}

function describe(r: ArticleRecord, oaiId: string): string[] {
  const volume = r.issue.volume === null ? '' : `, volume ${r.issue.volume}${r.issue.numberInVolume === null ? '' : ` number ${r.issue.numberInVolume}`}`;
  const lines = [
    `id            ${r.localId}`,
    `OAI id        ${oaiId}`,
    `journal       ${r.journal.code} (${r.journal.nameFa ?? r.journal.nameEn ?? '—'})`,
    `datestamp     ${r.datestamp}${r.deleted ? ' (withdrawn)' : ''}`,
    `issue         ${r.issue.number}${volume} (${r.issue.seasonEn ?? ''} ${r.issue.yearSolar ?? ''}; ${r.issue.dateSolar ?? ''} = ${r.issue.datePublished ?? ''})`,
    `pages         ${pagesText(r) ?? 'not known'}`,
    `doi           ${r.doi ?? '—'}`,
    `url           ${r.landingUrl ?? '—'}`,
    `sets          ${r.setSpecs.join(' ')}`,
  ];
  for (const lang of ['fa', 'en'] as Lang[]) {
    const t = r.text[lang];
    lines.push(
      '',
      `[${lang}]`,
      `title         ${t.title ?? '—'}${t.titleSource ? `  (source: ${t.titleSource})` : ''}`,
      `authors       ${r.authors.map((a) => `${(lang === 'fa' ? a.nameFa : a.nameEn) ?? '—'}${a.corresponding ? '*' : ''}`).join(lang === 'fa' ? '، ' : ', ')}`,
      `keywords      ${r.keywords[lang].join(lang === 'fa' ? '، ' : ', ') || '—'}`,
      `citation      ${issueCitation(r, lang) ?? '—'}`,
      `abstract      ${t.abstract ?? '—'}`,
    );
  }
  return lines;
}

/** `show <id>`: every field of one article, both languages. */
export const showCommand: Command = {
  name: 'show',
  summary: 'show every field of one article',
  usage: 'show <id> [--json]',
  help: ['  --json   the stored record as JSON'],
  options: { json: { type: 'boolean' } },
  positionals: { min: 1, max: 1 },
  run(ctx, values, [id = '']) {
    const r = new SqliteRepository(ctx.db).getRecord(id);
    if (!r) throw new CommandError(`no article has the id "${id}"`);
    const oaiId = toOaiIdentifier(ctx.config.repositoryIdentifier, id);
    if (values['json'] === true) ctx.out(JSON.stringify({ oaiIdentifier: oaiId, ...r }, null, 2));
    else describe(r, oaiId).forEach((l) => ctx.out(l));
    return 0;
  },
};
