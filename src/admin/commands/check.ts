import { qualityReport } from '../../store/quality.js';
import type { Command } from '../command.js';

/** `check`: the data-quality report; exit 1 when it finds problems, for cron jobs and CI. */
export const checkCommand: Command = {
  name: 'check',
  summary: 'report missing fields, wrong scripts, bad keywords and overlapping pages',
  usage: 'check [--json]',
  help: [
    'Reports, for every live article: a title, abstract or keywords missing in either language;',
    'Persian text with Arabic-only letters or Latin letters, English text with Arabic-script letters;',
    'empty or repeated keywords; page ranges that overlap within an issue.',
    'Then, per journal, how many live records lack ORCID iDs, affiliations, a licence or full text: what',
    'aggregators rank first. Those are not problems, since no source may have given them.',
    'Exits with 1 when it finds a problem (notes alone do not count), so cron and CI can use it.',
    '',
    '  --json   the findings as JSON',
  ],
  options: { json: { type: 'boolean' } },
  positionals: { min: 0, max: 0 },
  run(ctx, values) {
    const { findings, coverage } = qualityReport(ctx.db);
    const problems = findings.filter((f) => f.severity === 'problem');
    if (values['json'] === true) {
      ctx.out(JSON.stringify({ problems: problems.length, findings, coverage }, null, 2));
    } else {
      for (const f of findings) {
        ctx.out(`${f.severity === 'problem' ? 'problem' : 'note   '} ${f.id.padEnd(8)} ${f.field}${f.lang ? ` (${f.lang})` : ''}: ${f.message}`);
      }
      const notes = findings.length - problems.length;
      for (const c of coverage) {
        ctx.out(
          `journal ${c.journal}: ${c.records} live records; without ORCID iDs ${c.withoutOrcid.length}, without affiliations ${c.withoutAffiliation.length}, ` +
            `without a licence ${c.withoutLicense.length}, without full text ${c.withoutFullText.length}`,
        );
      }
      ctx.out(`${problems.length} problem${problems.length === 1 ? '' : 's'}, ${notes} note${notes === 1 ? '' : 's'}`);
    }
    return problems.length > 0 ? 1 : 0;
  },
};
