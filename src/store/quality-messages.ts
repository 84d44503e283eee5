/**
 * What each finding of the data-quality check says, in English: the command line prints these,
 * and the pages' English catalogue uses them as they are (the Persian one has its own).
 */
export const QUALITY_MESSAGES = {
  noTitle: () => 'no title',
  noAbstract: () => 'no abstract',
  noKeywords: () => 'no keywords',
  arabicLetters: (p: { excerpt: string }) => `Arabic letters (ي ك ى) where Persian writes ی and ک: «${p.excerpt}»`,
  latinInPersian: (p: { excerpt: string }) => `Latin letters in Persian text: «${p.excerpt}»`,
  arabicInEnglish: (p: { excerpt: string }) => `Arabic-script letters in English text: «${p.excerpt}»`,
  emptyKeyword: () => 'an empty keyword',
  keywordTwice: (p: { keyword: string }) => `keyword «${p.keyword}» appears twice`,
  noPersianName: () => 'no Persian name',
  noEnglishName: () => 'no English name',
  noPages: () => 'no pages: the source does not print them',
  pagesOverlap: (p: { pages: string; other: string; otherPages: string; issue: string }) => `pages ${p.pages} overlap ${p.other} (${p.otherPages}) in issue ${p.issue}`,
};

/** The kinds of finding. */
export type FindingCode = keyof typeof QUALITY_MESSAGES;

/** A finding's kind with the values its message names. */
export type FindingText = {
  [C in FindingCode]: { code: C; params: Parameters<(typeof QUALITY_MESSAGES)[C]>[0] extends undefined ? Record<string, never> : Parameters<(typeof QUALITY_MESSAGES)[C]>[0] };
}[FindingCode];

/** The English message of a finding. */
export function findingMessage(text: FindingText): string {
  return (QUALITY_MESSAGES[text.code] as (p: FindingText['params']) => string)(text.params);
}
