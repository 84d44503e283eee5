import { FORMATS } from '../../formats/registry.js';
import { describeProgress, describeRestamp, renderContext, syncFormatVersions } from '../../store/formats.js';
import { nextDatestamp } from '../../store/import.js';
import type { Command } from '../command.js';

/**
 * `render`: re-renders every record for the PUBLIC_URL and OAI_REPOSITORY_IDENTIFIER of its
 * environment, while the running server keeps serving, so that a server restarted with the new
 * settings finds the records ready and listens at once instead of re-rendering first.
 */
export const renderCommand: Command = {
  name: 'render',
  summary: "re-render every record for a new PUBLIC_URL before restarting the server with it",
  usage: 'render [--yes]',
  help: [
    'Compares the settings the records were rendered for with PUBLIC_URL and OAI_REPOSITORY_IDENTIFIER',
    'as this command sees them, and says what would change. With --yes it re-renders every record (each',
    'changed one gets a new datestamp, so harvesters fetch it again) in one transaction, while the running',
    'server keeps answering from the records as they were. Then restart the server with the same settings:',
    'it finds nothing to re-render and listens at once.',
    '',
    '  --yes   do it; without it, only say what it would do',
    '',
    'example: PUBLIC_URL=https://oai.example.org npm run admin -- render --yes',
  ],
  options: { yes: { type: 'boolean' } },
  positionals: { min: 0, max: 0 },
  run(ctx, values) {
    const stored = renderContext(ctx.db);
    const wanted = { publicUrl: ctx.config.publicUrl, repositoryIdentifier: ctx.config.repositoryIdentifier };
    const records = ctx.db.prepare<[], number>('SELECT count(*) FROM article').pluck().get() ?? 0;
    ctx.out(`records are rendered for PUBLIC_URL ${stored?.publicUrl ?? '(none yet)'} and identifier domain ${stored?.repositoryIdentifier ?? '(none yet)'}`);
    if (stored !== null && stored.publicUrl === wanted.publicUrl && stored.repositoryIdentifier === wanted.repositoryIdentifier) {
      ctx.out('these are the settings of this environment: nothing to re-render');
      return 0;
    }
    ctx.out(`this environment says PUBLIC_URL ${wanted.publicUrl} and identifier domain ${wanted.repositoryIdentifier}`);
    if (values['yes'] !== true) {
      ctx.out(`--yes re-renders all ${records} records for them, and gives the changed ones new datestamps`);
      return 0;
    }
    const now = ctx.now();
    const restamps = ctx.db.transaction(() =>
      syncFormatVersions(ctx.db, FORMATS.values(), wanted, (previous) => nextDatestamp(now, previous), (p) => ctx.out(describeProgress(p))),
    )();
    for (const r of restamps) ctx.out(describeRestamp(r));
    ctx.out('done: restart the server with these settings, and it listens at once');
    return 0;
  },
};
