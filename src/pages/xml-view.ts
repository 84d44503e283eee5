import { createRequire } from 'node:module';
import type { convert as Convert } from 'xmlbuilder2';
import { escapeHtml, Html } from './html.js';

let convert: typeof Convert | undefined;

/**
 * Indents an XML fragment for reading; a fragment that does not parse is shown as it is. The XML
 * library is loaded on the first page that shows XML, not by every server at start.
 */
export function prettyXml(xml: string): string {
  convert ??= (createRequire(import.meta.url)('xmlbuilder2') as { convert: typeof Convert }).convert;
  try {
    return convert(xml, { format: 'xml', prettyPrint: true, headless: true, indent: '  ' });
  } catch {
    return xml;
  }
}

const TOKENS = /(<\?[\s\S]*?\?>)|(<!--[\s\S]*?-->)|(<\/?[^>]+>)|([^<]+)/g;
const TAG = /^<(\/?)([^\s/>]+)([\s\S]*?)(\/?)>$/;
const ATTRIBUTE = /([^\s=]+)(\s*=\s*)("[^"]*"|'[^']*')/g;

function tag(source: string): string {
  const m = TAG.exec(source);
  if (!m) return escapeHtml(source);
  const [, close = '', name = '', rest = '', selfClose = ''] = m;
  const attributes = rest.replace(ATTRIBUTE, '\u0000$1\u0001$2\u0002$3\u0003');
  const highlighted = escapeHtml(attributes)
    .replaceAll('\u0000', '<span class="attr">')
    .replaceAll('\u0001', '</span>')
    .replaceAll('\u0002', '<span class="value">')
    .replaceAll('\u0003', '</span>');
  return `<span class="tag">&lt;${close}${escapeHtml(name)}</span>${highlighted}<span class="tag">${selfClose}&gt;</span>`;
}

/**
 * XML as highlighted HTML. Every piece is escaped: the XML's own escapes (`&amp;`) show as they
 * are written, and nothing in a record can become markup.
 */
export function highlightXml(xml: string): Html {
  const out = xml.replace(TOKENS, (_all, pi?: string, comment?: string, element?: string, text?: string) => {
    if (pi !== undefined || comment !== undefined) return `<span class="pi">${escapeHtml(pi ?? comment ?? '')}</span>`;
    if (element !== undefined) return tag(element);
    // Element text is isolated, so a Persian sentence keeps its own direction inside the ltr listing.
    const content = text ?? '';
    return content.trim() === '' ? content : `<bdi>${escapeHtml(content)}</bdi>`;
  });
  return new Html(`<pre class="xml" dir="ltr">${out}</pre>`);
}
