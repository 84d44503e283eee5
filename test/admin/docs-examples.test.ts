import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeAdmin, tempDir, writeFile } from '../support/cli.js';

const readme = fs.readFileSync(new URL('../../docs/data-and-import.md', import.meta.url), 'utf8');

describe("the documented JSON Lines example", () => {
  it('imports as docs/data-and-import.md says it does', () => {
    const example = /### JSON Lines files[\s\S]*?```json\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const admin = makeAdmin();
    const run = admin.run('import', writeFile(tempDir(), 'articles.jsonl', example!));
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain('articles.jsonl: 1 added, 1 changed, 0 unchanged, 0 deleted');
    expect(run.out).toContain('added: 59-1');
    expect(run.out).toContain('changed: 58-7 (titleEn)');
    const shown = JSON.parse(admin.run('show', '59-1', '--json').out);
    expect(shown.issue).toMatchObject({ number: 59, seasonEn: 'Autumn', dateSolar: '1401/09/30', datePublished: '2022-12-21' });
    expect(shown.authors).toEqual([
      { nameFa: 'علی رضایی', nameEn: 'Ali Rezaei', corresponding: true },
      { nameFa: 'مریم احمدی', nameEn: 'Maryam Ahmadi', corresponding: false },
    ]);
    expect(shown.setSpecs).toEqual(['issue', 'issue:59', 'prb', 'prb:59']);
  });
});

describe("the documented sample sheet", () => {
  it('imports into the journal the documentation adds, as it says it does', () => {
    const section = /### Spreadsheets \(CSV\)([\s\S]*?)### JSON Lines files/.exec(readme)?.[1] ?? '';
    const sheet = /```csv\n([\s\S]*?)```/.exec(section)?.[1];
    const commands = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    expect(sheet).toBeDefined();
    // The documentation's own `journal add` line, run as it is written.
    const add = /npm run admin -- (journal add .*)/.exec(commands)?.[1] ?? '';
    const argv = [...add.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
    const admin = makeAdmin();
    expect(admin.run(...argv).code).toBe(0);
    const run = admin.run('import', writeFile(tempDir(), 'sheet.csv', sheet!));
    expect(run.code, run.err).toBe(0);
    expect(commands).toContain('sheet.csv: 2 added, 0 changed, 0 unchanged, 0 deleted');
    expect(run.out).toContain('sheet.csv: 2 added, 0 changed, 0 unchanged, 0 deleted');
    expect(run.out).toContain('added: jir-22-1 jir-22-25');
    const shown = JSON.parse(admin.run('show', 'jir-22-25', '--json').out);
    expect(shown.text.en.title).toBe('Second Title, with a Comma');
    expect(shown.issue).toMatchObject({ number: 22, volume: 11, numberInVolume: 2, seasonEn: 'Spring and Summer', datePublished: '2023-09-22' });
    expect(shown.setSpecs).toEqual(['jir', 'jir:22']);
  });
});
