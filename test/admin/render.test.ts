import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/admin/run.js';
import { loadConfig } from '../../src/config.js';
import type { RenderProgress } from '../../src/store/formats.js';
import { openStore } from '../../src/store/open-store.js';
import { makeAdmin } from '../support/cli.js';
import { storeCodecs } from '../support/fragments.js';

const NEW_URL = 'https://oai.example.org';

describe('a new PUBLIC_URL, rendered before the server restarts with it', () => {
  const admin = makeAdmin({ OAI_REPOSITORY_IDENTIFIER: 'repo.example.org' });
  admin.run('list');
  /** The admin CLI in an environment with the new address. */
  const moved = (...argv: string[]) => {
    const out: string[] = [];
    const code = runCli(argv, { env: { ...admin.env, PUBLIC_URL: NEW_URL }, out: (l) => out.push(l), err: (l) => out.push(l), now: () => new Date('2025-09-01T00:00:00Z') });
    return { code, out: out.join('\n') };
  };
  const landingPages = () => {
    const db = new Database(admin.dbPath, { readonly: true });
    const xml = storeCodecs(db).prepare<[], string>(`SELECT xml((SELECT h.head FROM fragment_head h WHERE h.id = fragment.head), deflated) FROM fragment WHERE prefix = 'oai_dc' ORDER BY article_id LIMIT 1`).pluck().get() ?? '';
    db.close();
    return /<dc:identifier>(https?:\/\/[^<]*\/articles\/[^<]*)<\/dc:identifier>/.exec(xml)?.[1];
  };

  it('says what it would do, and without --yes changes nothing', () => {
    const before = admin.snapshot();
    const run = moved('render');
    expect(run.code).toBe(0);
    expect(run.out).toContain('records are rendered for PUBLIC_URL http://repo.example.org');
    expect(run.out).toContain(`this environment says PUBLIC_URL ${NEW_URL}`);
    expect(run.out).toContain('--yes re-renders all 8 records');
    expect(admin.snapshot()).toBe(before);
  });

  it('with --yes re-renders every record, saying how far it is and how long is left', () => {
    const run = moved('render', '--yes');
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/PUBLIC_URL or OAI_REPOSITORY_IDENTIFIER changed: re-rendering 8 records, 8 done, about \d+ s left/);
    expect(run.out).toContain('PUBLIC_URL or OAI_REPOSITORY_IDENTIFIER changed: 8 records re-rendered with new datestamps');
    expect(landingPages()).toBe(`${NEW_URL}/articles/58-7`);
    expect(moved('render').out).toContain('nothing to re-render');
  });

  it('leaves nothing for the restarted server to render: it opens at once', () => {
    const progress: RenderProgress[] = [];
    const store = openStore(loadConfig({ ...admin.env, PUBLIC_URL: NEW_URL, RESUMPTION_TOKEN_SECRET: 'test-secret-of-sufficient-length' }), new Date('2025-09-02T00:00:00Z'), (p) => progress.push(p));
    expect(store.restamps).toEqual([]);
    expect(progress).toEqual([]);
    store.close();
  });

  it('a server started with another address re-renders before it listens, and reports the time left', () => {
    const progress: RenderProgress[] = [];
    const store = openStore(loadConfig({ ...admin.env, PUBLIC_URL: 'https://elsewhere.example.org', RESUMPTION_TOKEN_SECRET: 'test-secret-of-sufficient-length' }), new Date('2025-09-03T00:00:00Z'), (p) => progress.push(p));
    expect(store.restamps.map((r) => [r.prefix, r.records])).toEqual([['*', 8]]);
    expect(progress.at(-1)).toMatchObject({ reason: 'PUBLIC_URL or OAI_REPOSITORY_IDENTIFIER changed', done: 8, total: 8 });
    store.close();
  });
});
