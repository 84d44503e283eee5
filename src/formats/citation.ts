import type { ArticleRecord, Lang } from '../model.js';

/**
 * The journal, issue and pages as a one-line citation in the given language. The Solar Hijri
 * season is display text, which is where it belongs; the Gregorian year follows in English.
 * Returns null when the journal has no name to cite.
 */
export function issueCitation(record: ArticleRecord, lang: Lang): string | null {
  const { journal, issue } = record;
  const pages = `${record.pageStart}-${record.pageEnd}`;
  if (lang === 'fa') {
    if (!journal.nameFa) return null;
    const parts = [journal.nameFa];
    if (issue.volume !== null) parts.push(`دوره ${issue.volume}`);
    const season = issue.seasonFa && issue.yearSolar ? ` (${issue.seasonFa} ${issue.yearSolar})` : '';
    parts.push(`پیاپی ${issue.number}${season}`, `صفحات ${pages}`);
    return parts.join('، ');
  }
  // No source gives the journal's English name; cite it by its Persian one rather than invent one.
  const name = journal.nameEn ?? journal.nameFa;
  if (!name) return null;
  const parts = [name];
  if (issue.volume !== null) parts.push(`vol. ${issue.volume}`);
  const when = [
    issue.seasonEn && issue.yearSolar ? `${issue.seasonEn} ${issue.yearSolar} SH` : null,
    issue.datePublished?.slice(0, 4) ?? null,
  ].filter((p): p is string => p !== null);
  parts.push(`no. ${issue.number}${when.length > 0 ? ` (${when.join(', ')})` : ''}`, `pp. ${pages}`);
  return parts.join(', ');
}

/** The article's landing page on this server: what dc:identifier points to. */
export function landingPageUrl(publicUrl: string, localId: string): string {
  return `${publicUrl}/articles/${encodeURIComponent(localId)}`;
}
