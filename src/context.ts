import { COMPRESSION } from './oai/router.js';
import type { Config } from './config.js';
import type { DiscoveryContext } from './discovery/context.js';
import { SiteUrls } from './discovery/urls.js';
import { FORMATS } from './formats/registry.js';
import type { OaiContext } from './oai/context.js';
import { BrowseStore } from './store/browse.js';
import { SqliteDiscovery } from './store/documents.js';
import type { Store } from './store/open-store.js';
import { qualityReport, type Finding, type JournalCoverage } from './store/quality.js';

/**
 * What the app serves from: the protocol's context, the read-only queries of the pages, and the
 * channels beside OAI-PMH (sitemaps, link sets, metadata documents, ResourceSync).
 */
export interface AppContext extends OaiContext {
  browse: BrowseStore;
  /** The findings, and per journal the live records that lack ORCID iDs, affiliations, a licence or full text. */
  quality(): { findings: Finding[]; coverage: JournalCoverage[] };
  discovery: DiscoveryContext;
}

/** The app's context for a store and configuration; `now` is the clock the protocol reads. */
export function oaiContext(config: Config, store: Store, now: () => Date = () => new Date()): AppContext {
  return {
    repository: store.repository,
    formats: FORMATS,
    now,
    settings: {
      repositoryName: config.repositoryName,
      baseUrl: config.baseUrl,
      publicUrl: config.publicUrl,
      adminEmails: config.adminEmails,
      repositoryIdentifier: config.repositoryIdentifier,
      pageSize: config.pageSize,
      tokenSecret: store.tokenSecret,
      previousTokenSecrets: config.previousTokenSecrets,
      tokenTtlSeconds: config.tokenTtlSeconds,
      compression: COMPRESSION,
      eprints: config.eprints,
      branding: config.branding,
    },
    browse: new BrowseStore(store.db),
    quality: () => qualityReport(store.db),
    discovery: {
      repository: new SqliteDiscovery(store.db),
      records: store.repository,
      urls: new SiteUrls(config.publicUrl),
      formats: FORMATS,
      repositoryIdentifier: config.repositoryIdentifier,
      now,
    },
  };
}
