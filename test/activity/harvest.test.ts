import { OaiPmh } from 'oai-pmh';
import { describe, expect, it } from 'vitest';
import { dayOf } from '../../src/activity/days.js';
import { activityServer, get, settle, validateAll } from './support.js';

// A real harvest by the npm oai-pmh client over loopback, then the report and the page.
const server = await activityServer({ OAI_PAGE_SIZE_RECORDS: '3', OAI_PAGE_SIZE_IDENTIFIERS: '3' });
const USER_AGENT = 'activity-test-harvester/1.0 (+https://harvester.example.org)';
const harvester = new OaiPmh(`${server.url}/oai`, { retry: false, userAgent: USER_AGENT });

describe('a harvest by the oai-pmh client, as /activity tells it', () => {
  const harvested = { records: 0, headers: 0 };

  it('harvests every record in full, and the identifiers of a set incrementally', async () => {
    for await (const record of harvester.listRecords({ metadataPrefix: 'oai_dc' })) harvested.records += record ? 1 : 0;
    for await (const header of harvester.listIdentifiers({ metadataPrefix: 'oai_dc', set: 'issue:58', from: '2000-01-01' })) harvested.headers += header ? 1 : 0;
    expect(harvested).toEqual({ records: 8, headers: 8 });
    // 3 + 3 pages, each response schema-valid.
    await settle(server.activity, () => server.activity.report(1).totals.requests === 6);
    expect(server.responses).toHaveLength(6);
    await validateAll(server.responses);
  });

  it('reports both harvests started and finished, the records sent, the formats and sets, by User-Agent and network', () => {
    const report = server.activity.report(30);
    expect(report.harvesters).toHaveLength(1);
    const [h] = report.harvesters;
    expect(h).toMatchObject({ userAgent: USER_AGENT, network: '127.0.0.0/24', requests: 6, records: harvested.records, headers: harvested.headers, busy: 0, broken: 0, oaiErrors: 0 });
    expect(h?.harvests).toEqual({ started: 2, finished: 2, abandoned: 0, inProgress: 0, incremental: 1, full: 1 });
    expect(h?.formats).toEqual([{ prefix: 'oai_dc', requests: 6 }]);
    // The set is asked for by the first request and carried by the list's tokens.
    expect(h?.sets).toEqual([{ spec: 'issue:58', requests: 3 }]);
    expect(h?.lastHarvest).toMatchObject({ verb: 'ListIdentifiers', metadataPrefix: 'oai_dc', set: 'issue:58', incremental: true, status: 'finished', pages: 3, items: 8, completeListSize: 8, seenFromStart: true });
    expect(report.recentHarvests.map((r) => [r.verb, r.status, r.items, r.pages])).toEqual([
      ['ListIdentifiers', 'finished', 8, 3],
      ['ListRecords', 'finished', 8, 3],
    ]);
    expect(report.totals).toMatchObject({ requests: 6, records: 8, headers: 8 });
    const today = report.daily.at(-1);
    expect(today).toEqual({ day: dayOf(server.clock.now), requests: 6, records: 8 });
    expect(report.daily).toHaveLength(30);
  });

  it('shows it on /activity: the harvester, its truncated network, the harvests, and a chart drawn on the server', async () => {
    const { status, text } = await get(`${server.url}/activity`);
    expect(status).toBe(200);
    expect(text).toContain('activity-test-harvester/1.0 (+https://harvester.example.org)');
    expect(text).toContain('<code>127.0.0.0/24</code>');
    // The whole address is stored nowhere, so shown nowhere.
    expect(text).not.toContain('127.0.0.1');
    expect(text).toContain("Harvests: 2 started, 2 finished, 0 abandoned, 0 in progress; 1 incremental (with from), 1 full.");
    expect(text).toContain('<td>2 started, 2 finished, 0 abandoned, 0 in progress<br>1 incremental, 1 full</td>');
    expect(text).toContain('<td>6 requests<br>8 records<br>8 headers</td>');
    expect(text).toContain('ListIdentifiers <code>oai_dc</code> set <code>issue:58</code> from <code>2000-01-01</code> (incremental)');
    // The chart: an inline SVG, one bar per day per series, today's with its figures.
    const svg = /<svg[\s\S]*?<\/svg>/.exec(text)?.[0] ?? '';
    expect(svg).not.toBe('');
    expect(svg.match(/<rect /g)).toHaveLength(60);
    expect(svg).toContain(`<title>${dayOf(server.clock.now)}: 6 requests</title>`);
    expect(svg).toContain(`<title>${dayOf(server.clock.now)}: 8 records</title>`);
    // Nothing the Content-Security-Policy would refuse.
    expect(text).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
    expect(text).toMatch(/IPv4 address is kept as its \/24 network, an IPv6 address as its \/48/);
    // The page itself is not harvest activity.
    expect(server.activity.report(1).totals.requests).toBe(6);
  });

  it('takes the period from ?days=, within the days kept', async () => {
    const week = await get(`${server.url}/activity?days=7`);
    expect(/<svg[\s\S]*?<\/svg>/.exec(week.text)?.[0].match(/<rect /g)).toHaveLength(14);
    const tooMany = await get(`${server.url}/activity?days=100000`);
    expect(tooMany.text).toContain('The last 90 days');
  });
});
