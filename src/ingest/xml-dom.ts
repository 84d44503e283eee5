import { DOMParser, type Element, type Node } from '@xmldom/xmldom';
import type { Lang } from '../model.js';
import { ARABIC_SCRIPT } from '../text/normalize.js';

/** The xmldom node kinds this reader meets, by their DOM numbers. */
const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;

/** A parse problem at a line of the text. */
export class XmlSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/**
 * Parses XML strictly: a warning stops the parse as an error does, since a document the parser
 * had to guess about is one we would store wrongly. No DTD is fetched and no entity a DTD
 * declares is expanded: a file that relies on one is refused, not half read.
 */
export function parseXml(text: string): Element {
  let problem: XmlSyntaxError | undefined;
  const parser = new DOMParser({
    onError(_level, message, context: { locator?: { lineNumber?: number } } | undefined) {
      problem ??= new XmlSyntaxError(context?.locator?.lineNumber ?? 0, message.replace(/\s+/g, ' ').trim());
      throw problem;
    },
  });
  let root: Element | null;
  try {
    root = parser.parseFromString(text, 'text/xml').documentElement;
  } catch (error) {
    throw problem ?? error;
  }
  if (root === null) throw new XmlSyntaxError(1, 'no root element');
  return root;
}

/** The element children of a node, optionally only those of a local name. */
export function children(node: Node, name?: string): Element[] {
  const out: Element[] = [];
  for (let child = node.firstChild; child !== null; child = child.nextSibling) {
    if (child.nodeType === ELEMENT_NODE && (name === undefined || (child as Element).localName === name)) out.push(child as Element);
  }
  return out;
}

/** The first element child of a local name. */
export function child(node: Node, name: string): Element | undefined {
  return children(node, name)[0];
}

/** Every descendant element of a local name, in document order. */
export function descendants(node: Node, name: string): Element[] {
  const out: Element[] = [];
  for (const c of children(node)) {
    if (c.localName === name) out.push(c);
    out.push(...descendants(c, name));
  }
  return out;
}

/** The text of a node and its descendants, whitespace runs as one space, trimmed. */
export function textOf(node: Node): string {
  return rawText(node).replace(/\s+/g, ' ').trim();
}

function rawText(node: Node): string {
  if (node.nodeType === TEXT_NODE || node.nodeType === CDATA_SECTION_NODE) return node.nodeValue ?? '';
  let text = '';
  for (let c = node.firstChild; c !== null; c = c.nextSibling) text += rawText(c);
  return text;
}

/** An attribute by its qualified name (`xlink:href` as written or in the XLink namespace), or undefined. */
export function attr(element: Element, name: string): string | undefined {
  if (element.hasAttribute(name)) return element.getAttribute(name) ?? undefined;
  const [prefix, local] = name.split(':');
  if (local !== undefined && prefix === 'xlink') return element.getAttributeNS('http://www.w3.org/1999/xlink', local) ?? undefined;
  if (local !== undefined && prefix === 'xml') return element.getAttributeNS('http://www.w3.org/XML/1998/namespace', local) ?? undefined;
  return undefined;
}

/** The line an element starts on, as the parser located it. */
export function lineOf(node: Node): number {
  return (node as Node & { lineNumber?: number }).lineNumber ?? 0;
}

/** Where an element stands: `front/article-meta/contrib-group/contrib[2]/contrib-id`. */
export function pathOf(element: Element): string {
  const steps: string[] = [];
  for (let e: Element | null = element; e !== null && e.parentNode !== null && e.parentNode.nodeType === ELEMENT_NODE; e = e.parentNode as Element) {
    const parent = e.parentNode as Element;
    const same = children(parent, e.localName ?? '');
    steps.unshift(same.length > 1 ? `${e.localName ?? ''}[${same.indexOf(e) + 1}]` : (e.localName ?? ''));
  }
  return steps.join('/') || (element.localName ?? '');
}

/** A language tag as one of ours: `fa`, `fa-IR`, `per` → fa; `en`, `en-GB`, `eng` → en; others → the tag itself. */
export function ourLang(tag: string): Lang | string {
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  if (primary === 'fa' || primary === 'fas' || primary === 'per') return 'fa';
  if (primary === 'en' || primary === 'eng') return 'en';
  return tag.trim();
}

/** The `xml:lang` an element has or inherits, or undefined. */
export function inheritedLang(element: Element): string | undefined {
  for (let e: Node | null = element; e !== null && e.nodeType === ELEMENT_NODE; e = e.parentNode) {
    const lang = attr(e as Element, 'xml:lang');
    if (lang !== undefined && lang !== '') return lang;
  }
  return undefined;
}

/** The language a text's script shows: Arabic script is Persian here, Latin is English; null for neither. */
export function scriptLang(text: string): Lang | null {
  if (ARABIC_SCRIPT.test(text)) return 'fa';
  if (/\p{Script=Latin}/u.test(text)) return 'en';
  return null;
}
