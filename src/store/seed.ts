import fs from 'node:fs';
import path from 'node:path';
import { parseToc } from '../ingest/toc-parser.js';
import type { ArticleInput, JournalInfo, Lang } from '../model.js';
import { formatDatestamp } from '../oai/datestamp.js';
import { seedDir } from '../paths.js';
import { normalizeArticle } from '../text/normalize.js';
import type { Db } from './open.js';
import {
  addPendingFact,
  articleLocalId,
  ensureIssueSets,
  insertArticle,
  upsertIssue,
  upsertJournal,
  type TitleSources,
} from './write.js';

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

/** Puts a confirmed title on the article its subject names; false when no article matches. */
function applyTitle(articles: ArticleInput[], issue: number, fact: Fact, sources: Map<ArticleInput, TitleSources>): boolean {
  const m = ARTICLE_SUBJECT.exec(fact.subject);
  if (!m || Number(m[1]) !== issue || fact.field !== 'title' || fact.lang === undefined) return false;
  const article = articles.find((a) => a.pageStart === Number(m[2]) && a.pageEnd === Number(m[3]));
  if (!article) return false;
  if (fact.lang === 'fa') article.titleFa = fact.value;
  else article.titleEn = fact.value;
  sources.set(article, { ...sources.get(article), [fact.lang]: fact.source });
  return true;
}

/**
 * Loads the journal issue of `db/seed/` into an empty store, in one transaction: it parses the
 * table of contents as published and adds the confirmed facts of `facts.json`. Facts that are
 * only probable or inferred are kept as pending, for an admin; nothing is made up.
 */
export function seed(db: Db, options: { now: Date; journalNameEn?: string | undefined; dir?: string }): SeedReport {
  const dir = options.dir ?? seedDir;
  const { journal: journalRef, facts } = readFacts(path.join(dir, 'facts.json'));
  const document = parseToc(fs.readFileSync(path.join(dir, journalRef.document), 'utf8'), journalRef.document);

  const normalized = document.articles.map((a) => normalizeArticle(a));
  const articles = normalized.map((n) => n.article);
  const confirmed = facts.filter((f) => f.status === 'confirmed');
  const journalFact = (field: string, lang?: Lang): string | null =>
    confirmed.find((f) => f.subject === 'journal' && f.field === field && f.lang === lang)?.value ?? null;

  const journal: JournalInfo = {
    code: journalRef.code,
    nameFa: journalFact('name', 'fa') ?? document.journalNameFa,
    nameEn: options.journalNameEn ?? journalFact('name', 'en'),
    publisherFa: journalFact('publisher', 'fa'),
    publisherEn: journalFact('publisher', 'en'),
    issnPrint: journalFact('issn-print'),
    issnOnline: journalFact('issn-online'),
    website: journalFact('website'),
  };

  const titleSources = new Map<ArticleInput, TitleSources>();
  let titles = 0;
  for (const fact of confirmed) {
    if (fact.subject === 'journal') continue;
    if (applyTitle(articles, document.issue.number, fact, titleSources)) titles++;
    else throw new Error(`facts.json: no article of issue ${document.issue.number} matches the confirmed fact "${fact.subject} ${fact.field}"`);
  }

  const datestamp = formatDatestamp(options.now);
  const pending = facts.filter((f) => f.status !== 'confirmed');
  db.transaction(() => {
    const journalId = upsertJournal(db, journal);
    const issueId = upsertIssue(db, journalId, document.issue);
    const sets = ensureIssueSets(db, document.issue);
    for (const article of articles) {
      const localId = articleLocalId(document.issue.number, article.pageStart);
      insertArticle(db, issueId, localId, article, datestamp, sets, titleSources.get(article) ?? {});
    }
    for (const f of pending) addPendingFact(db, { ...f, lang: f.lang ?? null });
    db.prepare(`INSERT INTO meta (key, value) VALUES ('seeded_at', ?)`).run(datestamp);
  })();

  return {
    journal: journal.nameFa ?? journal.code,
    issue: document.issue.number,
    articles: articles.length,
    titles,
    pendingFacts: pending.length,
    normalizations: normalized.reduce((n, x) => n + x.changes.length, 0),
  };
}

/** True when the store holds no journal yet: a first start. */
export function isEmpty(db: Db): boolean {
  return db.prepare<[], number>('SELECT count(*) FROM journal').pluck().get() === 0;
}
