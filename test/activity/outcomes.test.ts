import { describe, expect, it } from 'vitest';
import { validateOaiResponse } from '../support/xsd.js';
import { activityServer, get, settle, tokenOf } from './support.js';

// Harvesters told apart by User-Agent and network: the app believes X-Forwarded-For from loopback.
const server = await activityServer({ OAI_PAGE_SIZE_RECORDS: '3' }, { trustProxy: 'loopback' });
const as = (userAgent: string, address: string) => ({ 'User-Agent': userAgent, 'X-Forwarded-For': address });
const ABANDONER = as('abandoner/1.0', '2001:db8:abcd:12::7');
const FINISHER = as('finisher/2.0', '::ffff:198.51.100.23');
const CLUMSY = as('clumsy/0.1', '203.0.113.77');

const harvesterOf = (userAgent: string) => server.activity.report(30).harvesters.find((h) => h.userAgent === userAgent);
const requestsOf = (userAgent: string) => harvesterOf(userAgent)?.requests ?? 0;

async function oai(query: string, headers: Record<string, string>): Promise<string> {
  const { status, text } = await get(`${server.url}/oai?${query}`, headers);
  expect(status).toBe(200);
  await validateOaiResponse(text);
  return text;
}

describe('harvests started, finished and abandoned', () => {
  it('a list whose token is never followed is in progress, then abandoned once idle for ACTIVITY_ABANDONED_AFTER_SECONDS', async () => {
    const first = await oai('verb=ListRecords&metadataPrefix=oai_dc', ABANDONER);
    expect(tokenOf(first)).not.toBeNull();
    await settle(server.activity, () => requestsOf('abandoner/1.0') === 1);
    const h = harvesterOf('abandoner/1.0');
    // An IPv6 address is kept to its /48.
    expect(h?.network).toBe('2001:db8:abcd::/48');
    expect(h?.harvests).toMatchObject({ started: 1, finished: 0, abandoned: 0, inProgress: 1, full: 1 });
    expect(h?.records).toBe(3);

    server.clock.now += 3601_000;
    const later = harvesterOf('abandoner/1.0');
    expect(later?.harvests).toMatchObject({ started: 1, finished: 0, abandoned: 1, inProgress: 0 });
    expect(later?.lastHarvest).toMatchObject({ status: 'abandoned', pages: 1, items: 3, completeListSize: 8 });
    const page = await get(`${server.url}/activity`);
    expect(page.text).toContain('<code>2001:db8:abcd::/48</code>');
    expect(page.text).toContain('1 started, 0 finished, 1 abandoned, 0 in progress');
    expect(page.text).not.toContain('2001:db8:abcd:12::7');
  });

  it('a list followed to its empty token is finished, and a page asked twice does not start another harvest', async () => {
    let xml = await oai('verb=ListRecords&metadataPrefix=oai_dc&set=issue:58', FINISHER);
    let token = tokenOf(xml);
    let asked = 1;
    for (let repeated = false; token !== null; asked++) {
      const query = `verb=ListRecords&resumptionToken=${encodeURIComponent(token)}`;
      xml = await oai(query, FINISHER);
      // The second page once more, as a harvester that lost it would ask.
      if (!repeated) {
        repeated = true;
        xml = await oai(query, FINISHER);
        asked++;
      }
      token = tokenOf(xml);
    }
    expect(xml).toMatch(/<resumptionToken completeListSize="8" cursor="6"\/>/);
    await settle(server.activity, () => requestsOf('finisher/2.0') === asked);
    const h = harvesterOf('finisher/2.0');
    // An IPv4-mapped IPv6 address is kept as the IPv4 /24.
    expect(h?.network).toBe('198.51.100.0/24');
    expect(h?.harvests).toEqual({ started: 1, finished: 1, abandoned: 0, inProgress: 0, incremental: 0, full: 1 });
    expect(h?.lastHarvest).toMatchObject({ verb: 'ListRecords', set: 'issue:58', status: 'finished', pages: 3, items: 8 });
    // Records sent counts what went out whole, the repeated page too.
    expect(h?.records).toBe(11);
    expect(h?.sets).toEqual([{ spec: 'issue:58', requests: 4 }]);
  });
});

describe('errors, 503s and what each harvester asked for', () => {
  it('counts OAI errors by code', async () => {
    const queries = [
      'verb=Nonsense',
      'verb=ListRecords',
      'verb=ListRecords&metadataPrefix=nonexistent',
      'verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:repo.example.org:no-such-id',
      'verb=ListIdentifiers&resumptionToken=not-a-token',
      // An incremental harvest with nothing new: an error by the protocol, and a harvest that finished.
      'verb=ListIdentifiers&metadataPrefix=oai_dc&from=2099-01-01',
    ];
    for (const q of queries) expect(await oai(q, CLUMSY)).toContain('<error code=');
    await settle(server.activity, () => requestsOf('clumsy/0.1') === queries.length);
    const h = harvesterOf('clumsy/0.1');
    expect(h?.oaiErrors).toBe(6);
    expect(Object.fromEntries(h?.errors.map((e) => [e.code, e.count]) ?? [])).toEqual({
      badVerb: 1,
      badArgument: 1,
      cannotDisseminateFormat: 1,
      idDoesNotExist: 1,
      badResumptionToken: 1,
      noRecordsMatch: 1,
    });
    expect(h?.harvests).toEqual({ started: 1, finished: 1, abandoned: 0, inProgress: 0, incremental: 1, full: 0 });
    expect(h?.formats.map((f) => f.prefix).sort()).toEqual(['nonexistent', 'oai_dc']);
    const page = await get(`${server.url}/activity`);
    expect(page.text).toContain('<code>badVerb</code> 1');
    expect(page.text).toContain('<code>203.0.113.0/24</code>');
  });

  it('counts the 503s of flow control', async () => {
    const limited = await server.listenAgain({ trustProxy: 'loopback', limits: { concurrent: 0, ratePerSecond: 1 } });
    const greedy = as('greedy/9', '192.0.2.5');
    const statuses = await Promise.all(Array.from({ length: 4 }, () => get(`${limited}/oai?verb=Identify`, greedy).then((r) => r.status)));
    const refused = statuses.filter((s) => s === 503).length;
    expect(refused).toBeGreaterThanOrEqual(2);
    await settle(server.activity, () => requestsOf('greedy/9') === 4);
    expect(harvesterOf('greedy/9')).toMatchObject({ network: '192.0.2.0/24', requests: 4, busy: refused, oaiErrors: 0 });
  });

  it('totals every harvester', () => {
    const report = server.activity.report(30);
    expect(report.harvesters.map((h) => h.userAgent).sort()).toEqual(['abandoner/1.0', 'clumsy/0.1', 'finisher/2.0', 'greedy/9']);
    expect(report.totals.requests).toBe(report.harvesters.reduce((sum, h) => sum + h.requests, 0));
    expect(report.totals.harvests).toEqual({ started: 3, finished: 2, abandoned: 1, inProgress: 0, incremental: 1, full: 2 });
  });
});
