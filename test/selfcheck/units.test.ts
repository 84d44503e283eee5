import { describe, expect, it } from 'vitest';
import { Documents } from '../../src/selfcheck/documents.js';
import { listProblems, type PageFacts } from '../../src/selfcheck/harvest.js';
import { checkAdminEmail, checkBaseUrl, checkRepositoryIdentifier, isPlaceholderDomain, type IdentifyFacts } from '../../src/selfcheck/identify.js';
import { landingPageUrls, sampleEvenly } from '../../src/selfcheck/landing-pages.js';
import { outsideRange } from '../../src/selfcheck/ranges.js';
import { loadSchemaFiles } from '../../src/selfcheck/schemas.js';
import { resolveTarget } from '../../src/selfcheck/target.js';
import { validateDocuments } from '../../src/selfcheck/validate.js';

const token = (value: string, cursor: number | null, completeListSize: number | null) => ({ value, cursor, completeListSize });

describe('list paging consistency', () => {
  const good: PageFacts[] = [
    { items: 3, token: token('a', 0, 8) },
    { items: 3, token: token('b', 3, 8) },
    { items: 2, token: token('', 6, 8) },
  ];

  it('accepts cursors counting the items before each page, a constant size, and an empty last token', () => {
    expect(listProblems(good)).toEqual({ faults: [], notes: [] });
    expect(listProblems([{ items: 5, token: null }])).toEqual({ faults: [], notes: [] });
  });

  it('names a cursor that is not the number of items before its page', () => {
    const pages = good.map((p, i) => (i === 1 ? { ...p, token: token('b', 4, 8) } : p));
    expect(listProblems(pages).faults).toEqual(['page 2 has cursor 4, but 3 items came before it']);
  });

  it('names a completeListSize that changes or disagrees with the count', () => {
    const changing = good.map((p, i) => (i === 2 ? { ...p, token: token('', 6, 9) } : p));
    expect(listProblems(changing).faults).toContain('completeListSize changed during the harvest: 8, 9');
    const wrong = good.map((p) => ({ ...p, token: token(p.token?.value ?? '', p.token?.cursor ?? 0, 10) }));
    expect(listProblems(wrong).faults).toEqual(['completeListSize says 10 but the list held 8 items']);
  });

  it('requires an empty token on the last page of a list of several pages', () => {
    const pages = [good[0] as PageFacts, good[1] as PageFacts, { items: 2, token: null }];
    expect(listProblems(pages).faults).toContain('the last page (3) has no resumptionToken; it must carry an empty one');
  });

  it('notes tokens without cursor or completeListSize without calling them faults', () => {
    const bare = good.map((p) => ({ ...p, token: token(p.token?.value ?? '', null, null) }));
    expect(listProblems(bare)).toEqual({ faults: [], notes: ['no page gives completeListSize', '3 tokens without a cursor'] });
  });
});

describe('Identify checks', () => {
  const facts = (over: Partial<IdentifyFacts>): IdentifyFacts => ({
    baseUrl: 'https://journal.example.ir/oai',
    adminEmails: ['oai@journal.ir'],
    granularity: 'YYYY-MM-DDThh:mm:ssZ',
    earliestDatestamp: '2025-03-01T08:30:00Z',
    compression: ['gzip'],
    repositoryIdentifier: 'journal.ir',
    ...over,
  });

  it('fails a baseURL that is not the URL asked, naming both and the scheme when only it differs', () => {
    const finding = checkBaseUrl('http://journal.example.ir/oai', facts({}));
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain('https://journal.example.ir/oai');
    expect(finding.message).toContain('http://journal.example.ir/oai');
    expect(finding.message).toContain('only the scheme differs');
    expect(finding.fix).toContain('PUBLIC_URL to http://journal.example.ir');
    expect(checkBaseUrl('https://journal.example.ir/oai', facts({})).status).toBe('pass');
  });

  it('knows placeholder domains', () => {
    for (const d of ['example.org', 'mail.example.com', 'example.net', 'localhost', 'x.test', 'a.invalid', 'host.local', 'localhost.localdomain', '127.0.0.1', 'server']) {
      expect(isPlaceholderDomain(d), d).toBe(true);
    }
    for (const d of ['journal.ir', 'sbu.ac.ir', 'examples.org', 'test.com']) expect(isPlaceholderDomain(d), d).toBe(false);
    expect(checkAdminEmail(facts({ adminEmails: ['oai@journal.ir', 'admin@example.org'] }))).toMatchObject({ status: 'fail', message: expect.stringContaining('admin@example.org') });
    expect(checkAdminEmail(facts({})).status).toBe('pass');
  });

  it('fails localhost.localdomain for a public host, and only warns for a local one', () => {
    const local = facts({ repositoryIdentifier: 'localhost.localdomain' });
    expect(checkRepositoryIdentifier('https://journal.ir/oai', local, null).status).toBe('fail');
    expect(checkRepositoryIdentifier('http://127.0.0.1:3000/oai', local, null).status).toBe('warning');
    expect(checkRepositoryIdentifier('https://journal.ir/oai', facts({}), 'oai:journal.ir:58-7').status).toBe('pass');
    expect(checkRepositoryIdentifier('https://journal.ir/oai', facts({}), 'oai:other.ir:58-7').status).toBe('fail');
  });
});

describe('helpers', () => {
  it('finds datestamps outside a range, a day standing for its first second', () => {
    expect(outsideRange(['2025-03-01T00:00:00Z', '2025-03-01T23:59:59Z', '2025-03-02T00:00:00Z', '2025-02-28'], '2025-03-01T00:00:00Z', '2025-03-01T23:59:59Z')).toEqual([
      '2025-03-02T00:00:00Z',
      '2025-02-28',
    ]);
  });

  it('resolves the URL to check', () => {
    expect(resolveTarget('https://journal.ir')).toBe('https://journal.ir/oai');
    expect(resolveTarget('https://journal.ir/')).toBe('https://journal.ir/oai');
    expect(resolveTarget('http://127.0.0.1:3000/oai')).toBe('http://127.0.0.1:3000/oai');
    expect(resolveTarget('https://journal.ir/repo/oai/')).toBe('https://journal.ir/repo/oai/');
    expect(() => resolveTarget('ftp://journal.ir/oai')).toThrow(/http or https/);
    expect(() => resolveTarget('https://journal.ir/oai?verb=Identify')).toThrow(/query/);
    expect(() => resolveTarget('journal.ir')).toThrow(/not a URL/);
  });

  it('samples landing pages evenly, without resolver links or repeats', () => {
    expect(landingPageUrls(['http://a/articles/1', 'https://doi.org/10.1/x', 'http://a/articles/1', 'urn:x', 'https://a/articles/2'])).toEqual(['http://a/articles/1', 'https://a/articles/2']);
    expect(sampleEvenly([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 4)).toEqual([0, 2, 5, 7]);
    expect(sampleEvenly([1, 2], 20)).toEqual([1, 2]);
  });
});

describe('schema validation of the collected answers', () => {
  const envelope = (inner: string) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2025-03-01T00:00:00Z</responseDate>${inner}</OAI-PMH>`;
  const header = '<header><identifier>oai:journal.ir:58-7</identifier><datestamp>2025-03-01T00:00:00Z</datestamp></header>';

  it('names the verb and the format whose answers break their schemas, and passes the rest', async () => {
    const docs = new Documents();
    docs.add('errors', 'http://x/oai?verb=Nope', null, envelope('<request>http://x/oai</request><error code="badVerb">no such verb</error>'), 0);
    docs.add('Identify', 'http://x/oai?verb=Identify', null, envelope('<request verb="Identify">http://x/oai</request><Identify><repositoryName>x</repositoryName></Identify>'), 0);
    const mods = (body: string) => envelope(`<request verb="ListRecords" metadataPrefix="mods">http://x/oai</request><ListRecords><record>${header}<metadata><mods xmlns="http://www.loc.gov/mods/v3">${body}</mods></metadata></record></ListRecords>`);
    docs.add('ListRecords', 'http://x/oai?verb=ListRecords&metadataPrefix=mods', 'mods', mods('<titleInfo><title>A</title></titleInfo>'), 1);
    docs.add('GetRecord', 'http://x/oai?verb=GetRecord&metadataPrefix=mods', 'mods', mods('<bogus/>'), 1);
    const formats = new Map([
      ['oai_dc', 'http://www.openarchives.org/OAI/2.0/oai_dc/'],
      ['mods', 'http://www.loc.gov/mods/v3'],
    ]);
    const findings = await validateDocuments(docs, formats, () => loadSchemaFiles());
    const by = Object.fromEntries(findings.map((f) => [f.check, f]));
    expect(by['schema:errors']?.status).toBe('pass');
    expect(by['schema:Identify']).toMatchObject({ status: 'fail', message: expect.stringContaining('1 of 1 response not valid against OAI-PMH.xsd; http://x/oai?verb=Identify: ') });
    expect(by['format:mods']).toMatchObject({ status: 'fail', message: expect.stringMatching(/^1 of 2 responses not valid against OAI-PMH.xsd with MODS 3.7; http:\/\/x\/oai\?verb=GetRecord&metadataPrefix=mods: .*bogus/) });
    expect(by['format:oai_dc']?.status).toBe('warning');
  }, 60_000);

  it('fails, naming the folder, when the schemas are missing', async () => {
    const findings = await validateDocuments(new Documents(), new Map(), () => loadSchemaFiles('no-such-folder'));
    expect(findings).toEqual([expect.objectContaining({ check: 'schemas', status: 'fail', message: expect.stringContaining('no-such-folder') })]);
  });
});
