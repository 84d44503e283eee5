import { createHash } from 'node:crypto';
import type { Document, Element } from '@xmldom/xmldom';
import type { Fetched } from './discovery.js';
import { nodes, parseXml, texts } from './xml.js';

/**
 * A small ResourceSync destination (ResourceSync 1.1), written for the tests from the
 * specification alone: it discovers the source from its well-known URI, takes a baseline from the
 * Resource List, then keeps in step by applying the Change Lists. Every document it fetches is
 * checked against the digests, length and type the lists give for it.
 */

/** An entry of a Resource List or Change List, as a destination reads it. */
export interface ListEntry {
  loc: string;
  lastmod: string | null;
  change: 'created' | 'updated' | 'deleted' | null;
  datetime: string | null;
  hash: string | null;
  length: number | null;
  type: string | null;
  links: Array<{ rel: string; href: string }>;
}

function md(element: Element): Element | undefined {
  return nodes(element, 'rs:md')[0];
}

function entryOf(url: Element): ListEntry {
  const m = md(url);
  const attr = (name: string) => (m?.hasAttribute(name) ? m.getAttribute(name) : null);
  return {
    loc: texts(url, 'sm:loc')[0] ?? '',
    lastmod: texts(url, 'sm:lastmod')[0] ?? null,
    change: attr('change') as ListEntry['change'],
    datetime: attr('datetime'),
    hash: attr('hash'),
    length: attr('length') === null ? null : Number(attr('length')),
    type: attr('type'),
    links: nodes(url, 'rs:ln').map((l) => ({ rel: l.getAttribute('rel') ?? '', href: l.getAttribute('href') ?? '' })),
  };
}

export class Destination {
  /** The documents held, by URL. */
  readonly documents = new Map<string, Buffer>();
  /** Every ResourceSync document read, to be validated. */
  readonly read: Array<{ name: string; xml: string }> = [];
  /** Each change applied, in order. */
  readonly applied: Array<{ loc: string; change: string; datetime: string }> = [];
  /** Changes from this datetime on (inclusive) are still to be applied. */
  since: string | null = null;

  constructor(
    private readonly get: (url: string) => Promise<Fetched>,
    private readonly origin: string,
  ) {}

  private async xml(url: string): Promise<Document> {
    const res = await this.get(url);
    if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
    if (!/^application\/xml/.test(res.headers['content-type'] ?? '')) throw new Error(`${url}: ${res.headers['content-type']}`);
    this.read.push({ name: url, xml: res.text });
    return parseXml(res.text);
  }

  /** Root-level `rs:md` and `rs:ln` of a document. */
  private head(doc: Document): { md: Element; links: Map<string, string> } {
    const root = doc.documentElement;
    if (root === null) throw new Error('an empty document');
    const m = md(root);
    if (m === undefined) throw new Error('a ResourceSync document without rs:md');
    return { md: m, links: new Map(nodes(root, 'rs:ln').map((l) => [l.getAttribute('rel') ?? '', l.getAttribute('href') ?? ''])) };
  }

  /** Source Description → Capability List → the URLs of the Resource List and the Change List. */
  async discover(): Promise<{ resourceList: string; changeList: string }> {
    const description = `${this.origin}/.well-known/resourcesync`;
    const sd = await this.xml(description);
    if (this.head(sd).md.getAttribute('capability') !== 'description') throw new Error('not a Source Description');
    const capabilityLists = nodes(sd, '//sm:url').filter((u) => md(u)?.getAttribute('capability') === 'capabilitylist');
    if (capabilityLists.length !== 1) throw new Error(`expected one Capability List, found ${capabilityLists.length}`);
    const cl = await this.xml(texts(capabilityLists[0]!, 'sm:loc')[0] ?? '');
    const head = this.head(cl);
    if (head.md.getAttribute('capability') !== 'capabilitylist' || head.links.get('up') !== description) throw new Error('not a Capability List under the Source Description');
    const url = (capability: string) => nodes(cl, '//sm:url').find((u) => md(u)?.getAttribute('capability') === capability);
    return { resourceList: texts(url('resourcelist')!, 'sm:loc')[0] ?? '', changeList: texts(url('changelist')!, 'sm:loc')[0] ?? '' };
  }

  /** Fetches a document and checks it against what a list said of it. */
  private async fetchChecked(entry: ListEntry): Promise<Buffer> {
    const res = await this.get(entry.loc);
    if (res.status !== 200) throw new Error(`${entry.loc}: ${res.status}`);
    const hashes = new Map((entry.hash ?? '').split(/\s+/).map((h) => [h.slice(0, h.indexOf(':')), h.slice(h.indexOf(':') + 1)]));
    const md5 = createHash('md5').update(res.body).digest('hex');
    const sha256 = createHash('sha256').update(res.body).digest('hex');
    if (hashes.get('md5') !== md5 || hashes.get('sha-256') !== sha256) throw new Error(`${entry.loc}: digests ${md5} ${sha256} differ from the list's ${entry.hash}`);
    if (entry.length !== res.body.length) throw new Error(`${entry.loc}: ${res.body.length} bytes, the list says ${entry.length}`);
    if (entry.type !== (res.headers['content-type'] ?? '').split(';')[0]) throw new Error(`${entry.loc}: type ${res.headers['content-type']}, the list says ${entry.type}`);
    return res.body;
  }

  /** A baseline: every document of the Resource List, read from its index's parts when it has them. */
  async baseline(): Promise<ListEntry[]> {
    const { resourceList } = await this.discover();
    const doc = await this.xml(resourceList);
    const head = this.head(doc);
    const at = head.md.getAttribute('at');
    if (head.md.getAttribute('capability') !== 'resourcelist' || at === null || !head.md.hasAttribute('completed')) throw new Error('a Resource List without at and completed');
    const lists = doc.documentElement?.localName === 'sitemapindex' ? texts(doc, '//sm:sitemap/sm:loc') : [resourceList];
    const entries: ListEntry[] = [];
    for (const list of lists) {
      const part = list === resourceList ? doc : await this.xml(list);
      if (list !== resourceList && this.head(part).links.get('index') !== resourceList) throw new Error(`${list}: no index link`);
      entries.push(...nodes(part, '//sm:url').map(entryOf));
    }
    this.documents.clear();
    for (const entry of entries) this.documents.set(entry.loc, await this.fetchChecked(entry));
    this.since = at;
    return entries;
  }

  /**
   * Applies the changes since the last sync: from the Change List Index, every list not closed
   * before `since`, every entry at or after it, in order. Returns the entries applied.
   */
  async sync(): Promise<ListEntry[]> {
    if (this.since === null) throw new Error('take a baseline first');
    const since = this.since;
    const { changeList } = await this.discover();
    const index = await this.xml(changeList);
    if (index.documentElement?.localName !== 'sitemapindex') throw new Error('expected a Change List Index');
    const applied: ListEntry[] = [];
    let latest = since;
    for (const sitemap of nodes(index, '//sm:sitemap')) {
      const until = md(sitemap)?.getAttribute('until') || null;
      if (until !== null && until <= since) continue;
      const list = await this.xml(texts(sitemap, 'sm:loc')[0] ?? '');
      if (this.head(list).md.getAttribute('capability') !== 'changelist') throw new Error('not a Change List');
      for (const entry of nodes(list, '//sm:url').map(entryOf)) {
        if (entry.datetime === null || entry.change === null) throw new Error(`${entry.loc}: a change without datetime or kind`);
        if (entry.datetime < since) continue;
        if (entry.change === 'deleted') this.documents.delete(entry.loc);
        else this.documents.set(entry.loc, await this.fetchChecked(entry));
        applied.push(entry);
        this.applied.push({ loc: entry.loc, change: entry.change, datetime: entry.datetime });
        if (entry.datetime > latest) latest = entry.datetime;
      }
    }
    // Inclusive next time: a change stamped in the same second after this read is not lost.
    this.since = latest;
    return applied;
  }
}
