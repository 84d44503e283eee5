import { DOMParser, type Document, type Element, type Node } from '@xmldom/xmldom';
import xpath from 'xpath';

/** The namespaces the tests query with. */
export const NS = {
  oai: 'http://www.openarchives.org/OAI/2.0/',
  oai_dc: 'http://www.openarchives.org/OAI/2.0/oai_dc/',
  dc: 'http://purl.org/dc/elements/1.1/',
  id: 'http://www.openarchives.org/OAI/2.0/oai-identifier',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  xml: 'http://www.w3.org/XML/1998/namespace',
  sm: 'http://www.sitemaps.org/schemas/sitemap/0.9',
  rs: 'http://www.openarchives.org/rs/terms/',
};

const select = xpath.useNamespaces(NS);

/** Parses XML, failing on any well-formedness error. */
export function parseXml(text: string): Document {
  return new DOMParser({
    onError: (level, message) => {
      if (level !== 'warning') throw new Error(`not well-formed XML: ${message}`);
    },
  }).parseFromString(text, 'text/xml');
}

/** The nodes an XPath selects. */
export function nodes(context: Node, path: string): Element[] {
  return select(path, context as never) as unknown as Element[];
}

/** The text of every node an XPath selects. */
export function texts(context: Node, path: string): string[] {
  return nodes(context, path).map((n) => n.textContent ?? '');
}

/** The text of the one node an XPath selects; fails unless there is exactly one. */
export function text(context: Node, path: string): string {
  const all = texts(context, path);
  if (all.length !== 1) throw new Error(`expected one node at ${path}, found ${all.length}`);
  return all[0] as string;
}
