import { lastDays, startOfDay } from './days.js';
import type { ActivityData, HarvesterKey, HarvestPiece, RequestTotals } from './read.js';

export type { RequestTotals } from './read.js';
import { stitchHarvests } from './stitch.js';

/** Where a harvest stands: its list ended; its last token was not followed in time; or neither yet. */
export type HarvestStatus = 'finished' | 'abandoned' | 'in progress';

/** One harvest: the chain of one list's pages. Times are ISO 8601, to the second. */
export interface HarvestSummary extends HarvesterKey {
  verb: string;
  metadataPrefix: string | null;
  set: string | null;
  from: string | null;
  until: string | null;
  /** Selective by date (`from`): only what changed since the last harvest. */
  incremental: boolean;
  startedAt: string;
  lastAt: string;
  finishedAt: string | null;
  pages: number;
  /** Records, headers or sets sent in its pages. */
  items: number;
  completeListSize: number | null;
  status: HarvestStatus;
  /** False when it was first seen mid-list: it began before recording did, or on a replica whose file was not read. */
  seenFromStart: boolean;
}

/** Harvests by outcome and kind. `started` is their number: finished, abandoned and in progress. */
export interface HarvestCounts {
  started: number;
  finished: number;
  abandoned: number;
  inProgress: number;
  incremental: number;
  full: number;
}

/** One harvester (a User-Agent from a network) over the report's days. */
export interface HarvesterActivity extends HarvesterKey, RequestTotals {
  firstSeen: string | null;
  lastSeen: string | null;
  errors: Array<{ code: string; count: number }>;
  formats: Array<{ prefix: string; requests: number }>;
  sets: Array<{ spec: string; requests: number }>;
  harvests: HarvestCounts;
  lastHarvest: HarvestSummary | null;
}

/** The activity report: what `/activity` shows and `admin activity` prints. Plain data. */
export interface ActivityReport {
  generatedAt: string;
  days: number;
  /** The first and last day covered, UTC. */
  from: string;
  to: string;
  /** How many activity files it reads (one per replica read together). */
  files: number;
  abandonedAfterSeconds: number;
  totals: RequestTotals & { harvests: HarvestCounts };
  /** Every day of the period, oldest first, including the quiet ones. */
  daily: Array<{ day: string; requests: number; records: number }>;
  /** Most recently seen first. */
  harvesters: HarvesterActivity[];
  /** The latest harvests, newest first. */
  recentHarvests: HarvestSummary[];
}

/** The period a report covers unless asked otherwise. */
export const DEFAULT_DAYS = 30;

/** How a report is made. */
export interface ReportOptions {
  now: number;
  days: number;
  /** An unfinished harvest idle this long is abandoned, as one whose token expired. */
  abandonedAfterSeconds: number;
  recentHarvests?: number;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const keyOf = (k: HarvesterKey) => `${k.network} ${k.userAgent}`;

/** The first day a report of `days` days ending `now` covers, as its midnight. */
export function reportSince(now: number, days: number): number {
  return startOfDay(lastDays(now, days)[0] ?? '');
}

function noHarvests(): HarvestCounts {
  return { started: 0, finished: 0, abandoned: 0, inProgress: 0, incremental: 0, full: 0 };
}

function noRequests(): RequestTotals {
  return { requests: 0, records: 0, headers: 0, oaiErrors: 0, busy: 0, broken: 0 };
}

function summary(piece: HarvestPiece, now: number, idleMs: number): HarvestSummary {
  const abandoned = (piece.nextExpires !== null && now > piece.nextExpires) || now - piece.lastAt > idleMs;
  return {
    userAgent: piece.userAgent,
    network: piece.network,
    verb: piece.verb,
    metadataPrefix: piece.prefix,
    set: piece.set,
    from: piece.from,
    until: piece.until,
    incremental: piece.from !== null,
    startedAt: iso(piece.startedAt),
    lastAt: iso(piece.lastAt),
    finishedAt: piece.finishedAt === null ? null : iso(piece.finishedAt),
    pages: piece.pages,
    items: piece.items,
    completeListSize: piece.completeListSize,
    status: piece.finishedAt !== null ? 'finished' : abandoned ? 'abandoned' : 'in progress',
    seenFromStart: piece.firstToken === null,
  };
}

function count(counts: HarvestCounts, harvest: HarvestSummary): void {
  counts.started++;
  if (harvest.status === 'finished') counts.finished++;
  else if (harvest.status === 'abandoned') counts.abandoned++;
  else counts.inProgress++;
  if (harvest.incremental) counts.incremental++;
  else counts.full++;
}

function add(into: RequestTotals, from: RequestTotals): void {
  into.requests += from.requests;
  into.records += from.records;
  into.headers += from.headers;
  into.oaiErrors += from.oaiErrors;
  into.busy += from.busy;
  into.broken += from.broken;
}

/**
 * The report over the `days` days ending `now`, from the rows of one or several activity files
 * (a primary's and its replicas'): their days add up, and harvests that went from one replica to
 * another are joined by their tokens.
 */
export function buildReport(sources: readonly ActivityData[], options: ReportOptions): ActivityReport {
  const { now, days } = options;
  const dayList = lastDays(now, days);
  const idleMs = options.abandonedAfterSeconds * 1000;
  const perDay = new Map(dayList.map((day) => [day, { day, requests: 0, records: 0 }]));
  const harvesters = new Map<string, HarvesterActivity & { counts: Map<string, { kind: string; value: string; n: number }> }>();
  const harvesterOf = (k: HarvesterKey) => {
    let h = harvesters.get(keyOf(k));
    if (h === undefined) {
      h = { userAgent: k.userAgent, network: k.network, firstSeen: null, lastSeen: null, ...noRequests(), errors: [], formats: [], sets: [], harvests: noHarvests(), lastHarvest: null, counts: new Map() };
      harvesters.set(keyOf(k), h);
    }
    return h;
  };
  const totals = { ...noRequests(), harvests: noHarvests() };
  for (const source of sources) {
    for (const row of source.days) {
      add(harvesterOf(row), row);
      add(totals, row);
      const day = perDay.get(row.day);
      if (day !== undefined) {
        day.requests += row.requests;
        day.records += row.records;
      }
    }
    for (const row of source.counts) {
      const counts = harvesterOf(row).counts;
      const key = `${row.kind} ${row.value}`;
      const known = counts.get(key);
      if (known === undefined) counts.set(key, { kind: row.kind, value: row.value, n: row.n });
      else known.n += row.n;
    }
    for (const row of source.harvesters) {
      const h = harvesterOf(row);
      h.firstSeen = h.firstSeen === null || iso(row.firstSeen) < h.firstSeen ? iso(row.firstSeen) : h.firstSeen;
      h.lastSeen = h.lastSeen === null || iso(row.lastSeen) > h.lastSeen ? iso(row.lastSeen) : h.lastSeen;
    }
  }
  const pieces = sources.flatMap((s) => s.harvests).sort((a, b) => a.startedAt - b.startedAt);
  const harvests = stitchHarvests(pieces).map((p) => summary(p, now, idleMs));
  for (const harvest of harvests) {
    const h = harvesterOf(harvest);
    count(h.harvests, harvest);
    count(totals.harvests, harvest);
    if (h.lastHarvest === null || harvest.startedAt >= h.lastHarvest.startedAt) h.lastHarvest = harvest;
  }
  const list = [...harvesters.values()].map(({ counts, ...h }): HarvesterActivity => {
    // Most asked first.
    const of = (kind: string) => [...counts.values()].filter((c) => c.kind === kind).sort((a, b) => b.n - a.n || a.value.localeCompare(b.value));
    return {
      ...h,
      errors: of('error').map((c) => ({ code: c.value, count: c.n })),
      formats: of('format').map((c) => ({ prefix: c.value, requests: c.n })),
      sets: of('set').map((c) => ({ spec: c.value, requests: c.n })),
    };
  });
  list.sort((a, b) => (b.lastSeen ?? '').localeCompare(a.lastSeen ?? '') || a.userAgent.localeCompare(b.userAgent));
  return {
    generatedAt: iso(now),
    days,
    from: dayList[0] ?? '',
    to: dayList.at(-1) ?? '',
    files: sources.length,
    abandonedAfterSeconds: options.abandonedAfterSeconds,
    totals,
    daily: [...perDay.values()],
    harvesters: list,
    // They are in the order they started: the latest are the last.
    recentHarvests: harvests.slice(-(options.recentHarvests ?? 20)).reverse(),
  };
}
