import { reportLines } from '../../selfcheck/report-text.js';
import { DEFAULT_TIMEOUT_MS, runSelfCheck } from '../../selfcheck/run.js';
import { resolveTarget, TargetError } from '../../selfcheck/target.js';
import { UsageError, type Command } from '../command.js';

/** `selfcheck [URL]`: the checks validators and aggregators run, against the repository as the public reaches it. */
export const selfcheckCommand: Command = {
  name: 'selfcheck',
  summary: 'run the checks validators and harvesters run, over HTTP, against the public URL',
  usage: 'selfcheck [URL] [--json] [--timeout S]',
  help: [
    'Requests the OAI base URL as a harvester would, by default $PUBLIC_URL/oai (a site URL with no',
    "path gets /oai added), and checks: Identify's baseURL is that URL, the adminEmail and the",
    'repository identifier are no placeholders; every verb answers schema-valid XML and every format',
    'validates against its schema; whole harvests follow their tokens with a consistent cursor and',
    'completeListSize; from/until at both granularities; badArgument, badVerb, badResumptionToken and',
    'the other error codes; gzip; and up to 20 landing pages named by dc:identifier answer 200.',
    'Prints one line per finding (pass, WARNING or FAIL, with how to fix it). Exits 1 on any failure.',
    'JATS validation takes about ten seconds.',
    '',
    '  --json        the report as JSON',
    `  --timeout S   each request's time limit in seconds (default ${DEFAULT_TIMEOUT_MS / 1000})`,
    '',
    'example: selfcheck https://journal.example.org/oai',
  ],
  options: { json: { type: 'boolean' }, timeout: { type: 'string' } },
  positionals: { min: 0, max: 1 },
  async run(ctx, values, [given]) {
    let target: string;
    try {
      target = resolveTarget(given ?? ctx.config.baseUrl);
    } catch (error) {
      if (error instanceof TargetError) throw new UsageError(error.message);
      throw error;
    }
    const timeout = values['timeout'];
    if (timeout !== undefined && (typeof timeout !== 'string' || !/^\d+$/.test(timeout) || Number(timeout) < 1 || Number(timeout) > 600)) {
      throw new UsageError('--timeout takes a whole number of seconds, from 1 to 600');
    }
    if (values['json'] !== true) ctx.err(`checking ${target} …`);
    const report = await runSelfCheck(target, { timeoutMs: timeout === undefined ? DEFAULT_TIMEOUT_MS : Number(timeout) * 1000 });
    if (values['json'] === true) ctx.out(JSON.stringify(report, null, 2));
    else reportLines(report).forEach((line) => ctx.out(line));
    return report.counts.fail > 0 ? 1 : 0;
  },
};
