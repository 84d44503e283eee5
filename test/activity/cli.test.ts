import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/admin/run.js';
import type { ActivityReport } from '../../src/activity/report.js';
import { PUBLIC_URL, runAdmin } from '../support/app.js';
import { activityServer, get, settle, tokenOf } from './support.js';

// Two servers on stores seeded alike with one token secret, as a primary's replicas are: any of
// them serves any page of a harvest, and each keeps its own activity file.
const a = await activityServer({ OAI_PAGE_SIZE_RECORDS: '3' });
const b = await activityServer({ OAI_PAGE_SIZE_RECORDS: '3' });
const headers = { 'User-Agent': 'roaming-harvester/3.1' };

/** `admin activity` on server a's store, at the activity clock's time. */
const admin = (...argv: string[]) => runAdmin(a.config.databasePath, new Date(a.clock.now), 'activity', ...argv);

function failing(...argv: string[]): { code: number; err: string } {
  const err: string[] = [];
  const code = runCli(['activity', ...argv], { env: { DATABASE_PATH: a.config.databasePath, PUBLIC_URL }, out: () => {}, err: (l) => err.push(l) });
  if (typeof code !== 'number') throw new Error('activity answers at once');
  return { code, err: err.join('\n') };
}

describe('npm run admin -- activity', () => {
  it('harvests one list across the two servers: pages 1 and 3 from a, page 2 from b', async () => {
    const servers = [a, b, a];
    let xml = (await get(`${a.url}/oai?verb=ListRecords&metadataPrefix=oai_dc`, headers)).text;
    for (let page = 1, token = tokenOf(xml); token !== null; page++, token = tokenOf(xml)) {
      xml = (await get(`${servers[page]?.url}/oai?verb=ListRecords&resumptionToken=${encodeURIComponent(token)}`, headers)).text;
    }
    expect(xml).toMatch(/<resumptionToken completeListSize="8" cursor="6"\/>/);
    await settle(a.activity, () => a.activity.report(30).totals.requests === 2);
    await settle(b.activity, () => b.activity.report(30).totals.requests === 1);
  });

  it('prints the report of the server\'s own file, as text and as the JSON of /activity', () => {
    const text = admin();
    expect(text).toContain('Harvest activity, the last 30 days');
    expect(text).toContain('1 activity file');
    expect(text).toContain('harvester "roaming-harvester/3.1" from 127.0.0.0/24');
    expect(text).toContain('requests 2, records sent 5, headers sent 0, OAI errors 0, 503s 0, broken connections 0');
    // Alone, a's file sees a list begun and left at its first token, and another first seen mid-list.
    expect(text).toContain('harvests: 2 started, 1 finished, 0 abandoned, 1 in progress; 0 incremental, 2 full');
    expect(text).toContain('Addresses are stored truncated: IPv4 to /24, IPv6 to /48.');
    const json = JSON.parse(admin('--json')) as ActivityReport;
    expect(json).toEqual(a.activity.report(30));
    expect(JSON.parse(admin('--json', '--days', '7')).daily).toHaveLength(7);
  });

  it('reads several files together, as a primary\'s and its replicas\': one harvest, finished, every record', () => {
    const files = [a.config.activity.path ?? '', b.config.activity.path ?? ''];
    const json = JSON.parse(admin('--json', ...files)) as ActivityReport;
    expect(json.files).toBe(2);
    expect(json.totals).toMatchObject({ requests: 3, records: 8, harvests: { started: 1, finished: 1, abandoned: 0, inProgress: 0, full: 1 } });
    expect(json.harvesters).toHaveLength(1);
    expect(json.harvesters[0]?.lastHarvest).toMatchObject({ status: 'finished', pages: 3, items: 8, completeListSize: 8, seenFromStart: true });
    const text = admin(...files);
    expect(text).toContain('2 activity files');
    expect(text).toMatch(/last harvest: ListRecords oai_dc \(full\), started \S+, last page \S+, 3 pages, 8 of 8 items: finished/);
  });

  it('says what is wrong with a bad period or a missing file, without a stack trace', () => {
    expect(failing('--days', '0')).toMatchObject({ code: 2, err: expect.stringContaining('--days must be a whole number from 1 to 90') });
    expect(failing('--days', '91')).toMatchObject({ code: 2 });
    const missing = failing(`${a.dir}/no-such-activity.sqlite`);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('there is no activity file');
    expect(missing.err).not.toMatch(/\n\s+at /);
    const wrong = failing(a.config.databasePath);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('is not an activity file');
  });
});
