/**
 * Text normalization for article records, with a report of every change.
 *
 * Every rule is a pure `string -> string` function exported on its own. To learn what changed,
 * run rules through a {@link ChangeLog}: it applies one rule to one field and records a
 * {@link NormalizationChange} when the value differs. {@link normalizeArticle} does this for
 * every field of an {@link ArticleInput}, choosing the rules from a table by field kind.
 *
 * Deliberately NOT done: restoring lost ZWNJ half-spaces (`اتاق های فکر` stays as it is),
 * because guessing where they belong would alter words we cannot check.
 */
import type { ArticleCore, ArticleDetails, Author, Lang } from '../model.js';

/** Names of the rules, as they appear in {@link NormalizationChange.rule}. */
export type NormalizationRule =
  | 'xml-illegal'
  | 'nfc'
  | 'persian-letters'
  | 'trim'
  | 'empty'
  | 'abstract-trailing-dot'
  | 'title-case'
  | 'keyword-punctuation'
  | 'keyword-split'
  | 'keyword-empty'
  | 'keyword-duplicate';

/** One change a rule made to one field. */
export interface NormalizationChange {
  /** Field path, e.g. `abstractEn`, `keywordsEn`, `authors[7].nameEn`. */
  field: string;
  rule: NormalizationRule;
  /** Value before this rule ran (for keyword rules: the single keyword concerned). */
  before: string;
  /** Value after this rule ran (for `keyword-split`: the parts joined by `, `; `''` when dropped). */
  after: string;
}

/** Collects {@link NormalizationChange} entries while rules are applied. */
export class ChangeLog {
  readonly changes: NormalizationChange[] = [];

  /** Applies `fn` to `value`; records a change under `field`/`rule` when the result differs. */
  apply(field: string, rule: NormalizationRule, value: string, fn: (s: string) => string): string {
    const after = fn(value);
    if (after !== value) this.record(field, rule, value, after);
    return after;
  }

  /** Records a change made outside {@link ChangeLog.apply} (list rules). */
  record(field: string, rule: NormalizationRule, before: string, after: string): void {
    this.changes.push({ field, rule, before, after });
  }
}

// --- Single-string rules -------------------------------------------------------------------

/** A named single-string rule, as the rule tables below list them. */
type TextRule = readonly [NormalizationRule, (s: string) => string];

/**
 * Characters XML 1.0 allows: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
 * With the `u` flag a lone surrogate is its own code point, outside every range, so it goes too.
 */
const XML_ILLEGAL = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
// Without `g`: `test` then keeps no position between calls.
const HAS_XML_ILLEGAL = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** Removes every character XML 1.0 forbids (C0 controls such as U+0003, U+FFFE, lone surrogates). */
/** Letters of the Arabic script, Persian's: its blocks, the supplement and the presentation forms. */
export const ARABIC_SCRIPT = /[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]/u;

export function stripXmlIllegal(s: string): string {
  // Stored text is already clean, and every record is serialized six times: look before copying.
  return HAS_XML_ILLEGAL.test(s) ? s.replace(XML_ILLEGAL, '') : s;
}

/** Unicode canonical composition (NFC). */
export function toNfc(s: string): string {
  return s.normalize('NFC');
}

/** Arabic letter forms that Persian text should not use, mapped to the Persian ones. */
const ARABIC_TO_PERSIAN: Readonly<Record<string, string>> = {
  '\u064A': '\u06CC', // ي Arabic yeh -> ی Persian yeh
  '\u0649': '\u06CC', // ى alef maksura -> ی
  '\u0643': '\u06A9', // ك Arabic kaf -> ک keheh
};

/** Persian fields only: Arabic ي / ى → ی and ك → ک. */
export function toPersianLetters(s: string): string {
  return s.replace(/[\u064A\u0649\u0643]/g, (c) => ARABIC_TO_PERSIAN[c] ?? c);
}

/** Persian (U+06F0–06F9) and Arabic-Indic (U+0660–0669) digits → ASCII `0`–`9`. */
export function toAsciiDigits(s: string): string {
  return s.replace(/[\u06F0-\u06F9\u0660-\u0669]/g, (c) => {
    const code = c.charCodeAt(0);
    return String(code >= 0x06f0 ? code - 0x06f0 : code - 0x0660);
  });
}

/** Trims, and turns each run of whitespace (spaces, tabs, newlines) into one space. ZWNJ is not whitespace. */
export function collapseWhitespace(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * Removes a stray ` .` at the end of an abstract (`... UN support. .` → `... UN support.`).
 * When no sentence-ending mark precedes it, the dot is the sentence's own and is only re-attached.
 */
export function fixAbstractTrailingDot(s: string): string {
  return s.replace(/([.!?؟])\s+\.$/u, '$1').replace(/([^\s.!?؟])\s+\.$/u, '$1.');
}

/**
 * Title-cases Latin words printed entirely in capitals (`ELAHEH KOOLAEE` → `Elaheh Koolaee`,
 * `HAJI-YOUSEFI` → `Haji-Yousefi`). A word is changed only when it has 2+ letters, all uppercase,
 * so `MohammadAli`, `Haji-Yousefi` and initials like `A.` stay.
 */
export function titleCaseAllCapsWords(s: string): string {
  return s.replace(/\S+/g, (word) => {
    const letters = word.match(/\p{L}/gu) ?? [];
    const allCaps = letters.length > 1 && letters.every((l) => /\p{Lu}/u.test(l));
    if (!allCaps) return word;
    // Capitalize the first letter of each letter run: handles `HAJI-YOUSEFI`, `O'BRIEN`.
    return word.toLowerCase().replace(/(^|[^\p{L}])(\p{L})/gu, (_m, sep: string, l: string) => sep + l.toUpperCase());
  });
}

// --- Keyword rules ---------------------------------------------------------------------------

/** Punctuation that cannot start a keyword (`_ Iran`). Quotes and brackets stay: they come in pairs. */
const LEADING_JUNK = /^[\s\p{Pc}\p{Pd}.,;:!?*•·،؛]+/u;
/** Punctuation that cannot end a keyword. A final `.` is handled separately (abbreviations). */
const TRAILING_JUNK = /[\s\p{Pc}\p{Pd},;:*•·،؛]+$/u;
/** A possessive broken by a comma: `China', s Development` → `China's Development`. */
const BROKEN_POSSESSIVE = /(\p{L})(['’])\s*,\s*s(?=\s|$)/gu;
/** Abbreviations of 3+ letters that end with a full stop without ending a sentence. */
const ABBREVIATIONS = new Set(['mrs', 'prof', 'gen', 'col', 'gov', 'sen', 'rep', 'inc', 'ltd', 'corp', 'dept', 'univ', 'etc', 'vol']);

/** True when `text` ends with a word of 3+ letters that is not an abbreviation (`Obama`, not `U.S.A` or `Mrs`). */
function endsWithSentenceWord(text: string): boolean {
  const m = /(?:^|[^\p{L}.])(\p{L}{3,})$/u.exec(text);
  return m?.[1] !== undefined && !ABBREVIATIONS.has(m[1].toLowerCase());
}

/**
 * Fixes stray punctuation in one keyword: a comma-broken possessive, leading `_`/dashes/commas,
 * trailing commas/dashes, and a trailing full stop after a whole word (`Divergence.`; `U.S.A.` keeps it).
 */
export function fixKeywordPunctuation(k: string): string {
  let s = k.replace(BROKEN_POSSESSIVE, '$1$2s').replace(LEADING_JUNK, '').replace(TRAILING_JUNK, '');
  if (s.endsWith('.') && endsWithSentenceWord(s.slice(0, -1))) s = s.slice(0, -1).replace(TRAILING_JUNK, '');
  return s;
}

/**
 * Splits a keyword where a full stop stood for a comma: `Obama. Comparative study` → `Obama`,
 * `Comparative study`. Splits only at `. ` + uppercase letter after a word of 3+ letters that is
 * not an abbreviation, so `U.S.A`, `I.R. of Iran`, `St. Petersburg`, `Mrs. Thatcher` stay whole.
 */
export function splitKeywordAtFullStops(k: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (const m of k.matchAll(/\.\s+(?=\p{Lu})/gu)) {
    const at = m.index;
    if (endsWithSentenceWord(k.slice(start, at))) {
      parts.push(k.slice(start, at));
      start = at + m[0].length;
    }
  }
  parts.push(k.slice(start));
  return parts;
}

/**
 * A list split on commas cuts `China', s Development` in two (`China'` and `s Development`):
 * glue an item that starts with a lone `s` back onto a previous item that ends in an apostrophe.
 */
function rejoinBrokenPossessives(items: readonly string[], field: string, log: ChangeLog): string[] {
  const out: string[] = [];
  for (const item of items) {
    const prev = out.at(-1);
    if (prev !== undefined && /\p{L}['’]$/u.test(prev) && /^s(?=\s|$)/u.test(item)) {
      out[out.length - 1] = prev + item;
      log.record(field, 'keyword-punctuation', `${prev}, ${item}`, prev + item);
    } else {
      out.push(item);
    }
  }
  return out;
}

/** Rules every text field gets, in order; `persian-letters` only for Persian fields. */
function baseRules(lang: Lang | null): readonly TextRule[] {
  return [
    ['xml-illegal', stripXmlIllegal],
    ['nfc', toNfc],
    ...(lang === 'fa' ? ([['persian-letters', toPersianLetters]] as const) : []),
    ['trim', collapseWhitespace],
  ];
}

/** Runs {@link baseRules} plus `extra` on one string through `log`. */
function cleanText(
  value: string,
  field: string,
  lang: Lang | null,
  log: ChangeLog,
  extra: readonly TextRule[] = [],
): string {
  return [...baseRules(lang), ...extra].reduce((v, [rule, fn]) => log.apply(field, rule, v, fn), value);
}

/**
 * Cleans a keyword list: base text rules on each keyword, rejoining a possessive that a comma
 * split across two items (`China'` + `s Development`), then (English only) splitting at a
 * full stop used as a comma, punctuation fixes, dropping empty keywords, and dropping duplicates
 * (case-insensitive for English, exact for Persian), keeping the first. Changes go to `log`.
 */
export function cleanKeywords(
  list: readonly string[],
  lang: Lang,
  log: ChangeLog = new ChangeLog(),
  field: string = lang === 'fa' ? 'keywordsFa' : 'keywordsEn',
): string[] {
  const texts = rejoinBrokenPossessives(
    list.map((raw) => cleanText(raw, field, lang, log)),
    field,
    log,
  );
  const out: string[] = [];
  const seen = new Set<string>();
  for (const text of texts) {
    // Persian has no capitals, so the split rule (`. ` + uppercase) can only apply to English.
    const parts = lang === 'en' ? splitKeywordAtFullStops(text) : [text];
    if (parts.length > 1) log.record(field, 'keyword-split', text, parts.join(', '));
    for (const part of parts) {
      const k = log.apply(field, 'keyword-punctuation', part, (s) => collapseWhitespace(fixKeywordPunctuation(s)));
      if (k === '') {
        log.record(field, 'keyword-empty', part, '');
        continue;
      }
      const key = lang === 'en' ? k.toLowerCase() : k;
      if (seen.has(key)) {
        log.record(field, 'keyword-duplicate', k, '');
        continue;
      }
      seen.add(key);
      out.push(k);
    }
  }
  return out;
}

// --- Whole article ---------------------------------------------------------------------------

/** How each nullable text field of an article is cleaned: its language and rules beyond the base ones. */
const TEXT_FIELDS = [
  { field: 'titleFa', lang: 'fa', extra: [] },
  { field: 'titleEn', lang: 'en', extra: [] },
  { field: 'abstractFa', lang: 'fa', extra: [['abstract-trailing-dot', fixAbstractTrailingDot]] },
  { field: 'abstractEn', lang: 'en', extra: [['abstract-trailing-dot', fixAbstractTrailingDot]] },
  { field: 'doi', lang: null, extra: [] },
  { field: 'landingUrl', lang: null, extra: [] },
] as const satisfies ReadonlyArray<{
  field: keyof ArticleCore;
  lang: Lang | null;
  extra: readonly TextRule[];
}>;

/** Same for author names. */
const AUTHOR_FIELDS = [
  { field: 'nameFa', lang: 'fa', extra: [] },
  { field: 'nameEn', lang: 'en', extra: [['title-case', titleCaseAllCapsWords]] },
] as const satisfies ReadonlyArray<{
  field: keyof Author;
  lang: Lang;
  extra: readonly TextRule[];
}>;

/** Cleans a nullable field; a value that cleans down to `''` becomes null (rule `empty`). */
function cleanNullable(
  value: string | null,
  field: string,
  lang: Lang | null,
  log: ChangeLog,
  extra: readonly TextRule[],
): string | null {
  if (value === null) return null;
  const cleaned = cleanText(value, field, lang, log, extra);
  if (cleaned !== '') return cleaned;
  log.record(field, 'empty', value, '');
  return null;
}

/**
 * Applies the right rules to every field of an article and reports each change: NFC, XML-illegal
 * stripping and whitespace trimming everywhere; Persian letters on `*Fa` fields and `nameFa`;
 * title case on `nameEn`; the trailing-dot fix on abstracts; {@link cleanKeywords} on keywords.
 * The input is not modified. Normalizing the result again reports no changes.
 */
export function normalizeArticle<T extends ArticleCore>(a: T): { article: T; changes: NormalizationChange[] } {
  const log = new ChangeLog();
  const article: T = { ...a };
  for (const { field, lang, extra } of TEXT_FIELDS) {
    article[field] = cleanNullable(a[field], field, lang, log, extra);
  }
  article.keywordsFa = cleanKeywords(a.keywordsFa, 'fa', log, 'keywordsFa');
  article.keywordsEn = cleanKeywords(a.keywordsEn, 'en', log, 'keywordsEn');
  article.authors = a.authors.map((author, i) => {
    const out: Author = { ...author };
    for (const { field, lang, extra } of AUTHOR_FIELDS) {
      out[field] = cleanNullable(author[field], `authors[${i}].${field}`, lang, log, extra);
    }
    if (author.affiliations !== undefined) {
      out.affiliations = author.affiliations.map((aff, j) => ({
        ...aff,
        nameFa: cleanNullable(aff.nameFa, `authors[${i}].affiliations[${j}].nameFa`, 'fa', log, []),
        nameEn: cleanNullable(aff.nameEn, `authors[${i}].affiliations[${j}].nameEn`, 'en', log, []),
      }));
    }
    return out;
  });
  // Funders and awards are text of their own, in either language.
  const { funding } = a as Partial<ArticleDetails>;
  if (funding !== undefined) {
    const clean = (value: string | null, field: string, lang: Lang | null) => cleanNullable(value, field, lang, log, []);
    (article as Partial<ArticleDetails>).funding = funding.map((f, j) => ({
      ...f,
      funderNameFa: clean(f.funderNameFa, `funding[${j}].funderNameFa`, 'fa'),
      funderNameEn: clean(f.funderNameEn, `funding[${j}].funderNameEn`, 'en'),
      awardNumber: clean(f.awardNumber, `funding[${j}].awardNumber`, null),
      awardTitleFa: clean(f.awardTitleFa, `funding[${j}].awardTitleFa`, 'fa'),
      awardTitleEn: clean(f.awardTitleEn, `funding[${j}].awardTitleEn`, 'en'),
    }));
  }
  return { article, changes: log.changes };
}
