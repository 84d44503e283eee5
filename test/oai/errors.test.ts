// Every error condition of OAI-PMH 2.0 (§3.6 and the per-verb lists of §4), over real HTTP, with
// the `<request>` echo rules of §3.2: no attributes on badVerb/badArgument, escaped echoes otherwise.
import { createHmac } from 'node:crypto';
import type { Document, Element } from '@xmldom/xmldom';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { oaiContext } from '../../src/context.js';
import { oaiDc } from '../../src/formats/oai-dc.js';
import { FORMATS, type MetadataFormat } from '../../src/formats/registry.js';
import { encodeToken, type TokenState } from '../../src/oai/resumption-token.js';
import { openWritable } from '../../src/store/open.js';
import { SqliteRepository } from '../../src/store/records.js';
import { BASE_URL, makeServer, oai, PUBLIC_URL, SEEDED_AT, type OaiResult } from '../support/app.js';
import { nodes, text, texts } from '../support/xml.js';

/** The secret makeServer() signs tokens with unless told otherwise. */
const DEFAULT_SECRET = 'test-secret-of-sufficient-length';
const ID = (local: string): string => `oai:repo.example.org:${local}`;
const LOCAL_IDS = ['58-7', '58-39', '58-67', '58-89', '58-113', '58-141', '58-175', '58-197'];

// Every response is validated against the XSDs (xmllint in WebAssembly): a few requests take seconds.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const main = makeServer();
const paged = makeServer({ OAI_PAGE_SIZE_RECORDS: '3', OAI_PAGE_SIZE_IDENTIFIERS: '3' });

// ---------------------------------------------------------------------------------------------
// Helpers

function requestElement(doc: Document): Element {
  const all = nodes(doc, '/oai:OAI-PMH/oai:request');
  expect(all).toHaveLength(1);
  return all[0] as Element;
}

/** The attributes of `<request>`, by name. */
function echoOf(doc: Document): Record<string, string> {
  const r = requestElement(doc);
  const out: Record<string, string> = {};
  for (let i = 0; i < r.attributes.length; i++) {
    const a = r.attributes.item(i);
    if (a) out[a.name] = a.value;
  }
  return out;
}

/** §3.2: on badVerb and badArgument, `<request>` carries the base URL and no attributes at all. */
function expectNoEcho(doc: Document): void {
  const r = requestElement(doc);
  expect(r.attributes.length).toBe(0);
  expect(r.textContent).toBe(BASE_URL);
}

/** An error response holds responseDate, request and one or more errors, and nothing else. */
function expectErrorsOnly(res: OaiResult, codes: string[]): void {
  expect(res.errors).toEqual(codes);
  const children = nodes(res.doc, '/oai:OAI-PMH/*').map((n) => n.localName);
  expect(children).toEqual(['responseDate', 'request', ...codes.map(() => 'error')]);
  for (const message of texts(res.doc, '/oai:OAI-PMH/oai:error')) expect(message.trim()).not.toBe('');
}

/** Same as expectErrorsOnly, ignoring the order of the errors. */
function expectErrorSet(res: OaiResult, codes: string[]): void {
  expect([...res.errors].sort()).toEqual([...codes].sort());
  expectErrorsOnly(res, res.errors);
}

function identifiersIn(res: OaiResult): string[] {
  return texts(res.doc, '//oai:header/oai:identifier');
}

function tokenOf(res: OaiResult): string {
  return text(res.doc, '//oai:resumptionToken');
}

/** Changes the character at `index` to another base64url character. */
function flip(value: string, index: number): string {
  const c = value[index];
  if (c === undefined) throw new Error(`no character at ${index}`);
  const replacement = c === 'A' ? 'B' : 'A';
  return value.slice(0, index) + replacement + value.slice(index + 1);
}

const enc = encodeURIComponent;

// ---------------------------------------------------------------------------------------------

describe('badVerb', () => {
  it.each([
    ['no arguments at all', ''],
    ['an argument that is not verb (?junk)', 'junk'],
    ['an unknown verb', 'verb=junk'],
    ['an empty verb', 'verb='],
    ['a repeated verb', 'verb=Identify&verb=Identify'],
    ['a repeated verb with different values', 'verb=Identify&verb=ListSets'],
    ['a verb in the wrong case (verbs are case-sensitive)', 'verb=identify'],
    ['an argument name in the wrong case', 'Verb=Identify'],
    ['a verb with a trailing space', 'verb=Identify%20'],
    ['an Object.prototype key as verb', 'verb=__proto__'],
    ['another Object.prototype key as verb', 'verb=constructor'],
    ['a valid verb name plus arguments of another verb', 'verb=junk&metadataPrefix=oai_dc'],
  ])('%s → badVerb, no echo', async (_what, query) => {
    const res = await oai(main.app, query);
    expectErrorsOnly(res, ['badVerb']);
    expectNoEcho(res.doc);
  });
});

describe('badArgument', () => {
  const ok = 'verb=ListRecords&metadataPrefix=oai_dc';

  describe('unknown, missing, repeated or non-exclusive arguments', () => {
    it.each([
      ['Identify with an argument of another verb', 'verb=Identify&metadataPrefix=oai_dc', 1],
      ['Identify with an unknown argument', 'verb=Identify&foo=bar', 1],
      ['Identify with an Object.prototype key as argument', 'verb=Identify&__proto__=x', 1],
      ['Identify with an empty argument name', 'verb=Identify&=x', 1],
      ['ListMetadataFormats with metadataPrefix', 'verb=ListMetadataFormats&metadataPrefix=oai_dc', 1],
      ['ListSets with set', 'verb=ListSets&set=issue', 1],
      ['GetRecord with set', `verb=GetRecord&metadataPrefix=oai_dc&identifier=${enc(ID('58-7'))}&set=issue`, 1],
      ['ListRecords without metadataPrefix', 'verb=ListRecords', 1],
      ['ListIdentifiers without metadataPrefix', 'verb=ListIdentifiers&from=2025-01-01', 1],
      ['GetRecord without identifier', 'verb=GetRecord&metadataPrefix=oai_dc', 1],
      ['GetRecord without metadataPrefix', `verb=GetRecord&identifier=${enc(ID('58-7'))}`, 1],
      ['GetRecord without either required argument', 'verb=GetRecord', 2],
      ['a repeated metadataPrefix', 'verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc', 1],
      ['a repeated from', `${ok}&from=2024-01-01&from=2024-01-01`, 1],
      ['a repeated identifier', `verb=ListMetadataFormats&identifier=${enc(ID('58-7'))}&identifier=${enc(ID('58-7'))}`, 1],
      ['a repeated resumptionToken', 'verb=ListRecords&resumptionToken=a&resumptionToken=a', 1],
      ['resumptionToken with metadataPrefix', 'verb=ListRecords&metadataPrefix=oai_dc&resumptionToken=abc', 1],
      ['resumptionToken with from (ListIdentifiers)', 'verb=ListIdentifiers&resumptionToken=abc&from=2024-01-01', 1],
      ['ListSets with resumptionToken and set', 'verb=ListSets&resumptionToken=abc&set=issue', 1],
      ['two unknown arguments: one error each', 'verb=ListRecords&foo=1&bar=2', 2],
    ])('%s', async (_what, query, count) => {
      const res = await oai(main.app, query);
      expectErrorsOnly(res, Array.from({ length: count }, () => 'badArgument'));
      expectNoEcho(res.doc);
    });
  });

  describe('datestamps of illegal syntax', () => {
    it.each([
      ['junk', 'from=junk'],
      ['30 February in a leap year', 'from=2024-02-30'],
      ['29 February in a common year', 'from=2023-02-29'],
      ['29 February 2100 (not a leap year)', 'from=2100-02-29'],
      ['month 13', 'from=2024-13-01'],
      ['day 0', 'from=2024-01-00'],
      ['31 April', 'until=2024-04-31'],
      ['hour 25', 'from=2024-01-05T25:00:00Z'],
      ['hour 24', 'from=2024-01-05T24:00:00Z'],
      ['minute 60', 'from=2024-01-05T12:60:00Z'],
      ['second 60 (leap second)', 'from=2016-12-31T23:59:60Z'],
      ['no Z', 'from=2024-01-05T12:00:00'],
      ['a time zone offset', `from=${enc('2024-01-05T12:00:00+00:00')}`],
      ['minutes granularity', 'from=2024-01-05T12:00Z'],
      ['a fraction of a second', 'from=2024-01-05T12:00:00.5Z'],
      ['lowercase t and z', 'from=2024-01-05t12:00:00z'],
      ['a space instead of T', 'from=2024-01-05%2012:00:00Z'],
      ['an empty from', 'from='],
      ['an empty until', 'until='],
      ['a two-digit year', 'until=24-01-01'],
      ['a year and month only', 'until=2024-01'],
      ['a year only', 'from=2024'],
      ['a trailing newline', 'from=2024-01-01%0A'],
      ['Persian digits', `from=${enc('۲۰۲۴-۰۱-۰۱')}`],
      ['a Solar Hijri date', 'from=1403-13-01'],
    ])('%s', async (_what, arg) => {
      for (const verb of ['ListRecords', 'ListIdentifiers']) {
        const res = await oai(main.app, `verb=${verb}&metadataPrefix=oai_dc&${arg}`);
        expectErrorsOnly(res, ['badArgument']);
        expectNoEcho(res.doc);
      }
    });

    it('a bad from and a bad until give two errors', async () => {
      const res = await oai(main.app, `${ok}&from=junk&until=2024-02-30`);
      expectErrorsOnly(res, ['badArgument', 'badArgument']);
      expectNoEcho(res.doc);
    });
  });

  describe('from and until that do not fit together', () => {
    it.each([
      ['day from, seconds until', 'from=2024-01-01&until=2024-01-02T00:00:00Z'],
      ['seconds from, day until', 'from=2024-01-01T00:00:00Z&until=2024-01-02'],
      ['from later than until (day)', 'from=2024-01-02&until=2024-01-01'],
      ['from later than until (seconds)', 'from=2024-01-05T12:00:00Z&until=2024-01-05T11:59:59Z'],
      ['from later than until (across years)', 'from=2025-01-01&until=2024-12-31'],
    ])('%s', async (_what, args) => {
      for (const verb of ['ListRecords', 'ListIdentifiers']) {
        const res = await oai(main.app, `verb=${verb}&metadataPrefix=oai_dc&${args}`);
        expectErrorsOnly(res, ['badArgument']);
        expectNoEcho(res.doc);
      }
    });

    it('from equal to until is allowed in both granularities', async () => {
      for (const args of ['from=2025-03-01&until=2025-03-01', 'from=2025-03-01T08:30:00Z&until=2025-03-01T08:30:00Z']) {
        const res = await oai(main.app, `${ok}&${args}`);
        expect(res.errors).toEqual([]);
      }
    });
  });

  describe('values that are not valid for echoing', () => {
    it.each([
      ['metadataPrefix with a space', 'verb=ListRecords&metadataPrefix=oai%20dc'],
      ['metadataPrefix with a plus-encoded space', 'verb=ListIdentifiers&metadataPrefix=oai+dc'],
      ['metadataPrefix with a slash', 'verb=ListRecords&metadataPrefix=oai%2Fdc'],
      ['an empty metadataPrefix', 'verb=ListRecords&metadataPrefix='],
      ['GetRecord with metadataPrefix of illegal syntax', `verb=GetRecord&identifier=${enc(ID('58-7'))}&metadataPrefix=oai%3Cdc`],
      ['a set with a double colon', `${ok}&set=issue::58`],
      ['a set with a leading colon', `${ok}&set=:issue`],
      ['a set with a trailing colon', `${ok}&set=issue:`],
      ['a set with a space', `${ok}&set=issue%2058`],
      ['an empty set', `${ok}&set=`],
      ['an identifier that is not a URI (a double quote)', 'verb=GetRecord&metadataPrefix=oai_dc&identifier=invalid%22id'],
      ['an identifier without a scheme', 'verb=GetRecord&metadataPrefix=oai_dc&identifier=58-7'],
      ['an identifier with a space', `verb=GetRecord&metadataPrefix=oai_dc&identifier=${enc('oai:repo.example.org:58 7')}`],
      ['an identifier with a bad %-escape', 'verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:repo.example.org:58%25zz'],
      ['an empty identifier', 'verb=GetRecord&metadataPrefix=oai_dc&identifier='],
      ['ListMetadataFormats with an identifier that is not a URI', 'verb=ListMetadataFormats&identifier=invalid%22id'],
      ['ListMetadataFormats with an identifier with angle brackets', `verb=ListMetadataFormats&identifier=${enc('oai:x:<a>')}`],
    ])('%s', async (_what, query) => {
      const res = await oai(main.app, query);
      expectErrorsOnly(res, ['badArgument']);
      expectNoEcho(res.doc);
      // The rejected value appears nowhere as markup: it is not echoed and the message escapes it.
      expect(res.text).not.toMatch(/<a>|invalid"id/);
    });
  });

  // Made only of URI characters, but not URIs: echoing them (with idDoesNotExist) would make the
  // response schema-invalid, since identifierType is xs:anyURI (§3.2: only valid values are echoed).
  describe('identifiers of URI characters that are still not URIs', () => {
    it.each([
      ['a [ and ] outside an IP literal', 'oai:repo.example.org:a[b]'],
      ['a lone ]', 'oai:a]b'],
      ['a [ in a host', 'http://a[b/'],
      ['two # (a # inside the fragment)', 'oai:x#a#b'],
      ['a port that is not a number', 'http://a:b/'],
      ['two @ in the authority', 'http://a@b@c/'],
    ])('%s', async (_what, identifier) => {
      for (const query of [
        `verb=GetRecord&metadataPrefix=oai_dc&identifier=${enc(identifier)}`,
        `verb=ListMetadataFormats&identifier=${enc(identifier)}`,
      ]) {
        const res = await oai(main.app, query);
        expectErrorsOnly(res, ['badArgument']);
        expectNoEcho(res.doc);
      }
    });

    it.each([
      ['an IP literal', 'http://[::1]/x'],
      ['? and # in a fragment', 'oai:a?b#c?d'],
      ['an empty fragment', 'oai:a#'],
    ])('control: %s is a URI, so idDoesNotExist with an echo', async (_what, identifier) => {
      const res = await oai(main.app, `verb=ListMetadataFormats&identifier=${enc(identifier)}`);
      expectErrorsOnly(res, ['idDoesNotExist']);
      expect(echoOf(res.doc)).toEqual({ verb: 'ListMetadataFormats', identifier });
    });
  });

  describe('several problems at once', () => {
    it('ListRecords with foo and bar: two badArgument errors', async () => {
      const res = await oai(main.app, 'verb=ListRecords&foo=1&bar=2');
      expectErrorsOnly(res, ['badArgument', 'badArgument']);
      expectNoEcho(res.doc);
    });

    it('a bad metadataPrefix, a bad from and a bad set: three errors', async () => {
      const res = await oai(main.app, 'verb=ListRecords&metadataPrefix=oai%20dc&from=junk&set=issue::58');
      expectErrorsOnly(res, ['badArgument', 'badArgument', 'badArgument']);
      expectNoEcho(res.doc);
    });

    it('GetRecord with a bad identifier and a bad metadataPrefix: two errors', async () => {
      const res = await oai(main.app, 'verb=GetRecord&identifier=invalid%22id&metadataPrefix=oai%20dc');
      expectErrorsOnly(res, ['badArgument', 'badArgument']);
      expectNoEcho(res.doc);
    });
  });
});

describe('cannotDisseminateFormat', () => {
  it.each([
    ['ListRecords', 'verb=ListRecords&metadataPrefix=marc21', { verb: 'ListRecords', metadataPrefix: 'marc21' }],
    ['ListIdentifiers', 'verb=ListIdentifiers&metadataPrefix=marc21', { verb: 'ListIdentifiers', metadataPrefix: 'marc21' }],
    [
      'ListRecords with from, until and set',
      'verb=ListRecords&metadataPrefix=marc21&from=2025-01-01&until=2025-12-31&set=issue:58',
      { verb: 'ListRecords', metadataPrefix: 'marc21', from: '2025-01-01', until: '2025-12-31', set: 'issue:58' },
    ],
    [
      'GetRecord of an existing record',
      `verb=GetRecord&metadataPrefix=marc21&identifier=${enc(ID('58-7'))}`,
      { verb: 'GetRecord', metadataPrefix: 'marc21', identifier: ID('58-7') },
    ],
    [
      'a prefix in the wrong case (prefixes are case-sensitive)',
      'verb=ListRecords&metadataPrefix=OAI_DC',
      { verb: 'ListRecords', metadataPrefix: 'OAI_DC' },
    ],
    [
      "a prefix with characters that need escaping (' is legal in a metadataPrefix)",
      `verb=ListIdentifiers&metadataPrefix=${enc("it's")}`,
      { verb: 'ListIdentifiers', metadataPrefix: "it's" },
    ],
  ])('%s', async (_what, query, echo) => {
    const res = await oai(main.app, query);
    expectErrorsOnly(res, ['cannotDisseminateFormat']);
    expect(echoOf(res.doc)).toEqual(echo);
    expect(requestElement(res.doc).textContent).toBe(BASE_URL);
  });

  it("escapes the echoed metadataPrefix (it's → it&apos;s)", async () => {
    const res = await oai(main.app, `verb=ListRecords&metadataPrefix=${enc("it's")}`);
    expect(res.text).toContain('metadataPrefix="it&apos;s"');
  });
});

describe('idDoesNotExist', () => {
  it.each([
    ['an unknown local id', ID('99-1')],
    ['another repository', 'oai:other.example.org:58-7'],
    ['a different case (identifiers are case-sensitive)', 'oai:REPO.example.org:58-7'],
    ['an existing id with a suffix', ID('58-7x')],
    ['an existing id with a prefix', ID('x58-7')],
    ['an empty local part', 'oai:repo.example.org:'],
    ['the landing-page URL instead of the OAI identifier', 'http://repo.example.org/article/58-7'],
  ])('GetRecord: %s', async (_what, identifier) => {
    const res = await oai(main.app, `verb=GetRecord&metadataPrefix=oai_dc&identifier=${enc(identifier)}`);
    expectErrorsOnly(res, ['idDoesNotExist']);
    expect(echoOf(res.doc)).toEqual({ verb: 'GetRecord', metadataPrefix: 'oai_dc', identifier });
  });

  it('ListMetadataFormats with an unknown identifier', async () => {
    const res = await oai(main.app, `verb=ListMetadataFormats&identifier=${enc(ID('99-1'))}`);
    expectErrorsOnly(res, ['idDoesNotExist']);
    expect(echoOf(res.doc)).toEqual({ verb: 'ListMetadataFormats', identifier: ID('99-1') });
  });

  it('escapes an echoed identifier that holds & and \'', async () => {
    const identifier = ID("a&b'c");
    const res = await oai(main.app, `verb=GetRecord&metadataPrefix=oai_dc&identifier=${enc(identifier)}`);
    expectErrorsOnly(res, ['idDoesNotExist']);
    expect(echoOf(res.doc)['identifier']).toBe(identifier);
    expect(res.text).toContain('identifier="oai:repo.example.org:a&amp;b&apos;c"');
  });

  it('GetRecord with an unknown identifier AND an unknown prefix gives both errors', async () => {
    const res = await oai(main.app, `verb=GetRecord&metadataPrefix=marc21&identifier=${enc(ID('99-1'))}`);
    expectErrorSet(res, ['cannotDisseminateFormat', 'idDoesNotExist']);
    expect(echoOf(res.doc)).toEqual({ verb: 'GetRecord', metadataPrefix: 'marc21', identifier: ID('99-1') });
  });

  it('the known identifiers do exist (control)', async () => {
    for (const local of ['58-7', '58-113', '58-197']) {
      const res = await oai(main.app, `verb=GetRecord&metadataPrefix=oai_dc&identifier=${enc(ID(local))}`);
      expect(res.errors).toEqual([]);
      expect(identifiersIn(res)).toEqual([ID(local)]);
    }
    const formats = await oai(main.app, `verb=ListMetadataFormats&identifier=${enc(ID('58-7'))}`);
    expect(formats.errors).toEqual([]);
    expect(texts(formats.doc, '//oai:metadataPrefix')).toContain('oai_dc');
  });
});

describe('noRecordsMatch', () => {
  describe.each(['ListRecords', 'ListIdentifiers'])('%s', (verb) => {
    it.each([
      ['until before earliestDatestamp', { until: '2000-01-01' }],
      ['until the day before the records', { until: '2025-02-28' }],
      ['from in the future', { from: '2099-01-01' }],
      ['from the day after the records', { from: '2025-03-02' }],
      ['from = until on a day without records', { from: '2024-06-01', until: '2024-06-01' }],
      ['a set that does not exist', { set: 'issue:99' }],
      ['a set that does not exist, one level', { set: 'volume' }],
      ['until one second before the datestamp', { until: '2025-03-01T08:29:59Z' }],
      ['from one second after the datestamp', { from: '2025-03-01T08:30:01Z' }],
      ['a right set but the wrong dates', { set: 'issue:58', until: '2000-01-01' }],
    ])('%s', async (_what, args: Record<string, string>) => {
      const query = new URLSearchParams({ verb, metadataPrefix: 'oai_dc', ...args }).toString();
      const res = await oai(main.app, query);
      expectErrorsOnly(res, ['noRecordsMatch']);
      // Not a badArgument: the arguments are echoed (§3.2).
      expect(echoOf(res.doc)).toEqual({ verb, metadataPrefix: 'oai_dc', ...args });
    });

    it.each([
      ['from = until = the day of the records (inclusive day)', { from: '2025-03-01', until: '2025-03-01' }],
      ['from = until = the datestamp (inclusive second)', { from: SEEDED_AT, until: SEEDED_AT }],
      ['until = the day of the records', { until: '2025-03-01' }],
      ['until = the datestamp', { until: SEEDED_AT }],
      ['from = the day of the records', { from: '2025-03-01' }],
      ['from = the datestamp', { from: SEEDED_AT }],
      ['from before, until after', { from: '2025-02-28T23:59:59Z', until: '2025-03-01T08:30:01Z' }],
      ['set=issue:58', { set: 'issue:58' }],
      ['set=issue (the parent set)', { set: 'issue' }],
    ])('positive counterpart: %s returns all 8', async (_what, args: Record<string, string>) => {
      const query = new URLSearchParams({ verb, metadataPrefix: 'oai_dc', ...args }).toString();
      const res = await oai(main.app, query);
      expect(res.errors).toEqual([]);
      expect(identifiersIn(res).sort()).toEqual(LOCAL_IDS.map(ID).sort());
      expect(nodes(res.doc, '//oai:resumptionToken')).toHaveLength(0);
      expect(echoOf(res.doc)).toEqual({ verb, metadataPrefix: 'oai_dc', ...args });
    });
  });
});

describe('badResumptionToken', () => {
  const other = makeServer({ RESUMPTION_TOKEN_SECRET: 'another-secret-of-enough-length', OAI_PAGE_SIZE_RECORDS: '3' });
  let recordsToken = '';
  let identifiersToken = '';
  let otherToken = '';

  beforeAll(async () => {
    recordsToken = tokenOf(await oai(paged.app, 'verb=ListRecords&metadataPrefix=oai_dc'));
    identifiersToken = tokenOf(await oai(paged.app, 'verb=ListIdentifiers&metadataPrefix=oai_dc'));
    otherToken = tokenOf(await oai(other.app, 'verb=ListRecords&metadataPrefix=oai_dc'));
    expect(recordsToken).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(identifiersToken).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(otherToken).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  async function expectBadToken(app: typeof paged.app, verb: string, token: string): Promise<void> {
    const res = await oai(app, `verb=${verb}&resumptionToken=${enc(token)}`);
    expectErrorsOnly(res, ['badResumptionToken']);
    expect(echoOf(res.doc)).toEqual({ verb, resumptionToken: token });
    expect(requestElement(res.doc).textContent).toBe(BASE_URL);
  }

  describe('controls: the real tokens work where they belong', () => {
    it('a ListRecords token resumes ListRecords', async () => {
      const res = await oai(paged.app, `verb=ListRecords&resumptionToken=${enc(recordsToken)}`);
      expect(res.errors).toEqual([]);
      expect(nodes(res.doc, '//oai:record')).toHaveLength(3);
      expect(echoOf(res.doc)).toEqual({ verb: 'ListRecords', resumptionToken: recordsToken });
    });

    it('a ListIdentifiers token resumes ListIdentifiers', async () => {
      const res = await oai(paged.app, `verb=ListIdentifiers&resumptionToken=${enc(identifiersToken)}`);
      expect(res.errors).toEqual([]);
      expect(nodes(res.doc, '//oai:header')).toHaveLength(3);
    });

    it("the other server's token works on the other server", async () => {
      const res = await oai(other.app, `verb=ListRecords&resumptionToken=${enc(otherToken)}`);
      expect(res.errors).toEqual([]);
    });

    it('a token is still accepted 23 hours later', async () => {
      const token = tokenOf(await oai(paged.app, 'verb=ListRecords&metadataPrefix=oai_dc'));
      paged.setNow(new Date(Date.now() + 23 * 3600e3));
      try {
        const res = await oai(paged.app, `verb=ListRecords&resumptionToken=${enc(token)}`);
        expect(res.errors).toEqual([]);
      } finally {
        paged.setNow(new Date());
      }
    });
  });

  it.each(['ListRecords', 'ListIdentifiers', 'ListSets'])('%s: a garbage token', async (verb) => {
    await expectBadToken(paged.app, verb, 'garbage');
  });

  it.each(['ListRecords', 'ListIdentifiers', 'ListSets'])('%s: an empty resumptionToken=', async (verb) => {
    await expectBadToken(paged.app, verb, '');
  });

  it('a garbage token with characters to escape is echoed escaped', async () => {
    const token = `<not a token>&"'`;
    await expectBadToken(paged.app, 'ListRecords', token);
    const res = await oai(paged.app, `verb=ListRecords&resumptionToken=${enc(token)}`);
    expect(res.text).toContain('resumptionToken="&lt;not a token&gt;&amp;&quot;&apos;"');
  });

  it('a token of the right shape with a made-up signature', async () => {
    await expectBadToken(paged.app, 'ListRecords', 'abc.def');
  });

  it('a token whose payload was altered', async () => {
    const [payload = '', signature = ''] = recordsToken.split('.');
    for (const index of [0, 5, Math.floor(payload.length / 2), payload.length - 1]) {
      await expectBadToken(paged.app, 'ListRecords', `${flip(payload, index)}.${signature}`);
    }
  });

  it('a token with a wrong signature', async () => {
    const [payload = '', signature = ''] = recordsToken.split('.');
    await expectBadToken(paged.app, 'ListRecords', `${payload}.${flip(signature, signature.length - 1)}`);
    await expectBadToken(paged.app, 'ListRecords', `${payload}.${flip(signature, 0)}`);
    await expectBadToken(paged.app, 'ListRecords', `${payload}.${signature.slice(0, -1)}`);
    await expectBadToken(paged.app, 'ListRecords', `${payload}.${signature}A`);
    await expectBadToken(paged.app, 'ListRecords', `${payload}.`);
    await expectBadToken(paged.app, 'ListRecords', payload);
  });

  it('a ListRecords token sent to ListIdentifiers', async () => {
    await expectBadToken(paged.app, 'ListIdentifiers', recordsToken);
  });

  it('a ListRecords token sent to ListSets', async () => {
    await expectBadToken(paged.app, 'ListSets', recordsToken);
  });

  it('a ListIdentifiers token sent to ListRecords', async () => {
    await expectBadToken(paged.app, 'ListRecords', identifiersToken);
  });

  it('an expired token (40 days later)', async () => {
    const token = tokenOf(await oai(paged.app, 'verb=ListRecords&metadataPrefix=oai_dc'));
    paged.setNow(new Date(Date.now() + 40 * 86400e3));
    try {
      await expectBadToken(paged.app, 'ListRecords', token);
    } finally {
      paged.setNow(new Date());
    }
    // And once the clock is back, the same token works again: it was refused for its age only.
    const res = await oai(paged.app, `verb=ListRecords&resumptionToken=${enc(token)}`);
    expect(res.errors).toEqual([]);
  });

  it('a token from a server with a different RESUMPTION_TOKEN_SECRET', async () => {
    await expectBadToken(paged.app, 'ListRecords', otherToken);
    await expectBadToken(main.app, 'ListRecords', otherToken);
  });

  describe('correctly signed tokens whose content is wrong for the verb', () => {
    const base: TokenState = {
      verb: 'ListRecords',
      metadataPrefix: 'oai_dc',
      set: null,
      from: null,
      until: SEEDED_AT,
      after: { datestamp: SEEDED_AT, id: 1 },
      cursor: 3,
      completeListSize: 8,
      expires: Math.floor(Date.now() / 1000) + 86400,
    };
    const sign = (state: TokenState): string => encodeToken(state, DEFAULT_SECRET);
    /** A payload that encodeToken cannot produce, signed the way the server signs. */
    const signRaw = (json: string): string => {
      const payload = Buffer.from(json, 'utf8').toString('base64url');
      return `${payload}.${createHmac('sha256', DEFAULT_SECRET).update(payload).digest('base64url').slice(0, 22)}`;
    };

    it('control: a forged but well-formed token is accepted (the secret is the only guard)', async () => {
      const res = await oai(main.app, `verb=ListRecords&resumptionToken=${enc(sign(base))}`);
      expect(res.errors).toEqual([]);
    });

    it.each([
      ['a ListRecords token with an unknown metadataPrefix', { ...base, metadataPrefix: 'marc21' }, 'ListRecords'],
      ['a ListRecords token with no metadataPrefix', { ...base, metadataPrefix: null }, 'ListRecords'],
      ['a ListRecords token whose position is a setSpec', { ...base, after: { spec: 'issue' } }, 'ListRecords'],
      ['a ListSets token whose position is a record key', { ...base, verb: 'ListSets', metadataPrefix: null }, 'ListSets'],
      ['a ListSets token past the last set', { ...base, verb: 'ListSets', metadataPrefix: null, after: { spec: 'zzz' } }, 'ListSets'],
    ] as Array<[string, TokenState, string]>)('%s', async (_what, state, verb) => {
      await expectBadToken(main.app, verb, sign(state));
    });

    it.each([
      ['JSON null', 'null'],
      ['not JSON', 'not json'],
      ['a state without after', JSON.stringify({ ...base, after: undefined })],
      ['a state with an unknown verb', JSON.stringify({ ...base, verb: 'GetRecord' })],
    ])('a signed payload that is %s', async (_what, json) => {
      await expectBadToken(main.app, 'ListRecords', signRaw(json));
    });
  });
});

describe('noSetHierarchy', () => {
  describe('the seeded repository has sets', () => {
    it('ListSets answers with the sets, not noSetHierarchy', async () => {
      const res = await oai(main.app, 'verb=ListSets');
      expect(res.errors).toEqual([]);
      expect(texts(res.doc, '//oai:set/oai:setSpec')).toEqual(expect.arrayContaining(['issue', 'issue:58']));
    });

    it.each(['ListRecords', 'ListIdentifiers'])('%s with set=issue:58 works', async (verb) => {
      const res = await oai(main.app, `verb=${verb}&metadataPrefix=oai_dc&set=issue:58`);
      expect(res.errors).toEqual([]);
      expect(identifiersIn(res)).toHaveLength(8);
    });
  });

  describe('a repository without sets (and without records)', () => {
    const db = openWritable(':memory:');
    // The migrations create the openaire set; a repository with no set hierarchy has none.
    db.exec('DELETE FROM oai_set');
    const config = loadConfig({ PUBLIC_URL, DATABASE_PATH: ':memory:', ADMIN_EMAIL: 'oai-admin@example.org' });
    const ctx = oaiContext(config, {
      db,
      repository: new SqliteRepository(db),
      tokenSecret: 'x'.repeat(20),
      seeded: null,
      restamps: [],
      close: () => db.close(),
    });
    const empty = createApp(ctx);
    afterAll(() => db.close());

    it('ListSets → noSetHierarchy', async () => {
      const res = await oai(empty, 'verb=ListSets');
      expectErrorsOnly(res, ['noSetHierarchy']);
      expect(echoOf(res.doc)).toEqual({ verb: 'ListSets' });
    });

    it.each(['ListRecords', 'ListIdentifiers'])('%s with set=x → noSetHierarchy', async (verb) => {
      const res = await oai(empty, `verb=${verb}&metadataPrefix=oai_dc&set=x`);
      expectErrorsOnly(res, ['noSetHierarchy']);
      expect(echoOf(res.doc)).toEqual({ verb, metadataPrefix: 'oai_dc', set: 'x' });
    });

    it('an unknown prefix and a set: cannotDisseminateFormat and noSetHierarchy', async () => {
      const res = await oai(empty, 'verb=ListRecords&metadataPrefix=marc21&set=x');
      expectErrorSet(res, ['cannotDisseminateFormat', 'noSetHierarchy']);
    });

    it.each(['ListRecords', 'ListIdentifiers'])('%s on the empty repository → noRecordsMatch', async (verb) => {
      const res = await oai(empty, `verb=${verb}&metadataPrefix=oai_dc`);
      expectErrorsOnly(res, ['noRecordsMatch']);
      expect(echoOf(res.doc)).toEqual({ verb, metadataPrefix: 'oai_dc' });
    });

    it('GetRecord on the empty repository → idDoesNotExist', async () => {
      const res = await oai(empty, `verb=GetRecord&metadataPrefix=oai_dc&identifier=${enc(ID('58-7'))}`);
      expectErrorsOnly(res, ['idDoesNotExist']);
    });

    it('ListMetadataFormats still lists every format', async () => {
      const res = await oai(empty, 'verb=ListMetadataFormats');
      expect(res.errors).toEqual([]);
      expect(texts(res.doc, '//oai:metadataPrefix')).toEqual([...FORMATS.keys()]);
    });

    it('ListSets with a resumptionToken → badResumptionToken', async () => {
      const res = await oai(empty, 'verb=ListSets&resumptionToken=garbage');
      expectErrorsOnly(res, ['badResumptionToken']);
    });

    it('Identify is still schema-valid, with no oai-identifier description', async () => {
      const res = await oai(empty, 'verb=Identify');
      expect(res.errors).toEqual([]);
      expect(text(res.doc, '//oai:Identify/oai:baseURL')).toBe(BASE_URL);
      expect(text(res.doc, '//oai:Identify/oai:earliestDatestamp')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      // eprints and branding remain; oai-identifier needs a sample that exists.
      expect(nodes(res.doc, '//oai:Identify/oai:description')).toHaveLength(2);
      expect(nodes(res.doc, '//id:oai-identifier')).toHaveLength(0);
    });
  });
});

describe('item-level formats: noMetadataFormats and cannotDisseminateFormat', () => {
  // oai_dc can disseminate every record, so these errors need a format that refuses some item.
  const refusing: MetadataFormat = { ...oaiDc, canDisseminate: () => false };
  const app = createApp({ ...oaiContext(main.config, main.store), formats: new Map([[refusing.prefix, refusing]]) });

  it('ListMetadataFormats for an item no format can disseminate → noMetadataFormats', async () => {
    const res = await oai(app, `verb=ListMetadataFormats&identifier=${enc(ID('58-7'))}`);
    expectErrorsOnly(res, ['noMetadataFormats']);
    expect(echoOf(res.doc)).toEqual({ verb: 'ListMetadataFormats', identifier: ID('58-7') });
  });

  it('GetRecord in a format the item does not have → cannotDisseminateFormat', async () => {
    // DataCite requires a title, and no source gives 58-7 one: the store holds no DataCite for it.
    const res = await oai(main.app, `verb=GetRecord&metadataPrefix=oai_datacite&identifier=${enc(ID('58-7'))}`);
    expectErrorsOnly(res, ['cannotDisseminateFormat']);
    expect(echoOf(res.doc)).toEqual({ verb: 'GetRecord', metadataPrefix: 'oai_datacite', identifier: ID('58-7') });
  });

  it('ListMetadataFormats without an identifier still lists the format', async () => {
    const res = await oai(app, 'verb=ListMetadataFormats');
    expect(res.errors).toEqual([]);
    expect(texts(res.doc, '//oai:metadataPrefix')).toEqual(['oai_dc']);
  });
});

describe('POST gives the same errors as GET', () => {
  it.each([
    ['no arguments', '', ['badVerb']],
    ['?junk', 'junk', ['badVerb']],
    ['an unknown verb', 'verb=junk', ['badVerb']],
    ['a repeated verb', 'verb=Identify&verb=Identify', ['badVerb']],
    ['two unknown arguments', 'verb=ListRecords&foo=1&bar=2', ['badArgument', 'badArgument']],
    ['a bad date', 'verb=ListRecords&metadataPrefix=oai_dc&from=2024-02-30', ['badArgument']],
    ['an identifier that is not a URI', 'verb=GetRecord&metadataPrefix=oai_dc&identifier=invalid%22id', ['badArgument']],
    ['resumptionToken with another argument', 'verb=ListRecords&metadataPrefix=oai_dc&resumptionToken=x', ['badArgument']],
  ])('%s', async (_what, query, codes) => {
    const res = await oai(main.app, query, 'POST');
    expectErrorsOnly(res, codes);
    expectNoEcho(res.doc);
  });

  it.each([
    ['an unknown prefix', 'verb=ListRecords&metadataPrefix=marc21', ['cannotDisseminateFormat'], { verb: 'ListRecords', metadataPrefix: 'marc21' }],
    [
      'an unknown identifier and prefix',
      `verb=GetRecord&metadataPrefix=marc21&identifier=${enc(ID('99-1'))}`,
      ['cannotDisseminateFormat', 'idDoesNotExist'],
      { verb: 'GetRecord', metadataPrefix: 'marc21', identifier: ID('99-1') },
    ],
    ['no records', 'verb=ListIdentifiers&metadataPrefix=oai_dc&until=2000-01-01', ['noRecordsMatch'], { verb: 'ListIdentifiers', metadataPrefix: 'oai_dc', until: '2000-01-01' }],
    ['a set that does not exist', 'verb=ListRecords&metadataPrefix=oai_dc&set=issue:99', ['noRecordsMatch'], { verb: 'ListRecords', metadataPrefix: 'oai_dc', set: 'issue:99' }],
    ['a garbage token', 'verb=ListRecords&resumptionToken=garbage', ['badResumptionToken'], { verb: 'ListRecords', resumptionToken: 'garbage' }],
  ])('%s', async (_what, query, codes, echo) => {
    const res = await oai(main.app, query, 'POST');
    expectErrorSet(res, codes);
    expect(echoOf(res.doc)).toEqual(echo);
  });

  it('a tampered token over POST', async () => {
    const token = tokenOf(await oai(paged.app, 'verb=ListRecords&metadataPrefix=oai_dc', 'POST'));
    const [payload = '', signature = ''] = token.split('.');
    const res = await oai(paged.app, `verb=ListRecords&resumptionToken=${enc(`${flip(payload, 3)}.${signature}`)}`, 'POST');
    expectErrorsOnly(res, ['badResumptionToken']);
  });
});
