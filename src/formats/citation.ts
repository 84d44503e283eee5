import type { ArticleRecord, Lang } from '../model.js';

/**
 * The number that names the issue in citations and structured metadata: its number within the
 * volume when a source states it (`vol. 11, no. 2`), else its serial number (`no. 58`).
 */
export function issueNumber(issue: ArticleRecord['issue']): number {
  return issue.numberInVolume ?? issue.number;
}

/**
 * The issue and pages in the given language, without the journal: `no. 58 (Summer 1401 SH, 2022),
 * pp. 7-37` or `پیاپی 58 (تابستان 1401)، صفحات 7-37`. The Solar Hijri season is display text,
 * which is where it belongs; the Gregorian year follows in English. Pages nobody knows are left out.
 */
export function issuePart(record: ArticleRecord, lang: Lang): string {
  const { issue, pageStart, pageEnd } = record;
  const single = pageStart !== null && pageStart === pageEnd;
  if (lang === 'fa') {
    const parts = issue.volume === null ? [] : [`دوره ${issue.volume}`];
    if (issue.numberInVolume !== null) parts.push(`شماره ${issue.numberInVolume}`);
    const season = issue.seasonFa && issue.yearSolar ? ` (${issue.seasonFa} ${issue.yearSolar})` : '';
    parts.push(`پیاپی ${issue.number}${season}`);
    if (pageStart !== null) parts.push(single ? `صفحه ${pageStart}` : `صفحات ${pageStart}-${pageEnd ?? pageStart}`);
    return parts.join('، ');
  }
  const parts = issue.volume === null ? [] : [`vol. ${issue.volume}`];
  const when = [
    issue.numberInVolume === null ? null : `serial no. ${issue.number}`,
    issue.seasonEn && issue.yearSolar ? `${issue.seasonEn} ${issue.yearSolar} SH` : null,
    issue.datePublished?.slice(0, 4) ?? null,
  ].filter((p): p is string => p !== null);
  parts.push(`no. ${issueNumber(issue)}${when.length > 0 ? ` (${when.join(', ')})` : ''}`);
  if (pageStart !== null) parts.push(single ? `p. ${pageStart}` : `pp. ${pageStart}-${pageEnd ?? pageStart}`);
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
