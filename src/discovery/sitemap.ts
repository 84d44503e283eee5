import { concat, mapLazily } from '../iterate.js';
import { plainReply, XML_TYPE, type Reply } from './reply.js';
import type { DiscoveryContext } from './context.js';
import { byChunks } from './repository.js';
import { closeDocument, entry, ENTRIES_PER_DOCUMENT, openDocument } from './sitemap-xml.js';
import { SITEMAP_PATH, type SiteUrls } from './urls.js';

// Sitemaps (sitemaps.org 0.9) for crawlers such as Google Scholar's, which asks for one landing page
// per article, found through a sitemap. The index lists parts of ENTRIES_PER_DOCUMENT record row
// ids each, read by key: a part's URL keeps its meaning however the store grows.

/**
 * `/robots.txt`: crawlers may read the landing pages, and are kept off the endless URLs: the
 * protocol, the explorer, and the article browser's searches and pages.
 */
export function robotsTxt(urls: SiteUrls): string {
  return [
    'User-agent: *',
    'Disallow: /oai',
    'Disallow: /explore',
    'Disallow: /articles?',
    'Allow: /articles/',
    '',
    `Sitemap: ${urls.at(SITEMAP_PATH)}`,
    '',
  ].join('\n');
}

/** `/sitemap.xml`: the sitemap index, one part per range of records that holds a live one. */
export function sitemapIndex(ctx: DiscoveryContext): Reply {
  const parts = ctx.repository.landingParts(ENTRIES_PER_DOCUMENT);
  return {
    status: 200,
    type: XML_TYPE,
    body: [openDocument('sitemapindex'), ...parts.map((p) => entry('sitemap', ctx.urls.sitemapPart(p.part), p.lastmod)), closeDocument('sitemapindex')],
  };
}

/** `/sitemap-<n>.xml`: the landing pages of the live records of part n, each with its datestamp. */
export function sitemapPart(ctx: DiscoveryContext, part: number): Reply {
  const { repository, urls } = ctx;
  // Only the parts the index lists exist: a part of withdrawn records alone would be an empty
  // urlset, which the schema does not allow.
  if (!repository.landingParts(ENTRIES_PER_DOCUMENT).some((p) => p.part === part)) return plainReply(404, `No sitemap part ${part}.`);
  const range = { first: (part - 1) * ENTRIES_PER_DOCUMENT + 1, last: part * ENTRIES_PER_DOCUMENT };
  return {
    status: 200,
    type: XML_TYPE,
    body: concat(
      [openDocument('urlset')],
      // Read and written a chunk at a time: a part of 50,000 pages never sits in memory whole.
      mapLazily(byChunks(range, (chunk) => repository.landingPages(chunk)), (page) => entry('url', urls.landingPage(page.localId), page.datestamp)),
      [closeDocument('urlset')],
    ),
  };
}
