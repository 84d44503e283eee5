/**
 * FAIR Signposting (https://signposting.org/FAIR/), levels 1 and 2: the typed links that tell a
 * machine, from a landing page, what the record is, how to cite it and where its metadata is.
 * Pure functions from what the store knows to links, and from links to the three forms they take:
 * an HTTP `Link` header (RFC 8288) and the two link-set formats of RFC 9264.
 */

/** A typed link from a context to a target, with the target attributes signposting uses. */
export interface TypedLink {
  href: string;
  rel: string;
  type?: string;
  /** A URI that names the format within a generic media type (the XML namespace, for XML). */
  profile?: string;
}

/** Links that share one context: RFC 9264's link context object. */
export interface LinkContext {
  anchor: string;
  links: TypedLink[];
}

/** What signposting says of one record, before it is cut into a header or a link set. */
export interface Signposts {
  landingPage: string;
  /** The one identifier to cite: the DOI's URL when one is known, else the landing page. */
  citeAs: string;
  /** One per format the record has a metadata document in. */
  describedBy: Array<{ href: string; type: string; profile: string | null }>;
  /** Author identifiers as URLs (ORCID iDs), only those known. */
  authors: string[];
  license: string | null;
  /** Full-text files, only those known. */
  items: Array<{ href: string; type: string }>;
  /** The record's link set, in each RFC 9264 format. */
  linksets: Array<{ href: string; type: string }>;
}

/** The kind of resource and of page (signposting's `type` links). */
export const RESOURCE_TYPES = ['https://schema.org/ScholarlyArticle', 'https://schema.org/AboutPage'] as const;
export const LINKSET = 'application/linkset';
export const LINKSET_JSON = 'application/linkset+json';

/**
 * Past this many authors or items, a `Link` header leaves them to the link set: a header that
 * grows with the record can exceed what a proxy accepts (Invenio stops at the same count).
 */
export const HEADER_LIST_LIMIT = 5;

/** Level 1: the landing page's own links. For a header, lists past the limit are left out. */
export function landingLinks(s: Signposts, forHeader: boolean): TypedLink[] {
  const fits = (list: readonly unknown[]) => !forHeader || list.length <= HEADER_LIST_LIMIT;
  return [
    { href: s.citeAs, rel: 'cite-as' },
    ...RESOURCE_TYPES.map((href) => ({ href, rel: 'type' })),
    ...s.describedBy.map((d) => ({ href: d.href, rel: 'describedby', type: d.type, ...(d.profile === null ? {} : { profile: d.profile }) })),
    ...(fits(s.authors) ? s.authors.map((href) => ({ href, rel: 'author' })) : []),
    ...(s.license === null ? [] : [{ href: s.license, rel: 'license' }]),
    ...(fits(s.items) ? s.items.map((i) => ({ href: i.href, rel: 'item', type: i.type })) : []),
    ...s.linksets.map((l) => ({ href: l.href, rel: 'linkset', type: l.type })),
  ];
}

/**
 * Level 2: the landing page's links, every author and item among them, and the links back to it
 * from each metadata document (`describes`) and each item (`collection`). Every context is named
 * by an absolute anchor.
 */
export function linkset(s: Signposts): LinkContext[] {
  const backTo = (rel: string): TypedLink => ({ href: s.landingPage, rel, type: 'text/html' });
  return [
    { anchor: s.landingPage, links: landingLinks(s, false).filter((l) => l.rel !== 'linkset') },
    ...s.describedBy.map((d) => ({ anchor: d.href, links: [backTo('describes')] })),
    ...s.items.map((i) => ({ anchor: i.href, links: [backTo('collection')] })),
  ];
}

/** The links a metadata document sends back: the landing page it describes, and the link sets. */
export function documentLinks(s: Pick<Signposts, 'landingPage' | 'linksets'>): TypedLink[] {
  return [{ href: s.landingPage, rel: 'describes', type: 'text/html' }, ...s.linksets.map((l) => ({ href: l.href, rel: 'linkset', type: l.type }))];
}

/** A quoted-string (RFC 9110 §5.6.4). */
function quoted(value: string): string {
  return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** One link-value (RFC 8288 §3), with its anchor when given. */
function linkValue(link: TypedLink, anchor?: string): string {
  const params: Array<[string, string | undefined]> = [
    ['rel', link.rel],
    ['type', link.type],
    ['profile', link.profile],
    ['anchor', anchor],
  ];
  // No white space before a comma or semicolon: some parsers (http-link-header among them) take it
  // as part of the value.
  return `<${link.href}>${params.map(([k, v]) => (v === undefined ? '' : `; ${k}=${quoted(v)}`)).join('')}`;
}

/** The value of an HTTP `Link` header: the links' context is the resource that sends it. */
export function linkHeader(links: readonly TypedLink[]): string {
  return links.map((l) => linkValue(l)).join(', ');
}

/**
 * `application/linkset` (RFC 9264 §4.1): the Link header's syntax, one link per line, every link
 * with its anchor.
 */
export function linksetText(contexts: readonly LinkContext[]): string {
  return `${contexts.flatMap((c) => c.links.map((l) => linkValue(l, c.anchor))).join(',\n')}\n`;
}

/**
 * `application/linkset+json` (RFC 9264 §4.2): one object per context, its links grouped by
 * relation type. `profile` is an extension attribute, so its value is an array.
 */
export function linksetJson(contexts: readonly LinkContext[]): string {
  const linkset = contexts.map((c) => {
    const context: Record<string, unknown> = { anchor: c.anchor };
    for (const l of c.links) {
      const targets = (context[l.rel] ??= []) as Array<Record<string, unknown>>;
      targets.push({ href: l.href, ...(l.type === undefined ? {} : { type: l.type }), ...(l.profile === undefined ? {} : { profile: [l.profile] }) });
    }
    return context;
  });
  return `${JSON.stringify({ linkset }, null, 2)}\n`;
}
