import fc from 'fast-check';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { VERBS, type Verb } from '../../src/oai/verbs.js';
import { makeServer } from '../support/app.js';
import { validateOaiResponse } from '../support/xsd.js';
import { nodes, parseXml } from '../support/xml.js';

// Property-based tests over every argument of every verb, GET and POST, with hostile values:
// whatever comes in, the answer is schema-valid OAI-PMH with the right error, or a refusal at the
// HTTP level for an oversized request, and never a 500.

const server = makeServer({ OAI_PAGE_SIZE_RECORDS: '3', OAI_PAGE_SIZE_IDENTIFIERS: '3' });
const VERB_NAMES = Object.keys(VERBS) as Verb[];
const ARGUMENTS = ['verb', 'identifier', 'metadataPrefix', 'from', 'until', 'set', 'resumptionToken'];
const ERRORS = ['badArgument', 'badResumptionToken', 'cannotDisseminateFormat', 'idDoesNotExist', 'noRecordsMatch', 'noMetadataFormats', 'noSetHierarchy'];

/** A percent-encoded value: how each hostile string reaches the server. */
const encoded = (s: string) => encodeURIComponent(s);
const hex = (bytes: number[]) => bytes.map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`).join('');

const value: fc.Arbitrary<string> = fc.oneof(
  // Plausible values, so that deeper paths are reached too.
  fc.constantFrom('oai_dc', 'marcxml', 'issue:58', 'issue', '2025-03-01', '2025-03-01T08:30:00Z', 'oai:repo.example.org:58-7', '').map(encoded),
  // Any Unicode, astral planes and lone surrogates included.
  fc.string({ unit: 'binary', maxLength: 40 }).map((s) => hex([...Buffer.from(s, 'utf8')])),
  // Random bytes: invalid UTF-8 as often as not.
  fc.uint8Array({ maxLength: 40 }).map((b) => hex([...b])),
  // Broken percent-encoding.
  fc.constantFrom('%', '%2', '%zz', '%%41', '%E0%A4', '%C0%AF', '%FF%FE', '%00', '%0D%0A'),
  // Markup and quotes meant to break the <request> echo.
  fc.constantFrom('"><error code="x">', "'/><x a='", '<![CDATA[x]]>', '&amp;&lt;&#0;', ']]>', '<?xml?>').map(encoded),
  // Identifiers with %, #, spaces and non-Latin letters.
  fc.constantFrom('oai:repo.example.org:58-7#x', 'oai:repo.example.org:58 7', 'oai:repo.example.org:%41', 'oai:repo.example.org:۵۸-۷', 'oai:مخزن:58-7').map(encoded),
  // Very long values, rarely.
  fc.constantFrom('a'.repeat(100 * 1024), `oai:repo.example.org:${'۷'.repeat(20_000)}`).map(encoded),
);
const key = fc.oneof(fc.constantFrom(...ARGUMENTS), fc.string({ maxLength: 10 }).map(encoded), fc.constantFrom('', 'verb%00', 'Verb', 'VERB'));
const verbValue = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...VERB_NAMES) }, { weight: 1, arbitrary: value });
/** A raw query: a verb (or not), then arguments, repeats and empty pairs included. */
const query = fc
  .tuple(fc.option(verbValue, { freq: 8 }), fc.array(fc.tuple(key, value), { maxLength: 5 }), fc.boolean())
  .map(([verb, pairs, stray]) => [...(verb === null ? [] : [`verb=${verb}`]), ...pairs.map(([k, v]) => `${k}=${v}`), ...(stray ? ['&&=&x'] : [])].join('&'));

/** What the answer must say, given what reached the server. */
function expectRightAnswer(raw: string, xml: string): void {
  const doc = parseXml(xml);
  const errors = nodes(doc, '/oai:OAI-PMH/oai:error').map((e) => e.getAttribute('code') ?? '');
  const pairs = [...new URLSearchParams(raw)];
  const verbs = pairs.filter(([k]) => k === 'verb').map(([, v]) => v);
  const echo = nodes(doc, '/oai:OAI-PMH/oai:request')[0];
  if (verbs.length !== 1 || !VERB_NAMES.includes(verbs[0] as Verb)) {
    expect(errors).toEqual(['badVerb']);
  } else {
    const spec = VERBS[verbs[0] as Verb];
    const allowed = new Set(['verb', ...spec.required, ...spec.optional, ...(spec.exclusive ? [spec.exclusive] : [])]);
    for (const code of errors) expect(ERRORS).toContain(code);
    if (pairs.some(([k]) => !allowed.has(k))) expect(errors).toContain('badArgument');
  }
  // badVerb and badArgument echo nothing (§3.2).
  if (errors.includes('badVerb') || errors.includes('badArgument')) expect(echo?.attributes.length).toBe(0);
}

async function check(method: 'GET' | 'POST', raw: string): Promise<void> {
  const res =
    method === 'GET'
      ? await request(server.app).get(`/oai?${raw}`)
      : await request(server.app).post('/oai').set('Content-Type', 'application/x-www-form-urlencoded').send(raw);
  expect(res.status).not.toBe(500);
  if (res.status !== 200) {
    // Only an oversized request may be refused before OAI-PMH sees it.
    expect(method === 'GET' ? [431, 414] : [413]).toContain(res.status);
    expect(raw.length).toBeGreaterThan(method === 'GET' ? 8 * 1024 : 64 * 1024);
    return;
  }
  expect(res.headers['content-type']).toBe('text/xml; charset=UTF-8');
  await validateOaiResponse(res.text);
  expectRightAnswer(raw, res.text);
}

describe('hostile input', () => {
  for (const method of ['GET', 'POST'] as const) {
    it(`${method}: every answer is valid OAI-PMH with the right error, never a 500`, async () => {
      await fc.assert(
        fc.asyncProperty(query, (raw) => check(method, raw)),
        { numRuns: 150 },
      );
    }, 120_000);
  }

  it('a real token with hostile extra arguments → badArgument, and the echo stays well-formed', async () => {
    const first = await request(server.app).get('/oai?verb=ListRecords&metadataPrefix=oai_dc');
    const token = /<resumptionToken[^>]*>([^<]+)</.exec(first.text)?.[1] ?? '';
    await fc.assert(
      fc.asyncProperty(fc.tuple(key, value), async ([k, v]) => {
        const raw = `verb=ListRecords&resumptionToken=${encodeURIComponent(token)}&${k}=${v}`;
        await check('GET', raw);
      }),
      { numRuns: 40 },
    );
  }, 60_000);
});
