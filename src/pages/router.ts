import express, { type Request } from 'express';
import type { AppContext } from '../context.js';
import { recordSignposts } from '../discovery/records.js';
import { landingLinks, linkHeader } from '../discovery/signposting.js';
import { parseAfterKey } from '../discovery/urls.js';
import { landingPageUrl } from '../formats/citation.js';
import { handleOai } from '../oai/handle.js';
import type { RecordKey } from '../oai/repository.js';
import { JOURNAL_CODE } from '../model.js';
import type { BrowseQuery } from '../store/browse.js';
import { articlePage } from './article-page.js';
import { articlesPage } from './articles-page.js';
import { dashboardPage } from './dashboard-page.js';
import { notFoundPage } from './error-pages.js';
import { explorePage } from './explore-page.js';
import { layoutFor } from './layout.js';
import { qualityPage } from './quality-page.js';

const PAGE_SIZE = 20;

function one(req: Request, name: string): string | null {
  const value = req.query[name];
  const text = Array.isArray(value) ? value[0] : value;
  return typeof text === 'string' && text.trim() !== '' ? text.trim() : null;
}

function browseQuery(req: Request): BrowseQuery {
  const issue = one(req, 'issue');
  const state = one(req, 'state');
  return {
    text: one(req, 'q'),
    set: one(req, 'set'),
    journal: JOURNAL_CODE.test(one(req, 'journal') ?? '') ? one(req, 'journal') : null,
    issue: issue !== null && /^\d+$/.test(issue) ? Number(issue) : null,
    state: state === 'live' || state === 'deleted' ? state : 'all',
  };
}

// The page's position travels as `after=<datestamp>_<id>`: keyset paging, as in the protocol.
function afterKey(req: Request): RecordKey | null {
  return parseAfterKey(one(req, 'after') ?? '');
}

/** The pages for people: dashboard, articles, landing pages, the explorer and the quality report. */
export function pagesRouter(ctx: AppContext): express.Router {
  const router = express.Router();
  const { settings } = ctx;
  const layout = (req: Request, res: express.Response) => layoutFor(req, res, settings);

  router.get('/', (req, res) => {
    const identify = handleOai(ctx, [['verb', 'Identify']]).body;
    if (identify.verb !== 'Identify') throw new Error('Identify failed');
    res.type('html').send(dashboardPage(layout(req, res), identify, ctx.browse.repositoryStats()));
  });

  router.get('/articles', (req, res) => {
    const query = browseQuery(req);
    const result = ctx.browse.browse(query, afterKey(req), PAGE_SIZE);
    const params = new URLSearchParams();
    if (query.text !== null) params.set('q', query.text);
    if (query.set !== null) params.set('set', query.set);
    if (query.journal !== null) params.set('journal', query.journal);
    if (query.issue !== null) params.set('issue', String(query.issue));
    if (query.state !== 'all') params.set('state', query.state);
    if (result.last !== null) params.set('after', `${result.last.datestamp}_${result.last.id}`);
    res.type('html').send(
      articlesPage(layout(req, res), { query, stats: ctx.browse.repositoryStats(), records: result.items, next: result.hasMore ? params.toString() : null }),
    );
  });

  router.get('/articles/:id', (req, res) => {
    const record = ctx.repository.getRecord(req.params.id);
    if (!record) {
      const l = layout(req, res);
      res.status(404).type('html').send(notFoundPage(l, l.t.errors.noArticle(req.params.id)));
      return;
    }
    // FAIR Signposting, level 1: the links go in the header too, so a HEAD request finds them. A
    // withdrawn record's page carries none.
    const signposts = record.deleted ? null : recordSignposts(ctx.discovery, record);
    if (signposts !== null) res.setHeader('Link', linkHeader(landingLinks(signposts, true)));
    const page = articlePage(record, {
      layout: layout(req, res),
      repositoryIdentifier: settings.repositoryIdentifier,
      formats: [...ctx.formats.values()],
      formatContext: { publicUrl: settings.publicUrl, repositoryIdentifier: settings.repositoryIdentifier },
      landingUrl: landingPageUrl(settings.publicUrl, record.localId),
      signposts,
    });
    res.status(record.deleted ? 410 : 200).type('html').send(page);
  });

  router.get('/explore', (req, res) => {
    // The form sends every field; an empty one is not an argument the user meant to give.
    const query = req.originalUrl.split('?').slice(1).join('?');
    const pairs = [...new URLSearchParams(query)].filter(([, v]) => v !== '');
    const response = pairs.length === 0 ? null : handleOai(ctx, pairs);
    // The sets to choose from: every one, since a repository has a few hundred at most.
    const sets = ctx.repository.listSets(null, 10_000).items.map((set) => ({ spec: set.spec, name: set.nameEn }));
    res.type('html').send(explorePage(layout(req, res), settings.publicUrl, { prefixes: [...ctx.formats.keys()], sets }, pairs, response));
  });

  router.get('/quality', (req, res) => {
    const { findings, coverage } = ctx.quality();
    res.type('html').send(qualityPage(layout(req, res), findings, coverage));
  });
  return router;
}
