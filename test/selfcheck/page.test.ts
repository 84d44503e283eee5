import { describe, expect, it } from 'vitest';
import { startLive, waitFor } from './live.js';

const live = await startLive((origin) => ({ PUBLIC_URL: origin, ADMIN_EMAIL: 'oai-office@journal.ir' }));
const PAGE = `${live.origin}/selfcheck`;
const post = () => fetch(PAGE, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: '' });
const oaiRequests = () => live.requests.filter((r) => r.startsWith('GET /oai')).length;

/** The report's rows: result, check, and the result cell's text. */
function rows(body: string): Array<{ status: string; check: string; shown: string }> {
  return [...body.matchAll(/<tr class="selfcheck-(\w+)" data-status="\w+"><td class="\w+">(\w+)<\/td><td><code>([^<]+)<\/code>/g)].map((m) => ({
    status: m[1] ?? '',
    shown: m[2] ?? '',
    check: m[3] ?? '',
  }));
}

describe('/selfcheck', () => {
  it('shows the button on GET and runs nothing', async () => {
    const res = await fetch(PAGE);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const body = await res.text();
    expect(body).toContain('<form method="post" action="/selfcheck"><button type="submit">Run the self-check</button></form>');
    expect(body).toContain(`<code>${live.origin}/oai</code>`);
    // The CSP forbids inline script and style, and the page needs neither.
    expect(body).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
    expect(body).not.toContain('data-status');
    expect(oaiRequests()).toBe(0);
  });

  it('runs the checks on POST and shows a row per finding; a second POST meanwhile is refused with 409', async () => {
    const first = post();
    // The run has begun once the server sees its first OAI request.
    await waitFor(() => oaiRequests() > 0);
    const second = await post();
    expect(second.status).toBe(409);
    const refused = await second.text();
    expect(refused).toContain('A self-check is already running. Wait for it to finish, then run it again.');
    expect(rows(refused)).toEqual([]);

    const res = await first;
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.text();
    const found = rows(body);
    expect(found.length).toBeGreaterThan(20);
    for (const row of found) expect(['pass', 'warning']).toContain(row.status);
    for (const row of found) expect(row.shown).toBe(row.status);
    const byCheck = Object.fromEntries(found.map((r) => [r.check, r.status]));
    expect(byCheck['baseURL']).toBe('pass');
    expect(byCheck['harvest:ListRecords']).toBe('pass');
    expect(byCheck['landing-pages']).toBe('pass');
    // The seed's records lack what JATS needs (a title, an ISSN): a warning with how to fix it.
    expect(byCheck['format:jats']).toBe('warning');
    expect(body).toMatch(/data-status="warning">[\s\S]*?no record came in jats[\s\S]*?<td lang="en" dir="ltr">Give the records what jats requires/);
    expect(body).toMatch(/<p>\d+ checks passed, \d+ warnings?, 0 failed, in [\d.]+ s/);
    expect(body).toContain('<button type="submit">Run it again</button>');
    expect(body).not.toMatch(/<script|\sstyle=/i);
  }, 180_000);

  it('takes a new run once the last one has finished', async () => {
    const res = await post();
    expect(res.status).toBe(200);
    expect(rows(await res.text()).length).toBeGreaterThan(20);
  }, 180_000);

  it('shows a failure with how to fix it: here PUBLIC_URL says https, which the server does not speak', async () => {
    const https = await startLive((origin) => ({ PUBLIC_URL: origin.replace('http:', 'https:'), ADMIN_EMAIL: 'oai-office@journal.ir' }));
    const res = await fetch(`${https.origin}/selfcheck`, { method: 'POST' });
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(rows(body)).toEqual([{ status: 'fail', shown: 'fail', check: 'endpoint' }]);
    const target = `${https.origin.replace('http:', 'https:')}/oai`;
    expect(body).toContain(`<td lang="en" dir="ltr">${target} does not answer Identify: no usable answer from ${target}?verb=Identify`);
    expect(body).toContain('<td lang="en" dir="ltr">Give the OAI base URL harvesters use (PUBLIC_URL followed by /oai), and make sure the server or its proxy answers there.</td>');
    expect(body).toMatch(/<p>0 checks passed, 0 warnings, 1 failed/);
  });
});
