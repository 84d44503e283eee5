import { doiUrl } from '../formats/citation.js';
import { documentBytes } from '../formats/document.js';
import { linkTarget } from '../formats/registry.js';
import { recordLicense } from '../formats/shared.js';
import type { ArticleRecord } from '../model.js';
import type { DiscoveryContext } from './context.js';
import { plainReply, type Reply } from './reply.js';
import { documentLinks, linkHeader, linkset, linksetJson, linksetText, LINKSET, LINKSET_JSON, type Signposts } from './signposting.js';
import { CAPABILITY_LIST_PATH } from './urls.js';

/** A datestamp as an HTTP date (`Last-Modified`). */
function httpDate(datestamp: string): string {
  return new Date(datestamp).toUTCString();
}

/**
 * What FAIR Signposting says of a live record: it is cited by its DOI when one is known, else by
 * its landing page; it is described by each of its metadata documents; its licence is its own or
 * its journal's; its authors are the ORCID iDs a source gave, and its items the full-text links:
 * only those known, never a placeholder.
 */
export function recordSignposts(ctx: DiscoveryContext, record: ArticleRecord): Signposts {
  const { urls } = ctx;
  const landingPage = urls.landingPage(record.localId);
  const documents = ctx.repository.liveDocuments(record.localId);
  return {
    landingPage,
    citeAs: record.doi === null ? landingPage : doiUrl(record.doi),
    // In the registry's order, oai_dc first.
    describedBy: [...ctx.formats.values()]
      .filter((f) => documents.some((d) => d.prefix === f.prefix))
      .map((f) => ({ href: urls.metadataDocument(record.localId, f.prefix), ...linkTarget(f) })),
    authors: record.authors.flatMap((a) => (typeof a.orcid === 'string' ? [a.orcid] : [])),
    license: recordLicense(record),
    items: record.details.fullText.map((f) => ({ href: f.url, type: f.mediaType })),
    linksets: linksetTargets(ctx, record.localId),
  };
}

/**
 * `/articles/<id>/linkset` and `/articles/<id>/linkset.json`: the record's link set (FAIR
 * Signposting level 2) in either RFC 9264 format; 404 for an unknown record, 410 for a withdrawn one.
 */
export function recordLinkset(ctx: DiscoveryContext, localId: string, json: boolean): Reply {
  const record = ctx.records.getRecord(localId);
  if (record === null) return plainReply(404, `No article has the id "${localId}".`);
  if (record.deleted) return plainReply(410, `Article ${localId} has been withdrawn.`);
  const contexts = linkset(recordSignposts(ctx, record));
  return {
    status: 200,
    type: json ? LINKSET_JSON : LINKSET,
    headers: { 'Last-Modified': httpDate(record.datestamp), 'Cache-Control': 'no-cache' },
    body: json ? linksetJson(contexts) : linksetText(contexts),
  };
}

/**
 * `/articles/<id>/metadata/<prefix>.xml`: one record's metadata in one format, the bytes stored
 * when it was written after an XML declaration, as GetRecord carries them. Validators (`ETag`, the
 * stored SHA-256; `Last-Modified`, the datestamp) let a client ask again for nothing. The bytes
 * are never transformed, so the digests ResourceSync lists hold for every response.
 */
export function metadataDocument(ctx: DiscoveryContext, localId: string, file: string): Reply {
  const prefix = /^(.+)\.xml$/.exec(file)?.[1];
  const format = prefix === undefined ? undefined : ctx.formats.get(prefix);
  if (prefix === undefined || format === undefined) return plainReply(404, `No metadata format "${file}".`);
  const found = ctx.repository.document(localId, prefix);
  if (found === null) return plainReply(404, `No article has the id "${localId}".`);
  if (found.deleted) return plainReply(410, `Article ${localId} has been withdrawn.`);
  if (found.document === null) return plainReply(404, `Article ${localId} cannot be given in ${prefix}: a field that format requires is unknown.`);
  const landingPage = ctx.urls.landingPage(localId);
  const links = [
    ...documentLinks({ landingPage, linksets: linksetTargets(ctx, localId) }),
    // The Capability List whose resources include this document (ResourceSync §6.3.3).
    { href: ctx.urls.at(CAPABILITY_LIST_PATH), rel: 'resourcesync' },
  ];
  const bytes = documentBytes(found.document.fragment);
  return {
    status: 200,
    type: `${format.mediaType}; charset=UTF-8`,
    headers: {
      // Set here, since nothing transforms the body: ResourceSync's `length` is this value.
      'Content-Length': String(bytes.length),
      ETag: `"${found.document.sha256.toString('base64url')}"`,
      'Last-Modified': httpDate(found.datestamp),
      Link: linkHeader(links),
      'Cache-Control': 'no-cache, no-transform',
    },
    body: [bytes],
  };
}

/** The record's link set, in each format. */
function linksetTargets(ctx: DiscoveryContext, localId: string): Signposts['linksets'] {
  return [
    { href: ctx.urls.linkset(localId, false), type: LINKSET },
    { href: ctx.urls.linkset(localId, true), type: LINKSET_JSON },
  ];
}
