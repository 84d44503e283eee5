import fs from 'node:fs';
import path from 'node:path';
import type { ImportSource } from '../ingest/patch.js';
import { readSource } from '../ingest/read-source.js';
import type { JournalInfo, Lang } from '../model.js';
import { formatDatestamp } from '../oai/datestamp.js';
import { seedDir } from '../paths.js';
import type { Db } from './open.js';
import { importSource } from './import.js';
import { addPendingFact, upsertJournal } from './write.js';

/** One entry of `db/seed/facts.json`. */
export interface Fact {
  subject: string;
  field: string;
  lang?: Lang;
  value: string;
  source: string;
  status: string;
}

interface FactsFile {
  journal: { code: string; document: string };
  facts: Fact[];
}

/** What a seed did. */
export interface SeedReport {
  journal: string;
  issue: number;
  articles: number;
  titles: number;
  pendingFacts: number;
  normalizations: number;
}

function readFacts(file: string): FactsFile {
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<FactsFile>;
  if (typeof data.journal?.code !== 'string' || typeof data.journal.document !== 'string' || !Array.isArray(data.facts)) {
    throw new Error(`${file}: expected { journal: { code, document }, facts: [...] }`);
  }
  data.facts.forEach((f, i) => {
    for (const key of ['subject', 'field', 'value', 'source', 'status'] as const) {
      if (typeof f[key] !== 'string' || f[key] === '') throw new Error(`${file}: facts[${i}].${key} must be a non-empty string`);
    }
    if (f.lang !== undefined && f.lang !== 'fa' && f.lang !== 'en') throw new Error(`${file}: facts[${i}].lang must be "fa" or "en"`);
  });
  return data as FactsFile;
}

const ARTICLE_SUBJECT = /^issue (\d+) pages (\d+)-(\d+)$/;

/** Puts a confirmed title, with its source, on the article its subject names; false when none matches. */
function applyTitle(source: ImportSource, fact: Fact): boolean {
  const m = ARTICLE_SUBJECT.exec(fact.subject);
  if (!m || fact.field !== 'title' || fact.lang === undefined) return false;
  const batch = source.batches.find((b) => b.issue.number === Number(m[1]));
  const article = batch?.articles.find((a) => a.pageStart === Number(m[2]) && a.pageEnd === Number(m[3]));
  if (!article) return false;
  if (fact.lang === 'fa') Object.assign(article, { titleFa: fact.value, titleSourceFa: fact.source });
  else Object.assign(article, { titleEn: fact.value, titleSourceEn: fact.source });
  return true;
}

/**
 * Loads the journal issue of `db/seed/` into an empty store, in one transaction: it imports the
 * table of contents as published, with the confirmed facts of `facts.json`. Facts that are only
 * probable or inferred are kept as pending, for an admin; nothing is made up.
 */
export function seed(db: Db, options: { now: Date; journalNameEn?: string | undefined; dir?: string }): SeedReport {
  const dir = options.dir ?? seedDir;
  const { journal: journalRef, facts } = readFacts(path.join(dir, 'facts.json'));
  const source = readSource(path.join(dir, journalRef.document));
  const confirmed = facts.filter((f) => f.status === 'confirmed');
  const journalFact = (field: string, lang?: Lang): string | null =>
    confirmed.find((f) => f.subject === 'journal' && f.field === field && f.lang === lang)?.value ?? null;

  const journal: JournalInfo = {
    code: journalRef.code,
    nameFa: journalFact('name', 'fa') ?? source.batches[0]?.journalNameFa ?? null,
    nameEn: options.journalNameEn ?? journalFact('name', 'en'),
    publisherFa: journalFact('publisher', 'fa'),
    publisherEn: journalFact('publisher', 'en'),
    issnPrint: journalFact('issn-print'),
    issnOnline: journalFact('issn-online'),
    website: journalFact('website'),
    accessRights: journalFact('access-rights'),
    license: journalFact('license'),
  };

  let titles = 0;
  for (const fact of confirmed) {
    if (fact.subject === 'journal') continue;
    if (!applyTitle(source, fact)) throw new Error(`facts.json: no article matches the confirmed fact "${fact.subject} ${fact.field}"`);
    titles++;
  }

  const pending = facts.filter((f) => f.status !== 'confirmed');
  const summary = db.transaction(() => {
    upsertJournal(db, journal);
    const result = importSource(db, source, { now: options.now });
    for (const f of pending) addPendingFact(db, { ...f, lang: f.lang ?? null });
    db.prepare(`INSERT INTO meta (key, value) VALUES ('seeded_at', ?)`).run(formatDatestamp(options.now));
    return result;
  })();

  return {
    journal: journal.nameFa ?? journal.code,
    issue: source.batches[0]?.issue.number ?? 0,
    articles: summary.added.length,
    titles,
    pendingFacts: pending.length,
    normalizations: summary.normalized,
  };
}

/** True when the store holds no journal yet: a first start. */
export function isEmpty(db: Db): boolean {
  return db.prepare<[], number>('SELECT count(*) FROM journal').pluck().get() === 0;
}
