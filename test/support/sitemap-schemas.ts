import fs from 'node:fs';
import { validateXML } from 'xmllint-wasm';

// The sitemap schemas and the ResourceSync stand-in, copied into test/schemas/sitemaps (see its
// README). A ResourceSync document validates only through a wrapper that loads the rs: elements.
const dir = new URL('../schemas/sitemaps/', import.meta.url);
const read = (name: string) => ({ fileName: name, contents: fs.readFileSync(new URL(name, dir), 'utf8') });
const FILES = ['sitemap.xsd', 'siteindex.xsd', 'rs-local.xsd', 'resourcesync-sitemap.xsd', 'resourcesync-siteindex.xsd'].map(read);

/** The schema a document is checked against, by its root and whether it carries rs: elements. */
export function sitemapSchemaFor(xml: string): string {
  const index = /<sitemapindex\b/.test(xml.slice(0, 500));
  const rs = /xmlns:rs="http:\/\/www\.openarchives\.org\/rs\/terms\/"/.test(xml.slice(0, 500));
  if (rs) return index ? 'resourcesync-siteindex.xsd' : 'resourcesync-sitemap.xsd';
  return index ? 'siteindex.xsd' : 'sitemap.xsd';
}

/**
 * Validates sitemaps, sitemap indexes and ResourceSync documents, several in one call: each
 * against the schema its root calls for, all of one schema in one libxml2 run.
 */
export async function validateSitemaps(documents: ReadonlyArray<{ name: string; xml: string }>): Promise<void> {
  const bySchema = new Map<string, Array<{ name: string; xml: string }>>();
  for (const d of documents) {
    const schema = sitemapSchemaFor(d.xml);
    bySchema.set(schema, [...(bySchema.get(schema) ?? []), d]);
  }
  for (const [schema, docs] of bySchema) {
    const result = await validateXML({
      xml: docs.map((d, i) => ({ fileName: `${i}-${d.name.replace(/\W+/g, '_')}.xml`, contents: d.xml })),
      schema: [FILES.find((f) => f.fileName === schema) ?? read(schema)],
      preload: FILES.filter((f) => f.fileName !== schema),
      maxMemoryPages: 32768,
    });
    const errors = result.errors.filter((e) => !/Schemas parser warning/.test(e.rawMessage));
    if (!result.valid || errors.length > 0) {
      throw new Error(`not valid against ${schema}:\n${errors.slice(0, 20).map((e) => e.rawMessage).join('\n')}\n---\n${docs[0]?.xml.slice(0, 2000)}`);
    }
  }
}

/** Validates one document (see `validateSitemaps`). */
export function validateSitemap(name: string, xml: string): Promise<void> {
  return validateSitemaps([{ name, xml }]);
}
