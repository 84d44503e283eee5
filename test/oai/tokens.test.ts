import { describe, expect, it } from 'vitest';
import { makeServer, oai, type OaiResult } from '../support/app.js';
import { nodes } from '../support/xml.js';

// Secret rotation, and the token misuses not covered with the other errors.
const OLD = 'the-old-secret-of-enough-length';
const NEW = 'the-new-secret-of-enough-length';
const before = makeServer({ RESUMPTION_TOKEN_SECRET: OLD, OAI_PAGE_SIZE_RECORDS: '3' });
const rotated = makeServer({ RESUMPTION_TOKEN_SECRET: NEW, RESUMPTION_TOKEN_SECRET_PREVIOUS: OLD, OAI_PAGE_SIZE_RECORDS: '3' });
const forgotten = makeServer({ RESUMPTION_TOKEN_SECRET: NEW, OAI_PAGE_SIZE_RECORDS: '3' });

const tokenOf = (res: OaiResult): string => nodes(res.doc, '//oai:resumptionToken')[0]?.textContent ?? '';
const resume = (app: typeof before.app, token: string, extra = '') =>
  oai(app, `verb=ListRecords&resumptionToken=${encodeURIComponent(token)}${extra}`);

describe('resumption-token secret rotation', () => {
  it('accepts a token signed with the previous secret, and signs the next page with the new one', async () => {
    const old = tokenOf(await oai(before.app, 'verb=ListRecords&metadataPrefix=oai_dc'));
    const page = await resume(rotated.app, old);
    expect(page.errors).toEqual([]);
    expect(nodes(page.doc, '//oai:record')).toHaveLength(3);
    const next = tokenOf(page);
    // The new token is the new secret's: the old server no longer accepts it.
    expect((await resume(before.app, next)).errors).toEqual(['badResumptionToken']);
    expect((await resume(forgotten.app, next)).errors).toEqual([]);
  });

  it('refuses the old secret’s tokens once the previous secret is dropped', async () => {
    const old = tokenOf(await oai(before.app, 'verb=ListRecords&metadataPrefix=oai_dc'));
    expect((await resume(forgotten.app, old)).errors).toEqual(['badResumptionToken']);
  });

  it('refuses a previous secret shorter than 16 characters at start', () => {
    expect(() => makeServer({ RESUMPTION_TOKEN_SECRET_PREVIOUS: `${OLD},short` })).toThrow(/RESUMPTION_TOKEN_SECRET_PREVIOUS/);
  });
});

describe('token misuse', () => {
  it('a truncated token → badResumptionToken', async () => {
    const token = tokenOf(await oai(before.app, 'verb=ListRecords&metadataPrefix=oai_dc'));
    for (const cut of [token.slice(0, -1), token.slice(0, token.indexOf('.')), token.slice(0, token.indexOf('.') + 1), token.slice(1)]) {
      expect((await resume(before.app, cut)).errors).toEqual(['badResumptionToken']);
    }
  });

  it('a token re-used with another verb → badResumptionToken; with other arguments → badArgument (§3.1.1: it is exclusive)', async () => {
    const token = tokenOf(await oai(before.app, 'verb=ListRecords&metadataPrefix=oai_dc'));
    expect((await oai(before.app, `verb=ListIdentifiers&resumptionToken=${encodeURIComponent(token)}`)).errors).toEqual(['badResumptionToken']);
    expect((await resume(before.app, token, '&metadataPrefix=oai_dc')).errors).toEqual(['badArgument']);
    expect((await resume(before.app, token, '&set=issue:58&from=2000-01-01')).errors).toEqual(['badArgument']);
  });
});
