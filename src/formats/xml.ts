/**
 * A small element builder for the metadata crosswalks: the part of xmlbuilder2's builder API they
 * use (`ele`, `txt`, `end`), with the same output, about forty times faster. Every record is
 * rendered in six formats whenever it is written, so the serializer decides how fast an import
 * runs. It also escapes every `&`: xmlbuilder2 leaves one that looks like an entity reference
 * (`AT&T;`, `&amp;`) as it is, which yields ill-formed XML or silently changes the text.
 *
 * Names are not checked: the crosswalks pass constant, valid names. Text must already be free of
 * characters XML 1.0 forbids (see `cleanText` and `stripXmlIllegal`).
 */

const TEXT_SPECIAL = /[&<>]/g;
const ATTRIBUTE_SPECIAL = /[&<>"]/g;
const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const entity = (c: string): string => ENTITIES[c] ?? c;
const HAS_TEXT_SPECIAL = /[&<>]/;
const HAS_ATTRIBUTE_SPECIAL = /[&<>"]/;

/** Escapes element content. */
export function escapeText(text: string): string {
  return HAS_TEXT_SPECIAL.test(text) ? text.replace(TEXT_SPECIAL, entity) : text;
}

/** Escapes a double-quoted attribute value. */
export function escapeAttribute(value: string): string {
  return HAS_ATTRIBUTE_SPECIAL.test(value) ? value.replace(ATTRIBUTE_SPECIAL, entity) : value;
}

/** An element being built; its children are kept in order until `end` serializes them. */
export interface XmlElement {
  /** Appends a child element and returns it. */
  ele(name: string, attributes?: Readonly<Record<string, string>>): XmlElement;
  /** Appends text and returns this element. */
  txt(text: string): XmlElement;
  /** The element and everything in it, as an XML fragment without a declaration. */
  end(): string;
}

class Element implements XmlElement {
  private readonly children: Array<Element | string> = [];

  constructor(
    private readonly name: string,
    private readonly attributes: Readonly<Record<string, string>>,
  ) {}

  ele(name: string, attributes: Readonly<Record<string, string>> = {}): XmlElement {
    const child = new Element(name, attributes);
    this.children.push(child);
    return child;
  }

  txt(text: string): XmlElement {
    this.children.push(escapeText(text));
    return this;
  }

  end(): string {
    const parts: string[] = [];
    this.write(parts);
    return parts.join('');
  }

  private write(parts: string[]): void {
    parts.push(`<${this.name}`);
    for (const key in this.attributes) parts.push(` ${key}="${escapeAttribute(this.attributes[key] ?? '')}"`);
    // An element with no content at all closes itself, as xmlbuilder2 writes it; empty text does not.
    if (this.children.length === 0) {
      parts.push('/>');
      return;
    }
    parts.push('>');
    for (const child of this.children) {
      if (typeof child === 'string') parts.push(child);
      else child.write(parts);
    }
    parts.push(`</${this.name}>`);
  }
}

/** Starts a fragment with its root element. */
export function xmlElement(name: string, attributes: Readonly<Record<string, string>> = {}): XmlElement {
  return new Element(name, attributes);
}
