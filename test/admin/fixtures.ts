/**
 * Import files for the admin tests, derived from the seed table of contents by small line edits.
 *
 * Lines of db/seed/issue-58-toc.txt (1-based) the tests edit:
 *   3 journal name, 4 `پیاپی 58 (تابستان 1401)`, 6 publication date, 7 `تعداد عناوین: 8`, 8 `|`;
 *   Persian author lines 9 (7-37), 14 (39-65), 17 (67-86), 20 (89-111), 23 (113-139), 28 (141-174),
 *   33 (175-196), 36 (197-217); Persian abstracts 11, 15, 18, 21, 25, 30, 34, 38; keywords 13, 16,
 *   19, 22, 27, 32, 35, 40; 41 `|`;
 *   English author lines 42 (7-37), 47 (39-65), 50 (67-86), 53 (89-111), 56 (113-139), 61 (141-174),
 *   66 (175-196), 69 (197-217); English abstracts 44, 48, 51, 54, 58, 63, 67, 71; keywords 46, 49,
 *   52, 55, 60, 65, 68, 73 (the last line, with no newline after it).
 */
import { SEED_TOC } from '../support/cli.js';

export const SEED_LINES: readonly string[] = SEED_TOC.split('\n');

/** Line `n` (1-based) of the seed table of contents. */
export function seedLine(n: number): string {
  const line = SEED_LINES[n - 1];
  if (line === undefined) throw new Error(`the seed has no line ${n}`);
  return line;
}

/** What becomes of one line: a new text, several lines, or nothing (`null` removes it). */
export type LineEdit = string | readonly string[] | null | ((line: string) => string | readonly string[] | null);

/**
 * The seed table of contents with edits keyed by ORIGINAL line number (so edits never shift each
 * other), and lines appended at the end.
 */
export function editSeed(edits: Readonly<Record<number, LineEdit>>, append: readonly string[] = []): string {
  for (const key of Object.keys(edits)) seedLine(Number(key));
  const out: string[] = [];
  SEED_LINES.forEach((line, i) => {
    const edit = edits[i + 1];
    const result = edit === undefined ? line : typeof edit === 'function' ? edit(line) : edit;
    if (result === null) return;
    if (typeof result === 'string') out.push(result);
    else out.push(...result);
  });
  return [...out, ...append].join('\n');
}

/** Removes the original lines `from`..`to` (inclusive). */
export function removeLines(from: number, to: number): Record<number, null> {
  const edits: Record<number, null> = {};
  for (let n = from; n <= to; n++) edits[n] = null;
  return edits;
}

/** The header line announcing the number of articles. */
export const countLine = (n: number): string => ` • تعداد عناوین: ${n}`;

/** A ninth article for issue 58, pages 219-230: its Persian block entry. */
export const NINTH_FA = [
  ' • علی رضایی*، مریم احمدی صفحات 219-230',
  '  این مقاله نقش دیپلماسی عمومی را در سیاست خارجی ایران بررسی می کند.',
  '  کلیدواژگان: دیپلماسی عمومی، سیاست خارجی، ایران',
] as const;

/** The same article's English block entry. */
export const NINTH_EN = [
  ' • Ali Rezaei *, Maryam Ahmadi Pages 219-230',
  '  This article examines the role of public diplomacy in the foreign policy of Iran.',
  '  Keywords: Public Diplomacy, Foreign Policy, Iran',
] as const;

/** Issue 58 with the ninth article added in both blocks and the count raised to 9. */
export function seedWithNinth(fa: readonly string[] = NINTH_FA, en: readonly string[] = NINTH_EN): string {
  return editSeed({ 7: countLine(9), 41: [...fa, '|'] }, en);
}

/** Arabic yeh and kaf where Persian ones belong (what copy-pasted Persian text often has). */
export function arabicLetters(s: string): string {
  return s.replace(/\u06CC/g, '\u064A').replace(/\u06A9/g, '\u0643');
}

/** ASCII digits written as Persian digits. */
export function persianDigits(s: string): string {
  return s.replace(/[0-9]/g, (d) => String.fromCharCode(0x06f0 + Number(d)));
}

/** A table of contents of a new issue, 59 (Autumn 1401, published 1401/09/30), with two articles. */
export const ISSUE_59_TOC = [
  'فهرست مطالب',
  '',
  'فصلنامه مطالعات روابط بین الملل',
  'پیاپی 59 (پاییز 1401)',
  '',
  ' • تاریخ انتشار: 1401/09/30',
  ' • تعداد عناوین: 2',
  '|',
  ' • سارا کریمی* صفحات 1-20',
  '  این پژوهش سیاست همسایگی ایران در آسیای مرکزی را بررسی می کند.',
  '  کلیدواژگان: سیاست همسایگی، آسیای مرکزی',
  ' • نادر مرادی، لیلا صدری* صفحات 21-40',
  '  این مقاله جایگاه سازمان همکاری شانگهای در راهبرد منطقه ای ایران را تحلیل می کند.',
  '  کلیدواژگان: سازمان همکاری شانگهای، ایران',
  '|',
  ' • Sara Karimi * Pages 1-20',
  "  This study examines Iran's neighbourhood policy in Central Asia.",
  '  Keywords: Neighbourhood Policy, Central Asia',
  ' • Nader Moradi, Leila Sadri * Pages 21-40',
  "  This article analyses the place of the Shanghai Cooperation Organisation in Iran's regional strategy.",
  '  Keywords: Shanghai Cooperation Organisation, Iran',
].join('\n');

/** One JSON Lines file from objects, one per line (`''` for a blank line). */
export function jsonl(...lines: ReadonlyArray<object | string>): string {
  return `${lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n')}\n`;
}
