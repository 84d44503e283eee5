import express from 'express';
import type { OaiContext } from '../oai/context.js';
import { articlePage } from './article-page.js';
import { html, page } from './html.js';

const HOME_LIST_LIMIT = 50;

/** The human-readable pages: a front page and each article's landing page. */
export function pagesRouter(ctx: OaiContext): express.Router {
  const router = express.Router();
  const { settings, repository } = ctx;

  router.get('/', (_req, res) => {
    const base = settings.baseUrl;
    const verbs = [
      'Identify',
      'ListMetadataFormats',
      'ListSets',
      'ListIdentifiers&metadataPrefix=oai_dc',
      'ListRecords&metadataPrefix=oai_dc',
    ];
    const first = repository.listHeaders({ from: null, until: null, set: null }, null, HOME_LIST_LIMIT);
    res.type('html').send(
      page(
        settings.repositoryName,
        html`<h1>${settings.repositoryName}</h1>
<p>OAI-PMH 2.0 base URL: <code>${base}</code></p>
<ul>${verbs.map((v) => html`<li><a href="${`${base}?verb=${v}`}">${v.replace('&', ' ')}</a></li>`)}</ul>
<h2>Articles</h2>
<ul>${first.items.map((h) => html`<li><a href="${`/articles/${encodeURIComponent(h.localId)}`}">${h.localId}</a>${h.deleted ? ' (withdrawn)' : ''}</li>`)}</ul>`,
      ),
    );
  });

  router.get('/articles/:id', (req, res) => {
    const record = repository.getRecord(req.params.id);
    if (!record) {
      res.status(404).type('html').send(page('Not found', html`<h1>No article has the id ${req.params.id}</h1>`));
      return;
    }
    res
      .status(record.deleted ? 410 : 200)
      .type('html')
      .send(articlePage(record, settings.repositoryIdentifier, settings.baseUrl));
  });
  return router;
}
