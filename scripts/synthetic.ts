/**
 * Synthetic bilingual articles for the benchmark, the load test and the fault tests: about 1,200
 * characters of abstract per language, 2–5 authors and 4–7 keywords per language, a hundred
 * articles per issue, as JSON Lines the real import reads. Deterministic from a seed. The journal
 * they are imported into is given an ISSN, access rights and a licence, so that every record is
 * stored in all six formats, as in a real store.
 */
import type { Config } from '../src/config.js';
import { parseSource } from '../src/ingest/read-source.js';
import { importSource, nextDatestamp } from '../src/store/import.js';
import { JOURNAL_FIELDS, setJournalField } from '../src/store/journal.js';
import { openWritable, type Db } from '../src/store/open.js';
import { initializeStore } from '../src/store/open-store.js';
import { listJournals, setDeleted } from '../src/store/write.js';
import { FORMATS } from '../src/formats/registry.js';
import { renderFragments } from '../src/store/formats.js';

/** mulberry32: a small seeded generator, so every run builds the same records. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EN = 'policy relations foreign security energy region union strategy cooperation development international analysis theory power interest economic political state conflict peace treaty market growth'.split(' ');
const FA = 'سیاست روابط خارجی امنیت انرژی منطقه اتحادیه راهبرد همکاری توسعه بین‌الملل تحلیل نظریه قدرت منافع اقتصادی سیاسی دولت منازعه صلح معاهده بازار رشد'.split(' ');
const NAMES_EN = 'Ali Reza Maryam Hossein Fatemeh Zahra Mohammad Sara Amir Leila Karimi Ahmadi Hosseini Rezaei Moradi Jafari Sadeghi Bayat Salehi Mohammadi'.split(' ');
const NAMES_FA = 'علی رضا مریم حسین فاطمه زهرا محمد سارا امیر لیلا کریمی احمدی حسینی رضایی مرادی جعفری صادقی بیات صالحی محمدی'.split(' ');
const SEASONS = ['بهار', 'تابستان', 'پاییز', 'زمستان'];

/** Articles per issue: article `i` is in issue `1000 + i / PER_ISSUE`. */
export const PER_ISSUE = 100;

/** The local id the import gives article `i`: `<issue>-<first page>`. */
export function syntheticLocalId(i: number): string {
  return `${1000 + Math.floor(i / PER_ISSUE)}-${(i % PER_ISSUE) * 10 + 1}`;
}

/** A source of JSON lines: `line(i)` is article `i`, the same for the same seed and order. */
export function syntheticArticles(seed: number): { line(i: number): string } {
  const random = generator(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const text = (words: readonly string[], chars: number) => {
    let out = '';
    while (out.length < chars) out += `${pick(words)} `;
    return `${out.trim()}.`;
  };
  return {
    line(i: number): string {
      const issue = 1000 + Math.floor(i / PER_ISSUE);
      const k = i % PER_ISSUE;
      const quarter = issue % 4;
      const year = 1300 + (Math.floor((issue - 1000) / 4) % 100);
      const authors = Array.from({ length: 2 + Math.floor(random() * 4) }, (_, a) => ({
        fa: `${pick(NAMES_FA)} ${pick(NAMES_FA)}`,
        en: `${pick(NAMES_EN)} ${pick(NAMES_EN)}`,
        corresponding: a === 0,
      }));
      return JSON.stringify({
        issue: { number: issue, season: SEASONS[quarter], date: `${year}/${String(quarter * 3 + 2).padStart(2, '0')}/15` },
        pages: `${k * 10 + 1}-${k * 10 + 9}`,
        title: { fa: text(FA, 60), en: text(EN, 70) },
        abstract: { fa: text(FA, 1200), en: text(EN, 1200) },
        keywords: {
          fa: Array.from({ length: 4 + Math.floor(random() * 4) }, () => pick(FA)),
          en: Array.from({ length: 4 + Math.floor(random() * 4) }, () => pick(EN)),
        },
        authors,
      });
    },
  };
}

/** What building a synthetic store took, and where its datestamps lie. */
export interface SyntheticStore {
  records: number;
  importSeconds: number;
  /** The datestamp of chunk `c` is `base + c` minutes: date ranges select whole chunks. */
  base: number;
  chunks: number;
}

/**
 * Journal facts the seed does not know, plausible for the synthetic journal (the ISSN's check digit
 * is right): JATS needs an ISSN and OpenAIRE access rights, so without them two of the six
 * formats would never be stored, and the store would be smaller than a real one.
 */
export const SYNTHETIC_JOURNAL_FACTS: Readonly<Record<string, string>> = {
  'issn-online': '2345-6787',
  'access-rights': 'http://purl.org/coar/access_right/c_abf2',
  license: 'https://creativecommons.org/licenses/by/4.0/',
};

/**
 * Opens (creating and seeding) the store at `dbPath` and sets the synthetic journal facts as
 * `admin journal <field> <value>` does, so that every record imported afterwards is rendered in
 * all six formats. The caller closes it.
 */
export function openSyntheticStore(dbPath: string, config: Config, now: Date): Db {
  const db = openWritable(dbPath);
  initializeStore(db, config, now);
  const [journal] = listJournals(db);
  if (journal === undefined) throw new Error('the seeded store has no journal');
  for (const [field, value] of Object.entries(SYNTHETIC_JOURNAL_FACTS)) {
    // The admin command's own check, so that a fact it would refuse is not stored here either.
    if (JOURNAL_FIELDS[field]?.check?.test(value) === false) throw new Error(`synthetic ${field} ${value} is not valid`);
    setJournalField(db, journal.code, field, value, now);
  }
  return db;
}

/**
 * Imports `n` synthetic articles into the store at `dbPath` through the real import path, in
 * chunks stamped a minute apart in the past, then withdraws about 1 % of them.
 */
export function buildSyntheticStore(dbPath: string, n: number, seed: number, config: Config, progress: (line: string) => void = () => {}): SyntheticStore {
  const source = syntheticArticles(seed);
  // At least twenty chunks, so that a 10 % date range is a real slice.
  const chunk = Math.min(5_000, Math.ceil(n / 20));
  const chunks = Math.ceil(n / chunk);
  const base = Date.now() - (chunks + 5) * 60_000;
  const db = openSyntheticStore(dbPath, config, new Date(base - 60_000));
  const started = performance.now();
  for (let c = 0; c < chunks; c++) {
    const lines: string[] = [];
    for (let i = c * chunk; i < Math.min(n, (c + 1) * chunk); i++) lines.push(source.line(i));
    importSource(db, parseSource(lines.join('\n'), `chunk-${c}.jsonl`, 'jsonl'), { now: new Date(base + c * 60_000) });
    if (c % 20 === 19) progress(`imported ${Math.min(n, (c + 1) * chunk)}`);
  }
  const importSeconds = (performance.now() - started) / 1000;
  const deletedAt = new Date(base + chunks * 60_000);
  // Withdrawn as `admin delete` does it: a tombstone, and its stored metadata gone.
  db.transaction(() => {
    const ids = db.prepare<[], string>(`SELECT local_id FROM article WHERE local_id LIKE '1%' AND id % 100 = 7`).pluck().all();
    for (const id of ids) setDeleted(db, id, true, nextDatestamp(deletedAt, null));
    renderFragments(db, FORMATS.values(), ids);
  })();
  const records = db.prepare<[], number>('SELECT count(*) FROM article').pluck().get() ?? 0;
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { records, importSeconds, base, chunks };
}
