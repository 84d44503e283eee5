import type { MetadataFormat } from '../formats/registry.js';
import type { OaiRepository } from './repository.js';

/** The repository's settings that the protocol reads. */
export interface OaiSettings {
  repositoryName: string;
  /** Identify's baseURL, exactly as harvesters use it. */
  baseUrl: string;
  publicUrl: string;
  adminEmails: string[];
  repositoryIdentifier: string;
  pageSize: { records: number; identifiers: number; sets: number };
  tokenSecret: string;
  /**
   * Secrets that signed tokens before a rotation: still accepted, so that harvests in progress
   * finish, until the tokens they signed expire. New tokens are signed with `tokenSecret` alone.
   */
  previousTokenSecrets: string[];
  tokenTtlSeconds: number;
  /** Content codings the HTTP layer really applies, advertised in Identify. */
  compression: string[];
  /** Identify's `eprints` description: each policy a URL or a text, absent when none is stated. */
  eprints: { content?: string; metadataPolicy?: string; dataPolicy?: string; submissionPolicy?: string };
  /** Identify's branding, as configured; what is not configured falls back to this server's own. */
  branding: { iconUrl?: string; link?: string; title?: string };
}

/** Everything a verb handler may use: the store, the settings, the formats and the clock. */
export interface OaiContext {
  repository: OaiRepository;
  settings: OaiSettings;
  formats: ReadonlyMap<string, MetadataFormat>;
  now(): Date;
}
