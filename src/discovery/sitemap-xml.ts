import { escapeText } from '../formats/xml.js';
import { attrs } from '../oai/write-xml.js';

// The Sitemap protocol's two documents (sitemaps.org 0.9) and the ResourceSync elements that extend
// them (rs:md, rs:ln). The schemas fix the order: a root's rs: elements before its entries, an
// entry's after its loc and lastmod.

const SITEMAP = 'http://www.sitemaps.org/schemas/sitemap/0.9';
const RS = 'http://www.openarchives.org/rs/terms/';

/** At most this many entries per sitemap or ResourceSync document (sitemaps.org, ResourceSync §7). */
export const ENTRIES_PER_DOCUMENT = 50_000;

/** Attribute values by name; undefined and null ones are left out. */
export type Attributes = Readonly<Record<string, string | number | null | undefined>>;

/** `<rs:md>`: what ResourceSync says of a document or of an entry. */
export function rsMd(values: Attributes): string {
  return `<rs:md${attrs(values)}/>`;
}

/** `<rs:ln>`: a link from a document or an entry. */
export function rsLn(rel: string, href: string, values: Attributes = {}): string {
  return `<rs:ln${attrs({ rel, href, ...values })}/>`;
}

/** The root of a sitemap (`urlset`) or of an index (`sitemapindex`), with its rs: elements. */
export function openDocument(root: 'urlset' | 'sitemapindex', head: readonly string[] = []): string {
  const rs = head.length === 0 ? '' : ` xmlns:rs="${RS}"`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${SITEMAP}"${rs}>\n${head.map((h) => `${h}\n`).join('')}`;
}

export function closeDocument(root: 'urlset' | 'sitemapindex'): string {
  return `</${root}>\n`;
}

/** An entry: a `<url>` of a sitemap or a `<sitemap>` of an index, its location, when it last changed, and any rs: elements. */
export function entry(kind: 'url' | 'sitemap', loc: string, lastmod: string | null, extra = ''): string {
  return `<${kind}><loc>${escapeText(loc)}</loc>${lastmod === null ? '' : `<lastmod>${lastmod}</lastmod>`}${extra}</${kind}>\n`;
}
