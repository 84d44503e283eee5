import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { oaiContext } from '../../src/context.js';
import { openStore } from '../../src/store/open-store.js';
import { oai } from '../support/app.js';
import { makeAdmin, tempDir, writeFile } from '../support/cli.js';
import { nodes, texts } from '../support/xml.js';

const root = new URL('../..', import.meta.url).pathname;

describe('importing while the server runs', () => {
  it('disturbs no harvest in progress; the next incremental harvest picks the changes up', async () => {
    const admin = makeAdmin();
    admin.run('list');
    const config = loadConfig({ ...admin.env, OAI_PAGE_SIZE_IDENTIFIERS: '3', RESUMPTION_TOKEN_SECRET: 'test-secret-of-sufficient-length' });
    const store = openStore(config);
    onTestFinished(() => store.close());
    let clock = new Date('2025-09-01T00:00:00Z');
    const app = createApp(oaiContext(config, store, () => clock));

    const first = await oai(app, 'verb=ListIdentifiers&metadataPrefix=oai_dc');
    const sent = texts(first.doc, '//oai:header/oai:identifier');
    const responseDate = texts(first.doc, '//oai:responseDate')[0]!;
    expect(sent).toEqual(['58-7', '58-39', '58-67'].map((id) => `oai:repo.example.org:${id}`));

    // Mid-harvest, an import changes a record already sent and one not yet sent.
    admin.setNow(new Date('2025-09-01T00:00:05Z'));
    const dir = tempDir();
    const file = writeFile(
      dir,
      'fix.jsonl',
      [
        { id: '58-39', issue: { number: 58 }, pages: '39-65', title: { en: 'Think Tanks in US Decisions on Iran' } },
        { id: '58-197', issue: { number: 58 }, pages: '197-217', abstract: { en: 'A corrected abstract.' } },
      ]
        .map((l) => JSON.stringify(l))
        .join('\n'),
    );
    expect(admin.run('import', file).out).toContain('0 added, 2 changed');

    clock = new Date('2025-09-01T00:00:10Z');
    let token = nodes(first.doc, '//oai:resumptionToken')[0]!.textContent!;
    const rest: string[] = [];
    while (token !== '') {
      const page = await oai(app, `verb=ListIdentifiers&resumptionToken=${encodeURIComponent(token)}`);
      expect(page.errors).toEqual([]);
      rest.push(...texts(page.doc, '//oai:header/oai:identifier'));
      token = nodes(page.doc, '//oai:resumptionToken')[0]!.textContent!;
    }
    const harvested = [...sent, ...rest];
    expect(new Set(harvested).size).toBe(harvested.length);
    // 58-197 changed after the harvest began: it moved past the frozen bound, to the next harvest.
    expect(harvested).not.toContain('oai:repo.example.org:58-197');
    expect(harvested).toHaveLength(7);

    const next = await oai(app, `verb=ListRecords&metadataPrefix=oai_dc&from=${responseDate}`);
    expect(texts(next.doc, '//oai:header/oai:identifier')).toEqual(['oai:repo.example.org:58-39', 'oai:repo.example.org:58-197']);
    expect(texts(next.doc, '//dc:title[@xml:lang="en"]')).toEqual(['Think Tanks in US Decisions on Iran']);
    expect(texts(next.doc, '//dc:description[@xml:lang="en"]')).toContain('A corrected abstract.');
  });
});

describe('an import killed half-way', () => {
  it('leaves the store as it was, and can simply be run again', async () => {
    const admin = makeAdmin();
    admin.run('list');
    const before = admin.snapshot();
    const dir = tempDir();
    const lines = Array.from({ length: 6_000 }, (_, i) =>
      JSON.stringify({
        issue: { number: 58 },
        pages: `${1000 + i * 2}-${1001 + i * 2}`,
        title: { en: `Generated article ${i}`, fa: `مقاله ساختگی ${i}` },
        abstract: { en: 'An abstract long enough to make the write take a while. '.repeat(4), fa: 'چکیده‌ای برای آزمون. '.repeat(8) },
        keywords: { en: ['one', 'two', 'three'], fa: ['یک', 'دو', 'سه'] },
        authors: [{ fa: 'نویسنده', en: 'Author', corresponding: true }],
      }),
    );
    const file = writeFile(dir, 'big.jsonl', lines.join('\n'));

    // One process (no tsx wrapper), so that the kill reaches the import itself.
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/admin/cli.ts', 'import', file], {
      cwd: root,
      env: { ...process.env, ...admin.env },
    });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        output += d.toString();
        // The write has begun: kill it as a power cut would.
        if (output.includes('importing 6000 articles')) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => reject(new Error(`import ended before it could be killed:\n${output}`)));
    });
    await new Promise((resolve) => child.once('exit', resolve));

    const db = new Database(admin.dbPath);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    expect(admin.snapshot()).toBe(before);

    const again = admin.run('import', file);
    expect(again.code).toBe(0);
    expect(again.out, again.err).toContain('6000 added, 0 changed, 0 unchanged');
  }, 120_000);
});
