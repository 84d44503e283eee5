import fs from 'node:fs';
import { expect } from 'vitest';
import { prettyXml } from '../../src/pages/xml-view.js';

/**
 * Compares a record's rendering with its golden file in test/formats/golden/, pretty-printed so a
 * crosswalk change shows as a readable diff. `UPDATE_GOLDEN=1` rewrites the file instead.
 */
export function expectGolden(name: string, xml: string): void {
  const file = new URL(`../formats/golden/${name}`, import.meta.url);
  const actual = `${prettyXml(xml)}\n`;
  if (process.env['UPDATE_GOLDEN'] === '1') fs.writeFileSync(file, actual);
  expect(fs.existsSync(file), `golden file ${name} missing: run with UPDATE_GOLDEN=1`).toBe(true);
  expect(actual).toBe(fs.readFileSync(file, 'utf8'));
}
