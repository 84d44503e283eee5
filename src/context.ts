import { COMPRESSION } from './app.js';
import type { Config } from './config.js';
import { FORMATS } from './formats/registry.js';
import type { OaiContext } from './oai/context.js';
import type { Store } from './store/open-store.js';

/** The protocol context for a store and configuration. */
export function oaiContext(config: Config, store: Store, now: () => Date = () => new Date()): OaiContext {
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
      tokenTtlSeconds: config.tokenTtlSeconds,
      compression: COMPRESSION,
    },
  };
}
