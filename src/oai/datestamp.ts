/** The two granularities of §3.3: day is mandatory, seconds is what this repository declares. */
export type Granularity = 'day' | 'second';

/** A parsed `from` or `until` value. */
export interface DatestampArg {
  raw: string;
  granularity: Granularity;
  /** The first second the value covers, `YYYY-MM-DDThh:mm:ssZ`. */
  lower: string;
  /** The last second the value covers: `until=2024-05-01` covers that whole day. */
  upper: string;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const SECOND = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

function validDate(y: number, m: number, d: number): boolean {
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  // Day 0 of the next month is the last day of this one; Date.UTC copes with leap years.
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Parses a protocol datestamp; null for anything but the two legal UTC forms of a real date. */
export function parseDatestamp(raw: string): DatestampArg | null {
  const day = DAY.exec(raw);
  if (day) {
    const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
    if (!validDate(y, m, d)) return null;
    return { raw, granularity: 'day', lower: `${raw}T00:00:00Z`, upper: `${raw}T23:59:59Z` };
  }
  const sec = SECOND.exec(raw);
  if (sec) {
    const [y, m, d, hh, mm, ss] = sec.slice(1).map(Number) as [number, number, number, number, number, number];
    if (!validDate(y, m, d) || hh > 23 || mm > 59 || ss > 59) return null;
    return { raw, granularity: 'second', lower: raw, upper: raw };
  }
  return null;
}

/** Formats an instant as `YYYY-MM-DDThh:mm:ssZ`, dropping fractions of a second. */
export function formatDatestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The datestamp one second before the given one. */
export function secondBefore(datestamp: string): string {
  return formatDatestamp(new Date(Date.parse(datestamp) - 1000));
}
