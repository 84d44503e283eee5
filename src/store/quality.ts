import { recordLicense } from '../formats/shared.js';
import type { ArticleRecord, Lang } from '../model.js';
import type { Db } from './open.js';
import { ARABIC_SCRIPT } from '../text/normalize.js';
import { findingMessage, type FindingText } from './quality-messages.js';
import { SqliteRepository } from './records.js';
import { listJournals } from './write.js';

/** One finding of the data-quality check. A problem fails the check; a note does not. */
export interface Finding {
  id: string;
  field: string;
  lang: Lang | null;
  severity: 'problem' | 'note';
  /** In English, as the command line prints it. */
  message: string;
  /** What kind of finding it is and the values it names, for the pages to say it in their language. */
  text: FindingText;
}

const LATIN = /[A-Za-z]/;
// Letters of the Arabic alphabet that Persian writes differently: ي ك ى (Persian uses ی and ک).
const ARABIC_ONLY = /[\u064A\u0643\u0649]/;
const LANGS: readonly Lang[] = ['fa', 'en'];

/**
 * Checks every live record: what is missing in either language, text in the wrong script,
 * empty or repeated keywords, and page ranges that overlap within an issue.
 */
export function checkQuality(db: Db, records: readonly ArticleRecord[] = liveRecords(db)): Finding[] {
  const findings: Finding[] = [];
  const byIssue = new Map<string, Array<{ id: string; start: number; end: number }>>();

  for (const r of records) {
    const id = r.localId;
    const add = (field: string, lang: Lang | null, severity: Finding['severity'], text: FindingText) =>
      findings.push({ id, field, lang, severity, message: findingMessage(text), text });
    for (const lang of LANGS) {
      if (r.text[lang].title === null) add('title', lang, 'problem', { code: 'noTitle', params: {} });
      if (r.text[lang].abstract === null) add('abstract', lang, 'problem', { code: 'noAbstract', params: {} });
      if (r.keywords[lang].length === 0) add('keywords', lang, 'problem', { code: 'noKeywords', params: {} });
    }
    const script = (field: string, lang: Lang, value: string | null, long: boolean) => {
      if (value === null) return;
      if (lang === 'fa') {
        if (ARABIC_ONLY.test(value)) add(field, lang, 'problem', { code: 'arabicLetters', params: { excerpt: excerpt(value, ARABIC_ONLY) } });
        // A Latin name in a Persian abstract (software, acronyms) is normal; in a title or keyword it is suspect.
        if (LATIN.test(value)) add(field, lang, long ? 'note' : 'problem', { code: 'latinInPersian', params: { excerpt: excerpt(value, LATIN) } });
      } else if (ARABIC_SCRIPT.test(value)) {
        add(field, lang, 'problem', { code: 'arabicInEnglish', params: { excerpt: excerpt(value, ARABIC_SCRIPT) } });
      }
    };
    for (const lang of LANGS) {
      script('title', lang, r.text[lang].title, false);
      script('abstract', lang, r.text[lang].abstract, true);
      r.keywords[lang].forEach((k) => script('keywords', lang, k, false));
      const seen = new Set<string>();
      for (const k of r.keywords[lang]) {
        const key = k.trim().toLocaleLowerCase('en');
        if (key === '') add('keywords', lang, 'problem', { code: 'emptyKeyword', params: {} });
        else if (seen.has(key)) add('keywords', lang, 'problem', { code: 'keywordTwice', params: { keyword: k } });
        seen.add(key);
      }
    }
    r.authors.forEach((a, i) => {
      script(`authors[${i + 1}]`, 'fa', a.nameFa, false);
      script(`authors[${i + 1}]`, 'en', a.nameEn, false);
      if (a.nameFa === null) add(`authors[${i + 1}]`, 'fa', 'problem', { code: 'noPersianName', params: {} });
      if (a.nameEn === null) add(`authors[${i + 1}]`, 'en', 'problem', { code: 'noEnglishName', params: {} });
    });
    if (r.pageStart === null || r.pageEnd === null) {
      add('pages', null, 'note', { code: 'noPages', params: {} });
      continue;
    }
    // Issue numbers repeat across journals.
    const issue = `${r.journal.code} ${r.issue.number}`;
    const list = byIssue.get(issue) ?? [];
    list.push({ id, start: r.pageStart, end: r.pageEnd });
    byIssue.set(issue, list);
  }

  for (const [key, ranges] of byIssue) {
    const issue = key.split(' ')[1];
    ranges.sort((a, b) => a.start - b.start);
    ranges.forEach((a, i) => {
      const b = ranges[i + 1];
      if (b && b.start <= a.end) {
        const text: FindingText = { code: 'pagesOverlap', params: { pages: `${b.start}-${b.end}`, other: a.id, otherPages: `${a.start}-${a.end}`, issue: issue ?? '' } };
        findings.push({ id: b.id, field: 'pages', lang: null, severity: 'problem', message: findingMessage(text), text });
      }
    });
  }
  return findings;
}

/** Every live record, by journal, issue and page: what both reports read. */
function liveRecords(db: Db): ArticleRecord[] {
  const ids = db
    .prepare<[], string>('SELECT a.local_id FROM article a JOIN issue i ON i.id = a.issue_id WHERE a.deleted = 0 ORDER BY i.journal_id, i.number, a.page_start, a.local_id')
    .pluck()
    .all();
  return new SqliteRepository(db).getRecords(ids);
}

/** Both reports from one read of the live records, as `check` and `/quality` show them. */
export function qualityReport(db: Db): { findings: Finding[]; coverage: JournalCoverage[] } {
  const records = liveRecords(db);
  return { findings: checkQuality(db, records), coverage: journalCoverage(db, records) };
}

/** A few characters around the first match, so the report shows where the problem is. */
function excerpt(value: string, pattern: RegExp): string {
  const at = value.search(pattern);
  const start = Math.max(0, at - 12);
  return `${start > 0 ? '…' : ''}${value.slice(start, at + 18)}${at + 18 < value.length ? '…' : ''}`;
}

/** What richer sources would add, per journal: the live records that still lack each kind. */
export interface JournalCoverage {
  journal: string;
  records: number;
  /** Records with an author who has no ORCID iD. */
  withoutOrcid: string[];
  /** Records with an author who has no affiliation. */
  withoutAffiliation: string[];
  /** Records under no licence, their own or their journal's. */
  withoutLicense: string[];
  withoutFullText: string[];
}

/**
 * For each journal, the live records that lack ORCID iDs, affiliations, a licence or full text:
 * not problems (no source may have them), but what aggregators rank first, so an admin sees what to ask for.
 */
export function journalCoverage(db: Db, records: readonly ArticleRecord[] = liveRecords(db)): JournalCoverage[] {
  const byJournal = new Map<string, ArticleRecord[]>(listJournals(db).map((j) => [j.code, []]));
  for (const r of records) byJournal.get(r.journal.code)?.push(r);
  return [...byJournal].map(([journal, own]) => {
    const lacking = (test: (r: ArticleRecord) => boolean) => own.filter(test).map((r) => r.localId);
    return {
      journal,
      records: own.length,
      withoutOrcid: lacking((r) => r.authors.length === 0 || r.authors.some((a) => typeof a.orcid !== 'string')),
      withoutAffiliation: lacking((r) => r.authors.length === 0 || r.authors.some((a) => (a.affiliations ?? []).length === 0)),
      withoutLicense: lacking((r) => recordLicense(r) === null),
      withoutFullText: lacking((r) => r.details.fullText.length === 0),
    };
  });
}
