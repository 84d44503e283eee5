import { encodeBody, type BodyChunk, type Coding } from '../deflate/body.js';
import { DeflatedText, FramedText, inflateText, PreparedText } from '../deflate/piece.js';
import type { OaiSet } from '../model.js';
import { stripXmlIllegal } from '../text/normalize.js';
import type { HeaderOut, OaiResponse, RecordOut, TokenOut, VerbResult } from './result.js';

const OAI = 'http://www.openarchives.org/OAI/2.0/';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const OAI_DC = 'http://www.openarchives.org/OAI/2.0/oai_dc/';
const DC = 'http://purl.org/dc/elements/1.1/';
const OAI_IDENTIFIER = 'http://www.openarchives.org/OAI/2.0/oai-identifier';
const EPRINTS = 'http://www.openarchives.org/OAI/1.1/eprints';
const BRANDING = 'http://www.openarchives.org/OAI/2.0/branding/';

/** A policy as eprints.xsd has it: a URL, or else a text; an empty element when none is stated. */
function policy(name: string, value: string | undefined): string {
  if (value === undefined) return `<${name}/>`;
  return `<${name}>${/^https?:\/\/\S+$/.test(value) ? element('URL', value) : element('text', value)}</${name}>`;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for element content or a double-quoted attribute, dropping XML-illegal characters. */
export function escapeXml(value: string): string {
  return stripXmlIllegal(value).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function element(name: string, text: string, attributes = ''): string {
  return `<${name}${attributes}>${escapeXml(text)}</${name}>`;
}

/** Attributes from their values, escaped; null and undefined ones are left out. */
export function attrs(values: Readonly<Record<string, string | number | null | undefined>>): string {
  return Object.entries(values)
    .filter((e): e is [string, string | number] => e[1] !== null && e[1] !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');
}

function header(h: HeaderOut): string {
  return (
    `<header${h.deleted ? ' status="deleted"' : ''}>` +
    element('identifier', h.identifier) +
    element('datestamp', h.datestamp) +
    h.setSpecs.map((s) => element('setSpec', s)).join('') +
    '</header>'
  );
}

/** A record's pieces: its metadata goes out as it was stored, bytes or text. */
function* record(r: RecordOut): Generator<XmlChunk, void, undefined> {
  if (r.metadata === null) {
    yield `<record>${header(r.header)}</record>`;
    return;
  }
  yield `<record>${header(r.header)}<metadata>`;
  yield r.metadata;
  yield '</metadata></record>';
}

/** A piece of a response: text, UTF-8 bytes, or compressed text copied from the store. */
export type XmlChunk = BodyChunk;

const decoder = new TextDecoder();

/** Metadata as text, for views that show it rather than send it. */
export function metadataText(metadata: XmlChunk): string {
  if (typeof metadata === 'string') return metadata;
  if (metadata instanceof PreparedText) return decoder.decode(metadata.plain);
  if (metadata instanceof FramedText) return decoder.decode(metadata.plain());
  return metadata instanceof DeflatedText ? inflateText(metadata) : decoder.decode(metadata);
}

function token(t: TokenOut | null): string {
  if (t === null) return '';
  const a = attrs({ expirationDate: t.expirationDate, completeListSize: t.completeListSize, cursor: t.cursor });
  return t.value === '' ? `<resumptionToken${a}/>` : element('resumptionToken', t.value, a);
}

function setDescription(set: OaiSet): string {
  const parts = [
    set.nameFa === null ? '' : element('dc:title', set.nameFa, ' xml:lang="fa"'),
    element('dc:title', set.nameEn, ' xml:lang="en"'),
    set.descriptionFa === null ? '' : element('dc:description', set.descriptionFa, ' xml:lang="fa"'),
    set.descriptionEn === null ? '' : element('dc:description', set.descriptionEn, ' xml:lang="en"'),
  ];
  return (
    `<setDescription><oai_dc:dc xmlns:oai_dc="${OAI_DC}" xmlns:dc="${DC}" xmlns:xsi="${XSI}" ` +
    `xsi:schemaLocation="${OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd">${parts.join('')}</oai_dc:dc></setDescription>`
  );
}

function set(s: OaiSet): string {
  // setName is a single string: the English name, with the Persian one beside it when known.
  const name = s.nameFa === null ? s.nameEn : `${s.nameEn} / ${s.nameFa}`;
  return `<set>${element('setSpec', s.spec)}${element('setName', name)}${setDescription(s)}</set>`;
}

/** The body of a verb whose answer is small; records are written piece by piece in `xmlChunks`. */
function body(result: Exclude<VerbResult, { verb: 'ListIdentifiers' | 'ListRecords' | 'GetRecord' }>): string {
  switch (result.verb) {
    case 'Identify': {
      const id = result.oaiIdentifier;
      const description =
        id === null
          ? ''
          : `<description><oai-identifier xmlns="${OAI_IDENTIFIER}" xmlns:xsi="${XSI}" ` +
            `xsi:schemaLocation="${OAI_IDENTIFIER} http://www.openarchives.org/OAI/2.0/oai-identifier.xsd">` +
            element('scheme', 'oai') +
            element('repositoryIdentifier', id.repositoryIdentifier) +
            element('delimiter', ':') +
            element('sampleIdentifier', id.sampleIdentifier) +
            '</oai-identifier></description>';
      const eprints =
        `<description><eprints xmlns="${EPRINTS}" xmlns:xsi="${XSI}" xsi:schemaLocation="${EPRINTS} http://www.openarchives.org/OAI/1.1/eprints.xsd">` +
        (result.eprints.content === undefined ? '' : policy('content', result.eprints.content)) +
        policy('metadataPolicy', result.eprints.metadataPolicy) +
        policy('dataPolicy', result.eprints.dataPolicy) +
        (result.eprints.submissionPolicy === undefined ? '' : policy('submissionPolicy', result.eprints.submissionPolicy)) +
        '</eprints></description>';
      const b = result.branding;
      const branding =
        `<description><branding xmlns="${BRANDING}" xmlns:xsi="${XSI}" xsi:schemaLocation="${BRANDING} http://www.openarchives.org/OAI/2.0/branding.xsd">` +
        `<collectionIcon>${element('url', b.iconUrl)}${element('link', b.link)}${element('title', b.title)}${b.width === undefined ? '' : element('width', String(b.width))}${b.height === undefined ? '' : element('height', String(b.height))}</collectionIcon>` +
        '</branding></description>';
      return (
        '<Identify>' +
        element('repositoryName', result.repositoryName) +
        element('baseURL', result.baseUrl) +
        element('protocolVersion', '2.0') +
        result.adminEmails.map((e) => element('adminEmail', e)).join('') +
        element('earliestDatestamp', result.earliestDatestamp) +
        element('deletedRecord', 'persistent') +
        element('granularity', 'YYYY-MM-DDThh:mm:ssZ') +
        result.compression.map((c) => element('compression', c)).join('') +
        description +
        eprints +
        branding +
        '</Identify>'
      );
    }
    case 'ListMetadataFormats':
      return (
        '<ListMetadataFormats>' +
        result.formats
          .map(
            (f) =>
              '<metadataFormat>' +
              element('metadataPrefix', f.prefix) +
              element('schema', f.schema) +
              element('metadataNamespace', f.namespace) +
              '</metadataFormat>',
          )
          .join('') +
        '</ListMetadataFormats>'
      );
    case 'ListSets':
      return `<ListSets>${result.sets.map(set).join('')}${token(result.token)}</ListSets>`;
  }
}

/**
 * A response in pieces, in order: a list's records are written one by one as they are read from
 * the store, so no response is ever held whole. Metadata fragments are copied as they are, not
 * re-parsed.
 */
export function* xmlChunks(response: OaiResponse, stylesheet: string | null = null): Generator<XmlChunk, void, undefined> {
  yield '<?xml version="1.0" encoding="UTF-8"?>\n' +
    (stylesheet === null ? '' : `<?xml-stylesheet type="text/xsl" href="${escapeXml(stylesheet)}"?>\n`) +
    `<OAI-PMH xmlns="${OAI}" xmlns:xsi="${XSI}" xsi:schemaLocation="${OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">` +
    element('responseDate', response.responseDate) +
    element('request', response.baseUrl, attrs(response.args ?? {}));
  const result = response.body;
  if (result.verb === null) {
    yield result.errors.map((e) => element('error', e.message, attrs({ code: e.code }))).join('');
  } else if (result.verb === 'ListRecords') {
    yield '<ListRecords>';
    for (const r of result.records) yield* record(r);
    yield `${token(result.token)}</ListRecords>`;
  } else if (result.verb === 'ListIdentifiers') {
    yield '<ListIdentifiers>';
    for (const h of result.headers) yield header(h);
    yield `${token(result.token)}</ListIdentifiers>`;
  } else if (result.verb === 'GetRecord') {
    yield '<GetRecord>';
    yield* record(result.record);
    yield '</GetRecord>';
  } else {
    yield body(result);
  }
  yield '</OAI-PMH>\n';
}

/** A response as buffers of about `size` plain bytes each, in the given content coding (see `encodeBody`). */
export function xmlBuffers(response: OaiResponse, size: number, coding: Coding = 'identity'): Generator<Buffer, void, undefined> {
  return encodeBody(xmlChunks(response), coding, size);
}

/** A whole response as one string. */
export function writeXml(response: OaiResponse, stylesheet: string | null = null): string {
  let xml = '';
  for (const chunk of xmlChunks(response, stylesheet)) xml += metadataText(chunk);
  return xml;
}
