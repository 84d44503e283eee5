/**
 * How a record's metadata is split for storage: the root element's start tag (its namespaces and
 * schema location, the same in most records of a format) is kept once in `fragment_head`, and
 * only what follows it is compressed into each record. Its end tag follows from the start tag.
 */

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;

/** Rendered metadata as its shared head, its own body and its shared tail, as UTF-8. */
export interface SplitText {
  /** The root element's start tag, or null when the text has no root to split off. */
  head: Buffer | null;
  body: Buffer;
}

/** The end tag that closes the root element a head opens. */
export function tailOf(head: string): string {
  const name = /^<([^\s/>]+)/.exec(head)?.[1];
  if (name === undefined) throw new Error(`not a start tag: ${head.slice(0, 40)}`);
  return `</${name}>`;
}

/**
 * Splits UTF-8 XML whose root element has content: the start tag, and the rest without the end
 * tag. Anything else (an empty root, no root, text after the root) is kept whole. Bytes are
 * scanned, not characters: no byte of a multi-byte UTF-8 sequence is ASCII.
 */
export function splitRoot(xml: Buffer): SplitText {
  const whole = { head: null, body: xml };
  if (xml[0] !== LT) return whole;
  let quote = 0;
  let end = -1;
  for (let i = 1; i < xml.length; i++) {
    const c = xml[i];
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === QUOTE || c === APOSTROPHE) {
      quote = c;
    } else if (c === GT) {
      end = i + 1;
      break;
    }
  }
  if (end === -1 || xml[end - 2] === SLASH) return whole;
  const head = xml.subarray(0, end);
  const tail = Buffer.from(tailOf(head.toString('latin1')), 'latin1');
  const bodyEnd = xml.length - tail.length;
  if (bodyEnd < end || !xml.subarray(bodyEnd).equals(tail)) return whole;
  return { head, body: xml.subarray(end, bodyEnd) };
}
