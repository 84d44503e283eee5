import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/admin/run.js';
import type { SelfCheckReport } from '../../src/selfcheck/finding.js';
import { runAdmin } from '../support/app.js';
import { validateOaiResponse } from '../support/xsd.js';
import { nodes, parseXml, text } from '../support/xml.js';
import { startLive } from './live.js';

/** Runs `selfcheck` as `npm run admin` would, with the server's database and the given settings. */
async function selfcheck(env: Record<string, string>, ...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['selfcheck', ...argv], { env, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

// A correct set-up: PUBLIC_URL is the URL asked, a real admin address, and small pages so that the
// harvests follow tokens. The journal's ISSN, access rights and one English title let every record
// format (JATS and OpenAIRE too) disseminate a record, so every schema is exercised.
const good = await startLive((origin) => ({ PUBLIC_URL: origin, ADMIN_EMAIL: 'oai-office@journal.ir', OAI_PAGE_SIZE_RECORDS: '3', OAI_PAGE_SIZE_IDENTIFIERS: '3' }));
runAdmin(good.dbPath, '2025-03-02T00:00:00Z', 'journal', 'issn-print', '1234-5679');
runAdmin(good.dbPath, '2025-03-02T00:00:01Z', 'journal', 'access-rights', 'open');
runAdmin(good.dbPath, '2025-03-02T00:00:02Z', 'set', '58-7', 'title', '--lang', 'en', '--source', 'https://example.org/article/1', "Russia's Foreign Policy Towards Karabakh and Ukraine");

// The classic fault: the repository believes it is https (PUBLIC_URL) but is asked over http, and
// its adminEmail is makeServer's placeholder.
const mismatched = await startLive((origin) => ({ PUBLIC_URL: origin.replace('http:', 'https:') }));

describe('npm run admin -- selfcheck, over real HTTP', () => {
  it('passes a correct set-up, checking PUBLIC_URL/oai by default, and reports as JSON', async () => {
    const run = await selfcheck({ DATABASE_PATH: good.dbPath, PUBLIC_URL: good.origin, ADMIN_EMAIL: 'oai-office@journal.ir' }, '--json');
    expect(run.code, run.out.join('\n')).toBe(0);
    const report = JSON.parse(run.out.join('\n')) as SelfCheckReport;
    expect(report.url).toBe(`${good.origin}/oai`);
    const status = Object.fromEntries(report.findings.map((f) => [f.check, f.status]));
    const failures = report.findings.filter((f) => f.status === 'fail');
    expect(failures, JSON.stringify(failures, null, 2)).toEqual([]);
    expect(report.counts.fail).toBe(0);
    for (const check of ['endpoint', 'baseURL', 'adminEmail', 'formats', 'compression', 'landing-pages', 'range:day', 'range:seconds']) expect(status[check], check).toBe('pass');
    for (const verb of ['Identify', 'ListMetadataFormats', 'ListSets', 'ListIdentifiers', 'ListRecords', 'GetRecord', 'errors']) expect(status[`schema:${verb}`], verb).toBe('pass');
    for (const prefix of ['oai_dc', 'marcxml', 'mods', 'jats', 'oai_openaire', 'oai_datacite']) expect(status[`format:${prefix}`], prefix).toBe('pass');
    for (const list of ['ListSets', 'ListIdentifiers', 'ListRecords']) expect(status[`harvest:${list}`], list).toBe('pass');
    for (const code of ['badArgument', 'badVerb', 'badResumptionToken', 'idDoesNotExist', 'cannotDisseminateFormat']) expect(status[`error:${code}`], code).toBe('pass');
    // 127.0.0.1 is no domain name, so the identifier falls back to localhost.localdomain: a warning, not a failure.
    expect(status['repositoryIdentifier']).toBe('warning');
    expect(report.findings.find((f) => f.check === 'harvest:ListRecords')?.message).toContain('8 items in 3 pages');
    expect(report.findings.find((f) => f.check === 'landing-pages')?.message).toBe('8 landing pages named by dc:identifier answer 200');
    // The harvests followed their tokens, the landing pages were fetched, and gzip was asked for.
    expect(good.requests.filter((r) => r.startsWith('GET /oai?verb=ListRecords&resumptionToken=')).length).toBeGreaterThanOrEqual(2);
    expect(good.requests).toContain('GET /articles/58-7');
  }, 180_000);

  it('fails when Identify names another URL than the one asked, naming both, and exits 1', async () => {
    const asked = `${mismatched.origin}/oai`;
    const named = `${mismatched.origin.replace('http:', 'https:')}/oai`;
    // What the server says, read and validated here too.
    const identify = await fetch(`${asked}?verb=Identify`);
    const xml = await identify.text();
    await validateOaiResponse(xml);
    const doc = parseXml(xml);
    expect(text(doc, '/oai:OAI-PMH/oai:Identify/oai:baseURL')).toBe(named);
    expect(nodes(doc, '/oai:OAI-PMH/oai:Identify/oai:compression').map((n) => n.textContent)).toContain('gzip');

    const run = await selfcheck({ DATABASE_PATH: mismatched.dbPath, PUBLIC_URL: mismatched.origin.replace('http:', 'https:') }, asked, '--timeout', '10');
    expect(run.code).toBe(1);
    expect(run.err).toContain(`checking ${asked} …`);
    const baseUrl = run.out.find((l) => /^FAIL\s+baseURL\s/.test(l));
    expect(baseUrl, run.out.join('\n')).toBeDefined();
    expect(baseUrl).toContain(`Identify's baseURL is ${named} but the URL asked is ${asked}`);
    expect(baseUrl).toContain('only the scheme differs');
    expect(baseUrl).toContain(`Fix: Set PUBLIC_URL to ${mismatched.origin}`);
    expect(run.out.find((l) => /^FAIL\s+adminEmail\s/.test(l))).toContain('oai-admin@example.org');
    // The landing pages the records name are on https, which this server does not speak.
    expect(run.out.find((l) => /^FAIL\s+landing-pages\s/.test(l))).toContain(`${named.replace(/\/oai$/, '')}/articles/`);
    // What does not depend on the URL still passes: the protocol itself is sound.
    for (const check of ['harvest:ListRecords', 'schema:ListRecords', 'error:badVerb', 'compression']) {
      expect(run.out.find((l) => l.includes(` ${check} `)), check).toMatch(/^pass /);
    }
    expect(run.out.at(-1)).toMatch(new RegExp(`^${asked}: \\d+ passed, \\d+ warnings?, 3 failed, in [\\d.]+ s$`));
  }, 180_000);

  it('refuses a URL it cannot use, with exit code 2 and the usage', async () => {
    const run = await selfcheck({ DATABASE_PATH: mismatched.dbPath }, 'https://journal.example.ir/oai?verb=Identify');
    expect(run.code).toBe(2);
    expect(run.err.join('\n')).toContain('has a query or fragment');
    expect(run.err.join('\n')).toContain('usage: npm run admin -- selfcheck [URL] [--json] [--timeout S]');
  });
});
