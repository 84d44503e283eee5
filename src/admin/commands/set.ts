import { JsonlError } from '../../ingest/errors.js';
import type { Author } from '../../model.js';
import { SqliteRepository } from '../../store/records.js';
import { importLine } from '../import-line.js';
import { CommandError, UsageError, type Command } from '../command.js';
import { differenceExcerpt } from './import.js';

/** The fields `set` corrects, and whether each needs --lang. */
const FIELDS: Record<string, { lang: boolean; describe: string }> = {
  title: { lang: true, describe: 'the title in one language' },
  abstract: { lang: true, describe: 'the abstract in one language' },
  keywords: { lang: true, describe: 'the keywords in one language, separated by "،" or ","' },
  doi: { lang: false, describe: 'the DOI, e.g. 10.1234/abc (without https://doi.org/)' },
  url: { lang: false, describe: "the article's page on the journal's site" },
  pages: { lang: false, describe: 'the page range, e.g. 7-37' },
  orcid: { lang: false, describe: 'the ORCID iD of the author --author N (1 for the first)' },
  license: { lang: false, describe: "the article's licence URL, overriding the journal's" },
  'access-rights': { lang: false, describe: 'open, embargoed, restricted or metadata-only (or a COAR URI)' },
  type: { lang: false, describe: 'research-article, review-article, editorial, letter, book-review, data-paper or journal-article' },
  received: { lang: false, describe: 'when the article was received, YYYY-MM-DD' },
  accepted: { lang: false, describe: 'when it was accepted, YYYY-MM-DD' },
};

/** The JSON Lines field each of the newer `set` fields is. */
const LINE_FIELD: Record<string, string> = { license: 'license', 'access-rights': 'accessRights', type: 'type', received: 'received', accepted: 'accepted' };

/** The article's authors as a JSON line gives them, with author n's ORCID iD set or cleared. */
function authorsWithOrcid(authors: readonly Author[], n: string, orcid: string | null): unknown[] {
  const index = /^[1-9]\d*$/.test(n) ? Number(n) - 1 : -1;
  if (authors[index] === undefined) throw new UsageError(`--author takes 1 to ${authors.length}, the author's place in the list`);
  return authors.map((a, i) => {
    const out: Record<string, unknown> = { corresponding: a.corresponding };
    if (a.nameFa !== null) out['fa'] = a.nameFa;
    if (a.nameEn !== null) out['en'] = a.nameEn;
    // The author corrected gets the value given, null to clear it; the others keep theirs.
    if (i === index) out['orcid'] = orcid;
    else if (typeof a.orcid === 'string') out['orcid'] = a.orcid;
    if (a.affiliations !== undefined) out['affiliations'] = a.affiliations.map((f) => ({ ...(f.nameFa === null ? {} : { fa: f.nameFa }), ...(f.nameEn === null ? {} : { en: f.nameEn }), ...(f.ror === null ? {} : { ror: f.ror }) }));
    return out;
  });
}

/**
 * `set <id> <field> <value>`: one correction, validated with the JSON Lines schema and applied
 * through the import, so it gets the same normalization and datestamp rules.
 */
export const setCommand: Command = {
  name: 'set',
  summary: 'correct one field of an article',
  usage: 'set <id> <field> [--lang fa|en] [--source <where it comes from>] <value>',
  help: [
    'Fields:',
    ...Object.entries(FIELDS).map(([name, f]) => `  ${name.padEnd(9)} ${f.describe}${f.lang ? ' (needs --lang)' : ''}`),
    '',
    '  --lang fa|en   the language of a title, abstract or keywords',
    '  --source TEXT  where a title comes from (a URL or citation); kept with it',
    '  --clear        empty the field instead of giving a value',
    '',
    'Example: set 58-7 title --lang en --source https://example.org/article/1 "Russia\'s Policy Towards Karabakh and Ukraine"',
  ],
  options: { lang: { type: 'string' }, source: { type: 'string' }, clear: { type: 'boolean' }, author: { type: 'string' } },
  positionals: { min: 2, max: 3 },
  run(ctx, values, [id = '', field = '', value]) {
    const spec = FIELDS[field];
    if (!spec) throw new UsageError(`unknown field "${field}": one of ${Object.keys(FIELDS).join(', ')}`);
    const lang = values['lang'];
    if (spec.lang && lang !== 'fa' && lang !== 'en') throw new UsageError(`${field} needs --lang fa or --lang en`);
    if (!spec.lang && lang !== undefined) throw new UsageError(`${field} has no language`);
    const clear = values['clear'] === true;
    if (clear === (value !== undefined)) throw new UsageError(clear ? '--clear takes no value' : `give a value for ${field}, or --clear`);
    if (clear && (field === 'pages' || field === 'keywords')) throw new UsageError(`${field} cannot be cleared`);
    const authorNumber = values['author'];
    if ((field === 'orcid') !== (authorNumber !== undefined)) throw new UsageError(field === 'orcid' ? 'orcid needs --author N' : '--author goes with orcid');
    if (values['source'] !== undefined && field !== 'title') throw new UsageError('--source goes with a title');

    const record = new SqliteRepository(ctx.db).getRecord(id);
    if (!record) throw new CommandError(`no article has the id "${id}"`);
    if (record.deleted) throw new CommandError(`${id} is withdrawn: restore it first`);

    const pages = record.pageStart === null ? null : `${record.pageStart}-${record.pageEnd ?? record.pageStart}`;
    const line: Record<string, unknown> = { id, issue: { number: record.issue.number }, pages };
    const given = clear ? null : (value ?? '');
    if (field === 'pages') line['pages'] = given;
    else if (field === 'doi' || field === 'url') line[field] = given;
    else if (field === 'keywords') line['keywords'] = { [lang as string]: (given ?? '').split(/[،,;؛]/).map((k) => k.trim()).filter((k) => k !== '') };
    else if (field === 'orcid') line['authors'] = authorsWithOrcid(record.authors, String(authorNumber), given);
    else if (LINE_FIELD[field] !== undefined) line[LINE_FIELD[field]] = given;
    else line[field] = { [lang as string]: given };
    if (values['source'] !== undefined) line['titleSource'] = { [lang as string]: values['source'] };

    let summary;
    try {
      summary = importLine(ctx, line, `set ${id} ${field}`, 'value');
    } catch (error) {
      if (error instanceof JsonlError) throw new CommandError(`${field}: «${value ?? ''}» ${error.detail}`);
      throw error;
    }
    const change = summary.changed.find((c) => c.id === id);
    if (!change) {
      ctx.out(`${id}: ${field}${lang ? ` (${lang})` : ''} unchanged: it already has that value`);
      return 0;
    }
    const after = new SqliteRepository(ctx.db).getRecord(id);
    ctx.out(`${id}: ${change.fields.join(', ')} changed; datestamp ${record.datestamp} → ${after?.datestamp ?? '?'}`);
    for (const n of summary.normalizations) {
      const [before, afterValue] = differenceExcerpt(n.before, n.after);
      ctx.out(`  normalized ${n.field}: ${n.rule}: «${before}» → «${afterValue}»`);
    }
    return 0;
  },
};
