import type { Element } from '@xmldom/xmldom';
import { child, children, parseXml, textOf, XmlSyntaxError } from '../ingest/xml-dom.js';
import { HttpFailure, httpGet, type HttpAnswer, type HttpOptions } from './http.js';

/** The OAI-PMH 2.0 namespace. */
export const OAI_NS = 'http://www.openarchives.org/OAI/2.0/';

/** A list's resumption token, with the attributes the consistency checks read. */
export interface ResumptionToken {
  value: string;
  cursor: number | null;
  completeListSize: number | null;
}

/** A parsed OAI-PMH response. */
export interface OaiPage {
  responseDate: string;
  errors: Array<{ code: string; message: string }>;
  /** The verb's element (`Identify`, `ListRecords`…); undefined on an error response. */
  body: Element | undefined;
  token: ResumptionToken | null;
}

/** One request's outcome: the HTTP answer, the parsed response, or why it is no OAI-PMH answer. */
export interface OaiAnswer {
  url: string;
  /** Null when no HTTP answer came at all. */
  http: HttpAnswer | null;
  page: OaiPage | null;
  /** Why this is not a usable OAI-PMH response (unreachable, a redirect, HTTP 404, HTML…); null when it is. */
  problem: string | null;
}

/** Request arguments, in order. */
export type OaiArgs = ReadonlyArray<readonly [string, string]>;

/** The text of an element's first child of a local name; empty when there is none. */
export function textIn(parent: Element, name: string): string {
  const element = child(parent, name);
  return element === undefined ? '' : textOf(element);
}

function whole(value: string | null): number | null {
  return value !== null && /^\d+$/.test(value) ? Number(value) : null;
}

/** Reads an OAI-PMH document; throws XmlSyntaxError when it is not well-formed, Error when it is not OAI-PMH. */
export function parseOaiPage(text: string): OaiPage {
  const root = parseXml(text);
  if (root.localName !== 'OAI-PMH' || root.namespaceURI !== OAI_NS) {
    throw new Error(`the root element is <${root.tagName}>, not OAI-PMH's`);
  }
  const errors = children(root, 'error').map((e) => ({ code: e.getAttribute('code') ?? '', message: textOf(e) }));
  const body = children(root).find((e) => !['responseDate', 'request', 'error'].includes(e.localName ?? ''));
  const tokenElement = body === undefined ? undefined : child(body, 'resumptionToken');
  const token =
    tokenElement === undefined
      ? null
      : {
          value: textOf(tokenElement),
          cursor: whole(tokenElement.getAttribute('cursor')),
          completeListSize: whole(tokenElement.getAttribute('completeListSize')),
        };
  return { responseDate: textIn(root, 'responseDate'), errors, body, token };
}

const XML_TYPE = /^(text|application)\/xml\b/i;

/** The request URL for arguments, built on the base URL exactly as given. */
export function oaiUrl(baseUrl: string, args: OaiArgs): string {
  return args.length === 0 ? baseUrl : `${baseUrl}?${new URLSearchParams(args.map(([k, v]): [string, string] => [k, v])).toString()}`;
}

/** Sends OAI-PMH requests over GET and reads the answers; it never throws. */
export class OaiClient {
  constructor(
    readonly baseUrl: string,
    readonly http: HttpOptions,
  ) {}

  /** GETs `baseUrl?args`, and says why the answer is not OAI-PMH when it is not. */
  async get(args: OaiArgs, headers: Record<string, string> = {}): Promise<OaiAnswer> {
    const url = oaiUrl(this.baseUrl, args);
    let http: HttpAnswer;
    try {
      http = await httpGet(url, this.http, headers);
    } catch (error) {
      if (error instanceof HttpFailure) return { url, http: null, page: null, problem: error.message };
      throw error;
    }
    if (http.redirectTo !== null) return { url, http, page: null, problem: `HTTP ${http.status}: redirected to ${http.redirectTo}` };
    if (http.status !== 200) return { url, http, page: null, problem: `HTTP ${http.status} instead of 200` };
    const type = http.headers.get('Content-Type') ?? '';
    if (!XML_TYPE.test(type)) return { url, http, page: null, problem: `Content-Type "${type}" instead of text/xml` };
    try {
      return { url, http, page: parseOaiPage(http.body), problem: null };
    } catch (error) {
      const where = error instanceof XmlSyntaxError ? `not well-formed XML (line ${error.line}: ${error.detail})` : (error as Error).message;
      return { url, http, page: null, problem: where };
    }
  }
}

/** A list's items: the `header`, `record` or `set` children of the verb's element. */
export function listItems(page: OaiPage): Element[] {
  return page.body === undefined ? [] : children(page.body).filter((e) => e.localName !== 'resumptionToken');
}

/** A record's or header's identity, as the checks read it. */
export interface HeaderFacts {
  identifier: string;
  datestamp: string;
  deleted: boolean;
}

/** The header of a `header` or `record` item. */
export function headerFacts(item: Element): HeaderFacts {
  const header = item.localName === 'record' ? (child(item, 'header') ?? item) : item;
  return {
    identifier: textIn(header, 'identifier'),
    datestamp: textIn(header, 'datestamp'),
    deleted: header.getAttribute('status') === 'deleted',
  };
}
