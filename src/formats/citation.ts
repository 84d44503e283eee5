import type { ArticleRecord, Lang } from '../model.js';

/**
 * The issue and pages in the given language, without the journal: `no. 58 (Summer 1401 SH, 2022),
 * pp. 7-37` or `پیاپی 58 (تابستان 1401)، صفحات 7-37`. The Solar Hijri season is display text,
 * which is where it belongs; the Gregorian year follows in English.
 */
export function issuePart(record: ArticleRecord, lang: Lang): string {
  const { issue } = record;
  const pages = `${record.pageStart}-${record.pageEnd}`;
  if (lang === 'fa') {
    const parts = issue.volume === null ? [] : [`دوره ${issue.volume}`];
    const season = issue.seasonFa && issue.yearSolar ? ` (${issue.seasonFa} ${issue.yearSolar})` : '';
    parts.push(`پیاپی ${issue.number}${season}`, `صفحات ${pages}`);
    return parts.join('، ');
  }
  const parts = issue.volume === null ? [] : [`vol. ${issue.volume}`];
  const when = [
    issue.seasonEn && issue.yearSolar ? `${issue.seasonEn} ${issue.yearSolar} SH` : null,
    issue.datePublished?.slice(0, 4) ?? null,
  ].filter((p): p is string => p !== null);
  parts.push(`no. ${issue.number}${when.length > 0 ? ` (${when.join(', ')})` : ''}`, `pp. ${pages}`);
  return parts.join(', ');
}

/**
 * The journal, issue and pages as a one-line citation in the given language. Returns null when
 * the journal has no name to cite.
 */
export function issueCitation(record: ArticleRecord, lang: Lang): string | null {
  const { journal } = record;
  // No source gives the journal's English name; cite it by its Persian one rather than invent one.
  const name = lang === 'fa' ? journal.nameFa : (journal.nameEn ?? journal.nameFa);
  if (!name) return null;
  return `${name}${lang === 'fa' ? '، ' : ', '}${issuePart(record, lang)}`;
}

/** The article's landing page on this server: what dc:identifier points to. */
export function landingPageUrl(publicUrl: string, localId: string): string {
  return `${publicUrl}/articles/${encodeURIComponent(localId)}`;
}

/**
 * A DOI as a link, the form DOI's handbook recommends (`https://doi.org/<doi>`), with every
 * character a URL cannot carry as it is (`#`, `?`, `%`, `<`, spaces…) percent-encoded.
 */
export function doiUrl(doi: string): string {
  return `https://doi.org/${doi.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/]/gu, (c) => encodeURIComponent(c))}`;
}
