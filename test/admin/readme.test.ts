import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeAdmin, tempDir, writeFile } from '../support/cli.js';

const readme = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe("the README's JSON Lines example", () => {
  it('imports as the README says it does', () => {
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
    expect(shown.setSpecs).toEqual(['issue', 'issue:59']);
  });
});
