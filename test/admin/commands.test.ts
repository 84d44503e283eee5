import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/admin/run.js';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { oaiContext } from '../../src/context.js';
import { openStore } from '../../src/store/open-store.js';
import { oai } from '../support/app.js';
import { makeAdmin, tempDir, type Admin } from '../support/cli.js';
import { nodes, texts } from '../support/xml.js';
import { storeCodecs } from '../support/fragments.js';

const T0 = '2025-03-01T08:30:00Z';

/** The repository as harvesters see it, over the admin's database file. */
function harvesterView(admin: Admin) {
  const config = loadConfig({ ...admin.env, RESUMPTION_TOKEN_SECRET: 'test-secret-of-sufficient-length' });
  const store = openStore(config);
  afterAll(() => store.close());
  return createApp(oaiContext(config, store));
}

function datestamps(admin: Admin): Record<string, string> {
  const db = new Database(admin.dbPath, { readonly: true });
  const rows = db.prepare<[], { local_id: string; datestamp: string }>('SELECT local_id, datestamp FROM article').all();
  db.close();
  return Object.fromEntries(rows.map((r) => [r.local_id, r.datestamp]));
}

describe('help', () => {
  const admin = makeAdmin();

  it('lists the commands, and each command has --help', () => {
    const overview = admin.run('--help');
    expect(overview.code).toBe(0);
    for (const name of ['import', 'set', 'delete', 'restore', 'list', 'show', 'check', 'pending', 'confirm']) {
      expect(overview.out).toContain(`  ${name}`);
      const help = admin.run(name, '--help');
      expect(help.code).toBe(0);
      expect(help.out).toContain(`usage: npm run admin -- ${name}`);
    }
  });

  it('exits with 2 on an unknown command, a missing argument or an unknown option', () => {
    expect(admin.run('frobnicate').code).toBe(2);
    expect(admin.run('delete').code).toBe(2);
    expect(admin.run('list', '--colour').code).toBe(2);
    expect(admin.run().code).toBe(2);
  });

  it('reads the same configuration as the server, and says which setting is wrong', () => {
    const bad = makeAdmin({ OAI_PAGE_SIZE_RECORDS: 'many' });
    const run = bad.run('list');
    expect(run.code).toBe(2);
    expect(run.err).toContain('OAI_PAGE_SIZE_RECORDS must be a whole number');
  });
});

describe('set', () => {
  const admin = makeAdmin();
  admin.run('list');
  const app = harvesterView(admin);

  it('fills in a missing title, with its source, and only that record gets a new datestamp', async () => {
    admin.setNow(new Date('2025-05-01T10:00:00Z'));
    const run = admin.run('set', '58-7', 'title', '--lang', 'en', '--source', 'https://example.org/a/1', "Russia's Foreign Policy Towards Karabakh and Ukraine");
    expect(run.code).toBe(0);
    expect(run.out).toContain('58-7: titleEn changed; datestamp 2025-03-01T08:30:00Z → 2025-05-01T10:00:00Z');
    const stamps = datestamps(admin);
    expect(stamps['58-7']).toBe('2025-05-01T10:00:00Z');
    expect(Object.entries(stamps).filter(([id]) => id !== '58-7').every(([, d]) => d === T0)).toBe(true);

    const harvest = await oai(app, 'verb=ListRecords&metadataPrefix=oai_dc&from=2025-05-01');
    expect(texts(harvest.doc, '//oai:header/oai:identifier')).toEqual(['oai:repo.example.org:58-7']);
    expect(texts(harvest.doc, '//dc:title[@xml:lang="en"]')).toEqual(["Russia's Foreign Policy Towards Karabakh and Ukraine"]);
    expect(JSON.parse(admin.run('show', '58-7', '--json').out).text.en.titleSource).toBe('https://example.org/a/1');
  });

  it('changes nothing when the value is the same', () => {
    admin.setNow(new Date('2025-06-01T00:00:00Z'));
    const run = admin.run('set', '58-7', 'title', '--lang', 'en', "Russia's Foreign Policy Towards Karabakh and Ukraine");
    expect(run.out).toContain('unchanged');
    expect(datestamps(admin)['58-7']).toBe('2025-05-01T10:00:00Z');
  });

  it('normalizes what it is given: Arabic letters in Persian, extra spaces', () => {
    admin.setNow(new Date('2025-06-02T00:00:00Z'));
    const run = admin.run('set', '58-67', 'title', '--lang', 'fa', '  امنيت انرژي   و  روسيه ');
    expect(run.code).toBe(0);
    expect(run.out).toContain('persian-letters');
    expect(JSON.parse(admin.run('show', '58-67', '--json').out).text.fa.title).toBe('امنیت انرژی و روسیه');
  });

  it('corrects keywords, DOI, URL and pages, and clears a field', () => {
    expect(admin.run('set', '58-89', 'keywords', '--lang', 'en', 'Jerusalem, Embassy, Jerusalem').code).toBe(0);
    expect(admin.run('set', '58-89', 'doi', '10.1234/prb.2022.58.89').code).toBe(0);
    expect(admin.run('set', '58-89', 'url', 'https://prb.example.org/article_89.html').code).toBe(0);
    const shown = JSON.parse(admin.run('show', '58-89', '--json').out);
    expect(shown.keywords.en).toEqual(['Jerusalem', 'Embassy']);
    expect(shown.doi).toBe('10.1234/prb.2022.58.89');
    expect(shown.landingUrl).toBe('https://prb.example.org/article_89.html');
    expect(admin.run('set', '58-89', 'doi', '--clear').code).toBe(0);
    expect(JSON.parse(admin.run('show', '58-89', '--json').out).doi).toBeNull();
  });

  it('refuses bad values, unknown ids and fields, with the store unchanged', () => {
    const before = admin.snapshot();
    const badDoi = admin.run('set', '58-89', 'doi', 'not-a-doi');
    expect(badDoi.code).toBe(1);
    expect(badDoi.err).toContain('doi');
    expect(admin.run('set', '99-1', 'title', '--lang', 'en', 'x').code).toBe(1);
    expect(admin.run('set', '58-89', 'colour', 'red').code).toBe(2);
    expect(admin.run('set', '58-89', 'title', 'no language').code).toBe(2);
    expect(admin.run('set', '58-89', 'pages', '30-20').code).toBe(1);
    expect(admin.snapshot()).toBe(before);
  });
});

describe('delete and restore', () => {
  const admin = makeAdmin();
  admin.run('list');
  const app = harvesterView(admin);
  const id = 'oai:repo.example.org:58-141';

  it('delete leaves a tombstone that GetRecord and the lists show as a deleted header', async () => {
    admin.setNow(new Date('2025-07-01T12:00:00Z'));
    const run = admin.run('delete', '58-141');
    expect(run.code).toBe(0);
    const record = await oai(app, `verb=GetRecord&metadataPrefix=oai_dc&identifier=${id}`);
    expect(texts(record.doc, '//oai:header[@status="deleted"]/oai:datestamp')).toEqual(['2025-07-01T12:00:00Z']);
    expect(nodes(record.doc, '//oai:metadata')).toHaveLength(0);
    const list = await oai(app, 'verb=ListIdentifiers&metadataPrefix=oai_dc&from=2025-07-01');
    expect(texts(list.doc, '//oai:header[@status="deleted"]/oai:identifier')).toEqual([id]);
    expect(admin.run('list', '--deleted').out).toContain('58-141');
  });

  it('refuses to delete twice or to restore a live record', () => {
    expect(admin.run('delete', '58-141').code).toBe(1);
    expect(admin.run('restore', '58-7').code).toBe(1);
    expect(admin.run('delete', '99-9').code).toBe(1);
  });

  it('keeps the tombstone through a re-import of the issue', () => {
    const run = admin.run('import', 'db/seed/issue-58-toc.txt');
    expect(run.out).toContain('withdrawn in the store, left as they are: 58-141');
    expect(datestamps(admin)['58-141']).toBe('2025-07-01T12:00:00Z');
  });

  it('restore serves the metadata again under a new datestamp', async () => {
    admin.setNow(new Date('2025-07-02T00:00:00Z'));
    expect(admin.run('restore', '58-141').code).toBe(0);
    const record = await oai(app, `verb=GetRecord&metadataPrefix=oai_dc&identifier=${id}`);
    expect(nodes(record.doc, '//oai:header[@status="deleted"]')).toHaveLength(0);
    expect(texts(record.doc, '//oai:header/oai:datestamp')).toEqual(['2025-07-02T00:00:00Z']);
    expect(nodes(record.doc, '//oai:metadata/*')).toHaveLength(1);
  });

  it('a clock set back still moves the datestamp forward', () => {
    admin.setNow(new Date('2024-01-01T00:00:00Z'));
    expect(admin.run('delete', '58-141').code).toBe(0);
    expect(datestamps(admin)['58-141']).toBe('2025-07-02T00:00:01Z');
  });
});

describe('list and show', () => {
  const admin = makeAdmin();

  it('list shows every article with its datestamp, state, pages and title', () => {
    const run = admin.run('list');
    expect(run.code).toBe(0);
    const lines = run.out.split('\n');
    expect(lines.at(-1)).toBe('8 articles');
    expect(lines[0]).toMatch(/^58-7\s+2025-03-01T08:30:00Z live\s+7-37\s+\(no title\)$/);
    expect(run.out).toContain("Political Economy of China's New Silk Road And Iran's Interdependence");
    expect(admin.run('list', '--issue', '57').out).toBe('0 articles');
    expect(admin.run('list', '--json').out.split('\n')).toHaveLength(8);
  });

  it('show gives both languages, the OAI identifier and the title source', () => {
    const run = admin.run('show', '58-175');
    expect(run.code).toBe(0);
    expect(run.out).toContain('OAI id        oai:repo.example.org:58-175');
    expect(run.out).toContain('sanad.iau.ir/en/Journal/prb/Article/1065909');
    expect(run.out).toContain('سپیده محمدی، مختار صالحی*');
    expect(run.out).toContain('Sepideh Mohammadi, Mokhtar Salehi*');
    expect(admin.run('show', 'nope').code).toBe(1);
  });
});

describe('check', () => {
  it('reports what is missing, wrong scripts, bad keywords and overlapping pages, and exits 1', () => {
    const admin = makeAdmin();
    admin.run('list');
    admin.run('set', '58-39', 'keywords', '--lang', 'fa', 'ایران، Iran');
    admin.run('set', '58-67', 'title', '--lang', 'en', 'امنیت انرژی');
    admin.run('set', '58-89', 'pages', '80-111');
    const run = admin.run('check');
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/problem 58-7 +title \(en\): no title/);
    expect(run.out).toMatch(/problem 58-39 +keywords \(fa\): Latin letters in Persian text/);
    expect(run.out).toMatch(/problem 58-67 +title \(en\): Arabic-script letters in English text/);
    expect(run.out).toMatch(/problem 58-89 +pages: pages 80-111 overlap 58-67 \(67-86\) in issue 58/);
    expect(run.out).toMatch(/note +58-141 +abstract \(fa\): Latin letters in Persian text: «.*Nvivo/);
    const json = JSON.parse(admin.run('check', '--json').out);
    expect(json.problems).toBeGreaterThan(10);
  });

  it('exits 0 on a store without problems', () => {
    const admin = makeAdmin();
    admin.run('list');
    const db = storeCodecs(new Database(admin.dbPath));
    db.prepare(`UPDATE article_text SET title = 'عنوان' WHERE lang = 'fa' AND title IS NULL`).run();
    db.prepare(`UPDATE article_text SET title = 'A title' WHERE lang = 'en' AND title IS NULL`).run();
    db.prepare(`UPDATE article_text SET abstract = pack(replace(unpack(abstract), 'Nvivo', 'ان‌ویوو')) WHERE lang = 'fa'`).run();
    db.close();
    const run = admin.run('check');
    // What aggregators rank first is counted, and is no problem: no source gives it for the seed.
    expect(run.out).toBe(
      'journal prb: 8 live records; without ORCID iDs 8, without affiliations 8, without a licence 8, without full text 8\n0 problems, 0 notes',
    );
    expect(run.code).toBe(0);
  });
});

describe('pending and confirm', () => {
  const admin = makeAdmin();
  admin.run('list');
  const app = harvesterView(admin);

  it('lists the unconfirmed facts with their sources', () => {
    const run = admin.run('pending');
    expect(run.out).toContain('probable   issue 58 pages 197-217: title (en)');
    expect(run.out).toContain('source: https://www.magiran.com/paper/2505801');
    expect(run.out).toContain('3 pending facts');
  });

  it('confirm applies a title with its source, and harvesters see it', async () => {
    admin.setNow(new Date('2025-08-01T00:00:00Z'));
    const number = /(\d+)\s+probable/.exec(admin.run('pending').out)![1]!;
    const run = admin.run('confirm', number);
    expect(run.code).toBe(0);
    expect(run.out).toContain('58-197: title (en) set');
    const harvest = await oai(app, 'verb=ListRecords&metadataPrefix=oai_dc&from=2025-08-01');
    expect(texts(harvest.doc, '//dc:title[@xml:lang="en"]')).toEqual([
      'The role of Central Asian countries in the Greater Eurasia project, given the role of Russia and China',
    ]);
    expect(admin.run('pending').out).toContain('2 pending facts');
  });

  it('confirming the volume re-stamps every record of the issue, and the citation carries it', async () => {
    admin.setNow(new Date('2025-08-02T00:00:00Z'));
    const number = /(\d+)\s+inferred\s+issue 58: volume/.exec(admin.run('pending').out)![1]!;
    expect(admin.run('confirm', number).out).toContain('volume 15; 8 records re-stamped');
    const harvest = await oai(app, 'verb=ListRecords&metadataPrefix=oai_dc&from=2025-08-02');
    expect(nodes(harvest.doc, '//oai:record')).toHaveLength(8);
    expect(texts(harvest.doc, '//oai:record[1]//dc:source[@xml:lang="en"]')[0]).toContain('vol. 15');
  });

  it('refuses an unknown fact number', () => {
    expect(admin.run('confirm', '999').code).toBe(1);
    expect(admin.run('confirm', 'x').code).toBe(2);
  });
});

describe('settings that differ from the server', () => {
  it("keep the server's PUBLIC_URL in the stored metadata, moving no datestamp, and say so", () => {
    const admin = makeAdmin();
    admin.run('list');
    const before = datestamps(admin);
    const other = runCliWith(admin, { PUBLIC_URL: 'http://localhost:3000' }, 'list');
    expect(other.code).toBe(0);
    expect(other.err).toContain("records keep the server's PUBLIC_URL http://repo.example.org");
    expect(datestamps(admin)).toEqual(before);
  });
});

function runCliWith(admin: Admin, env: Record<string, string>, ...argv: string[]) {
  const err: string[] = [];
  const code = runCli(argv, { env: { ...admin.env, ...env }, out: () => {}, err: (l) => err.push(l) });
  return { code, err: err.join('\n') };
}

describe('backup and snapshot', () => {
  it.each(['backup', 'snapshot'])('%s copies the store into one checked, self-contained file, replacing the old copy atomically', async (command) => {
    const admin = makeAdmin();
    admin.run('list');
    const target = path.join(tempDir(), 'copy.sqlite');
    const first = await admin.runAsync(command, target);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toMatch(/wrote .*copy\.sqlite: 8 records \(0 deleted\)/);
    // The copy stands alone: no write-ahead log beside it, and the same rows as the store.
    expect(fs.readdirSync(path.dirname(target))).toEqual(['copy.sqlite']);
    const copy = new Database(target, { readonly: true });
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(copy.prepare('SELECT count(*) AS n FROM fragment').get()).toEqual(
      new Database(admin.dbPath, { readonly: true }).prepare('SELECT count(*) AS n FROM fragment').get(),
    );
    copy.close();

    admin.run('delete', '58-7');
    const second = await admin.runAsync(command, target);
    expect(second.out).toMatch(/8 records \(1 deleted\)/);
    expect(fs.readdirSync(path.dirname(target))).toEqual(['copy.sqlite']);
  });

  it('refuses to write over the store itself, or into a missing folder', async () => {
    const admin = makeAdmin();
    expect((await admin.runAsync('backup', admin.dbPath)).err).toContain('must not replace the store itself');
    expect((await admin.runAsync('snapshot', '/nonexistent-folder/x.sqlite')).code).toBe(1);
  });
});
