import type { MetadataFormat } from '../formats/registry.js';
import type { OaiRepository } from '../oai/repository.js';
import type { DiscoveryRepository } from './repository.js';
import type { SiteUrls } from './urls.js';

/** What the channels beside OAI-PMH read: the store, the site's URLs, the formats and the clock. */
export interface DiscoveryContext {
  repository: DiscoveryRepository;
  /** Whole records, for what a landing page's links and JSON-LD say of them. */
  records: Pick<OaiRepository, 'getRecord'>;
  urls: SiteUrls;
  formats: ReadonlyMap<string, MetadataFormat>;
  /** The domain part of OAI identifiers. */
  repositoryIdentifier: string;
  now(): Date;
}
