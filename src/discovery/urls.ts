import { landingPageUrl } from '../formats/citation.js';
import type { RecordKey } from '../oai/repository.js';

// Where each channel beside OAI-PMH lives. These URLs are what crawlers and ResourceSync
// destinations hold, so they never change meaning.

/** The Source Description, at the well-known URI ResourceSync gives it (RFC 8615). */
export const SOURCE_DESCRIPTION_PATH = '/.well-known/resourcesync';
export const CAPABILITY_LIST_PATH = '/resourcesync/capabilitylist.xml';
/** The Resource List, or its index once it needs parts. */
export const RESOURCE_LIST_PATH = '/resourcesync/resourcelist.xml';
/** The Change List Index: one Change List per day, in parts when a day holds many. */
export const CHANGE_LIST_PATH = '/resourcesync/changelist.xml';
/** The sitemap index. Its parts sit beside it at the top: a sitemap may list only URLs below its own folder. */
export const SITEMAP_PATH = '/sitemap.xml';

/** The absolute URLs of one site, all built from `PUBLIC_URL`. */
export class SiteUrls {
  constructor(readonly publicUrl: string) {}

  /** An absolute URL for a path of this site. */
  at(path: string): string {
    return `${this.publicUrl}${path}`;
  }

  landingPage(localId: string): string {
    return landingPageUrl(this.publicUrl, localId);
  }

  /** A record's metadata in one format, as a document of its own. */
  metadataDocument(localId: string, prefix: string): string {
    return `${this.landingPage(localId)}/metadata/${encodeURIComponent(prefix)}.xml`;
  }

  /** A record's link set (RFC 9264), as `application/linkset` or as `application/linkset+json`. */
  linkset(localId: string, json: boolean): string {
    return `${this.landingPage(localId)}/linkset${json ? '.json' : ''}`;
  }

  sitemapPart(part: number): string {
    return this.at(`/sitemap-${part}.xml`);
  }

  resourceListPart(part: number): string {
    return this.at(`/resourcesync/resourcelist-${part}.xml`);
  }

  /** A part of a day's Change List: the first starts with the day, the others after a key. */
  changeList(day: string, after: RecordKey | null): string {
    const path = `/resourcesync/changelist/${day}.xml`;
    return this.at(after === null ? path : `${path}?after=${after.datestamp}_${after.id}`);
  }
}

/** A key as a Change List part's `after` carries it (`<datestamp>_<id>`), or null when it is not one. */
export function parseAfterKey(value: string): RecordKey | null {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)_(\d{1,15})$/.exec(value);
  return m ? { datestamp: m[1] ?? '', id: Number(m[2]) } : null;
}
