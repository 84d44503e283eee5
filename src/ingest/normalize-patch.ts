import { NO_DETAILS, type ArticleInput } from '../model.js';
import { normalizeArticle, type NormalizationChange } from '../text/normalize.js';
import type { ArticlePatch } from './patch.js';

/**
 * Normalizes the fields a patch gives, with the same rules as a whole article, and reports what
 * changed. Fields the patch leaves undefined stay undefined.
 */
export function normalizePatch(patch: ArticlePatch): { patch: ArticlePatch; changes: NormalizationChange[] } {
  const full: ArticleInput = {
    ...NO_DETAILS,
    ...(patch.funding === undefined ? {} : { funding: patch.funding }),
    pageStart: patch.pageStart,
    pageEnd: patch.pageEnd,
    doi: patch.doi ?? null,
    landingUrl: patch.landingUrl ?? null,
    titleFa: patch.titleFa ?? null,
    titleEn: patch.titleEn ?? null,
    abstractFa: patch.abstractFa ?? null,
    abstractEn: patch.abstractEn ?? null,
    keywordsFa: patch.keywordsFa ?? [],
    keywordsEn: patch.keywordsEn ?? [],
    authors: patch.authors ?? [],
  };
  const { article, changes } = normalizeArticle(full);
  const out: ArticlePatch = { ...patch };
  for (const key of ['doi', 'landingUrl', 'titleFa', 'titleEn', 'abstractFa', 'abstractEn', 'keywordsFa', 'keywordsEn', 'authors', 'funding'] as const) {
    if (patch[key] !== undefined) Object.assign(out, { [key]: article[key] });
  }
  return { patch: out, changes };
}
