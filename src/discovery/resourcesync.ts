import type { DocumentDigest } from '../formats/document.js';
import { concat, mapLazily } from '../iterate.js';
import { formatDatestamp } from '../oai/datestamp.js';
import type { RecordKey } from '../oai/repository.js';
import type { DiscoveryContext } from './context.js';
import { plainReply, XML_TYPE, type Reply } from './reply.js';
import { byChunks, READ_CHUNK, type ChangeRow, type DocumentEntry, type IdRange } from './repository.js';
import { closeDocument, entry, ENTRIES_PER_DOCUMENT, openDocument, rsLn, rsMd } from './sitemap-xml.js';
import { CAPABILITY_LIST_PATH, CHANGE_LIST_PATH, RESOURCE_LIST_PATH, SOURCE_DESCRIPTION_PATH } from './urls.js';
import { bodyBuffers } from './write-body.js';

/**
 * A ResourceSync source (ResourceSync 1.1, ANSI/NISO Z39.99-2017): the resources are the records'
 * metadata documents, one per record and format. A destination reads the Resource List for a
 * baseline, then the Change Lists for what changed since. Both are read from the store by key, a
 * part at a time, and every digest was computed when its record was written.
 */

/**
 * Records per part of a Resource List or a Change List: each has at most one document per format,
 * so a part never exceeds the entries a document may hold.
 */
function recordsPerPart(ctx: DiscoveryContext): number {
  return Math.floor(ENTRIES_PER_DOCUMENT / Math.max(1, ctx.formats.size));
}

/** A document's body as buffers, read from the store in one pass, and the time it was finished. */
function build(chunks: Iterable<string>, ctx: DiscoveryContext): { body: Buffer[]; completed: string } {
  const body = bodyBuffers(chunks);
  // Rounded up: the snapshot was complete by then.
  const completed = formatDatestamp(new Date(Math.ceil(ctx.now().getTime() / 1000) * 1000));
  return { body, completed };
}

/** The `describedby` link of the source and its Capability List: the dashboard, which describes the repository. */
function describedBy(ctx: DiscoveryContext): string {
  return rsLn('describedby', ctx.urls.at('/'), { type: 'text/html' });
}

function hash(digest: DocumentDigest): string {
  return `md5:${digest.md5.toString('hex')} sha-256:${digest.sha256.toString('hex')}`;
}

function xmlReply(body: Iterable<string | Uint8Array>): Reply {
  return { status: 200, type: XML_TYPE, body };
}

/** `/.well-known/resourcesync`: the Source Description, naming the one Capability List. */
export function sourceDescription(ctx: DiscoveryContext): Reply {
  const head = [describedBy(ctx), rsMd({ capability: 'description' })];
  const capabilityList = entry('url', ctx.urls.at(CAPABILITY_LIST_PATH), null, rsMd({ capability: 'capabilitylist' }) + describedBy(ctx));
  return xmlReply([openDocument('urlset', head), capabilityList, closeDocument('urlset')]);
}

/** The Capability List: a Resource List and Change Lists, for the records' metadata documents. */
export function capabilityList(ctx: DiscoveryContext): Reply {
  const head = [describedBy(ctx), rsLn('up', ctx.urls.at(SOURCE_DESCRIPTION_PATH)), rsMd({ capability: 'capabilitylist' })];
  return xmlReply([
    openDocument('urlset', head),
    entry('url', ctx.urls.at(RESOURCE_LIST_PATH), null, rsMd({ capability: 'resourcelist' })),
    entry('url', ctx.urls.at(CHANGE_LIST_PATH), null, rsMd({ capability: 'changelist' })),
    closeDocument('urlset'),
  ]);
}

function mediaType(ctx: DiscoveryContext, prefix: string): string | undefined {
  return ctx.formats.get(prefix)?.mediaType;
}

/** A live document as a Resource List entry: its datestamp, digests, length, type and landing page. */
function resourceEntry(ctx: DiscoveryContext, d: DocumentEntry): string {
  const md = rsMd({ hash: hash(d), length: d.length, type: mediaType(ctx, d.prefix) });
  return entry('url', ctx.urls.metadataDocument(d.localId, d.prefix), d.datestamp, md + rsLn('describes', ctx.urls.landingPage(d.localId)));
}

/** The link from every list up to the Capability List. */
function upToCapabilities(ctx: DiscoveryContext): string {
  return rsLn('up', ctx.urls.at(CAPABILITY_LIST_PATH));
}

/** The live documents of a range of records as Resource List entries, read a chunk at a time. */
function resourceEntries(ctx: DiscoveryContext, range: IdRange): Iterable<string> {
  return mapLazily(byChunks(range, (chunk) => ctx.repository.documents(chunk)), (d) => resourceEntry(ctx, d));
}

/**
 * The Resource List: one document while every live document fits in one, else an index of parts,
 * each a range of records. `at` is when reading began, truncated to the second, so every change
 * stamped before it is in the list. The list and its index are read whole before they are sent,
 * so `completed`, when reading ended, is known.
 */
export function resourceList(ctx: DiscoveryContext): Reply {
  const at = formatDatestamp(ctx.now());
  const lastId = ctx.repository.lastRecordId();
  // Counting is cheap only while the store is small; past the limit in records it cannot fit.
  if (lastId <= ENTRIES_PER_DOCUMENT && ctx.repository.countDocuments() <= ENTRIES_PER_DOCUMENT) {
    const { body, completed } = build(resourceEntries(ctx, { first: 1, last: lastId }), ctx);
    return xmlReply([openDocument('urlset', [upToCapabilities(ctx), rsMd({ capability: 'resourcelist', at, completed })]), ...body, closeDocument('urlset')]);
  }
  const parts = ctx.repository.landingParts(recordsPerPart(ctx));
  const { body, completed } = build(
    parts.map((p) => entry('sitemap', ctx.urls.resourceListPart(p.part), null)),
    ctx,
  );
  return xmlReply([openDocument('sitemapindex', [upToCapabilities(ctx), rsMd({ capability: 'resourcelist', at, completed })]), ...body, closeDocument('sitemapindex')]);
}

/**
 * A part of the Resource List Index: the documents of one range of records. It is written as it
 * is read, a chunk at a time, so its memory stays small; its end is not known when its head is
 * written, so it carries `at` alone, as the specification's parts do.
 */
export function resourceListPart(ctx: DiscoveryContext, part: number): Reply {
  const size = recordsPerPart(ctx);
  if (!ctx.repository.landingParts(size).some((p) => p.part === part)) return plainReply(404, `No Resource List part ${part}.`);
  const head = [upToCapabilities(ctx), rsLn('index', ctx.urls.at(RESOURCE_LIST_PATH)), rsMd({ capability: 'resourcelist', at: formatDatestamp(ctx.now()) })];
  return xmlReply(concat([openDocument('urlset', head)], resourceEntries(ctx, { first: (part - 1) * size + 1, last: part * size }), [closeDocument('urlset')]));
}

const DAY_START = 'T00:00:00Z';

/** The start of the day after `day`. */
function nextDay(day: string): string {
  return formatDatestamp(new Date(Date.parse(`${day}${DAY_START}`) + 86_400_000));
}

/** A Change List's interval: a past day is closed; today's (and, after a clock change, a later one) is open. */
function interval(ctx: DiscoveryContext, day: string): { from: string; until: string | null } {
  const open = day >= formatDatestamp(ctx.now()).slice(0, 10);
  return { from: `${day}${DAY_START}`, until: open ? null : nextDay(day) };
}

/**
 * The Change List Index: a Change List per day that has changes, in order, cut into parts when a
 * day holds more records than one document can list.
 */
export function changeListIndex(ctx: DiscoveryContext): Reply {
  const parts = ctx.repository.changeParts(recordsPerPart(ctx));
  const first = parts[0]?.day;
  const head = [upToCapabilities(ctx), rsMd({ capability: 'changelist', from: first === undefined ? formatDatestamp(ctx.now()) : `${first}${DAY_START}` })];
  const entries = parts.map((p) => {
    const { from, until } = interval(ctx, p.day);
    return entry('sitemap', ctx.urls.changeList(p.day, p.after), null, rsMd({ from, until }));
  });
  return xmlReply([openDocument('sitemapindex', head), ...entries, closeDocument('sitemapindex')]);
}

/**
 * What a document's latest change was: gone now is a deletion; present since the record's latest
 * datestamp is a creation; otherwise an update.
 */
export function changeOf(row: Pick<ChangeRow, 'digest' | 'created' | 'datestamp'>): 'created' | 'updated' | 'deleted' {
  if (row.digest === null) return 'deleted';
  return row.created === row.datestamp ? 'created' : 'updated';
}

function changeEntry(ctx: DiscoveryContext, row: ChangeRow): string {
  const change = changeOf(row);
  const loc = ctx.urls.metadataDocument(row.localId, row.prefix);
  if (row.digest === null) return entry('url', loc, null, rsMd({ change, datetime: row.datestamp }));
  const md = rsMd({ change, datetime: row.datestamp, hash: hash(row.digest), length: row.digest.length, type: mediaType(ctx, row.prefix) });
  return entry('url', loc, row.datestamp, md + rsLn('describes', ctx.urls.landingPage(row.localId)));
}

/**
 * The change rows of up to `records` records of a day after a key, read a chunk of records at a
 * time, starting with a first chunk already read.
 */
function* changeRows(ctx: DiscoveryContext, day: string, first: ChangeRow[], records: number): Generator<ChangeRow, void, undefined> {
  let rows = first;
  let asked = Math.min(READ_CHUNK, records);
  let left = records;
  for (;;) {
    yield* rows;
    const read = new Set(rows.map((r) => r.id)).size;
    left -= read;
    const last = rows.at(-1);
    // Fewer records than asked for: the day has no more.
    if (last === undefined || read < asked || left <= 0) return;
    asked = Math.min(READ_CHUNK, left);
    rows = ctx.repository.changes(day, { datestamp: last.datestamp, id: last.id }, asked);
  }
}

/**
 * A Change List: the documents of the records whose latest change fell on `day` (a part of them,
 * after `after`), each at its latest change, in the order of the changes. It is derived from the
 * datestamps and tombstones OAI-PMH keeps, so a document appears once, in the list of its latest
 * change. It is written as it is read, a chunk at a time.
 */
export function changeList(ctx: DiscoveryContext, day: string, after: RecordKey | null): Reply {
  const records = recordsPerPart(ctx);
  const first = ctx.repository.changes(day, after, Math.min(READ_CHUNK, records));
  // A day without changes has no list: an empty urlset is not a valid sitemap.
  if (first.length === 0) return plainReply(404, `No Change List for ${day}${after === null ? '' : ` after ${after.datestamp} ${after.id}`}.`);
  const { from, until } = interval(ctx, day);
  const head = [upToCapabilities(ctx), rsLn('index', ctx.urls.at(CHANGE_LIST_PATH)), rsMd({ capability: 'changelist', from, until })];
  return xmlReply(concat([openDocument('urlset', head)], mapLazily(changeRows(ctx, day, first, records), (row) => changeEntry(ctx, row)), [closeDocument('urlset')]));
}
