/**
 * The benchmark's headline figures set beside those of an earlier report (`--compare`), and the
 * column layout both of its tables share.
 */
import fs from 'node:fs';

/** A headline figure: where the report keeps it, and which way is better. */
interface Headline {
  label: string;
  path: string;
  better: 'higher' | 'lower';
}

const HEADLINES: readonly Headline[] = [
  { label: 'import (in-process), records/s', path: 'import.recordsPerSecond', better: 'higher' },
  { label: 'CLI import, seconds per file (mean)', path: 'cliImport.files.meanSeconds', better: 'lower' },
  { label: 'CLI import of files, records/s', path: 'cliImport.files.recordsPerSecond', better: 'higher' },
  { label: 'CLI import of one large file, records/s', path: 'cliImport.large.recordsPerSecond', better: 'higher' },
  { label: 'CLI import of one large file, peak RSS MiB', path: 'cliImport.large.peakRssMiB', better: 'lower' },
  { label: 'bytes per record', path: 'storage.bytesPerRecord', better: 'lower' },
  { label: 'ListRecords, records/s', path: 'listRecords.recordsPerSecond', better: 'higher' },
  { label: 'ListRecords gzip, records/s', path: 'listRecordsGzip.recordsPerSecond', better: 'higher' },
  { label: 'gzip / plain', path: 'listRecordsGzip.ofPlain', better: 'higher' },
  { label: 'ListIdentifiers, identifiers/s', path: 'listIdentifiers.identifiersPerSecond', better: 'higher' },
  { label: 'GetRecord c=1, req/s', path: 'getRecord.c1.requestsPerSecond', better: 'higher' },
  { label: 'GetRecord c=1, p99 ms', path: 'getRecord.c1.p99', better: 'lower' },
  { label: 'GetRecord c=16, req/s', path: 'getRecord.c16.requestsPerSecond', better: 'higher' },
  { label: 'GetRecord c=16, p99 ms', path: 'getRecord.c16.p99', better: 'lower' },
  { label: 'mid-list page c=1, req/s', path: 'midListPage.c1.requestsPerSecond', better: 'higher' },
  { label: 'mid-list page c=16, req/s', path: 'midListPage.c16.requestsPerSecond', better: 'higher' },
  { label: 'mid-list page c=16, p99 ms', path: 'midListPage.c16.p99', better: 'lower' },
  { label: 'metadata document c=16, req/s', path: 'metadataDocument.c16.requestsPerSecond', better: 'higher' },
  { label: 'server peak RSS MiB', path: 'serverRssMiB.peak', better: 'lower' },
];

/** The number at a dotted path of a report, or null when an older report does not have it. */
function numberAt(report: unknown, dotted: string): number | null {
  let at: unknown = report;
  for (const key of dotted.split('.')) {
    if (typeof at !== 'object' || at === null) return null;
    at = (at as Record<string, unknown>)[key];
  }
  return typeof at === 'number' && Number.isFinite(at) ? at : null;
}

/** An earlier report, read before the run so that `--save` may overwrite the same file. */
export interface Previous {
  file: string;
  report: unknown;
}

/** Reads an earlier report; a file that is not a report's JSON is refused before the run starts. */
export function readPrevious(file: string): Previous {
  const report: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (typeof report !== 'object' || report === null || Array.isArray(report)) throw new Error(`${file} is not a benchmark report`);
  return { file, report };
}

/** What the earlier report says of itself, for the comparison's heading. */
export function describePrevious(previous: Previous): string {
  const report = previous.report as Record<string, unknown>;
  const date = typeof report['date'] === 'string' ? report['date'] : 'undated';
  const records = numberAt(report, 'records');
  return `${date}${records === null ? '' : `, ${records} records`}`;
}

/** The comparison table's rows: figure, previous, now, now / previous, which way is better. */
export function comparisonRows(previous: Previous, current: unknown): string[][] {
  const show = (x: number | null) => (x === null ? '—' : String(x));
  return [
    ['', 'previous', 'now', 'now / previous', ''],
    ...HEADLINES.map(({ label, path, better }) => {
      const before = numberAt(previous.report, path);
      const now = numberAt(current, path);
      const ratio = before === null || now === null || before === 0 ? '—' : `${(now / before).toFixed(2)}×`;
      return [label, show(before), show(now), ratio, `${better} is better`];
    }),
  ];
}

/**
 * Rows as aligned columns. Each column is as wide as its widest cell among the rows that have a
 * cell after it, so that a long last value does not push other rows' columns apart; a cell longer
 * than `maxWidth` does not count either, and is followed by two spaces alone.
 */
export function columns(rows: readonly string[][], maxWidth = Infinity): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      if (i < row.length - 1 && cell.length <= maxWidth) widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows.map((row) =>
    row
      .map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i] ?? 0) : cell))
      .join('  ')
      .trimEnd(),
  );
}
