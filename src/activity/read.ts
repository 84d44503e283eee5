import type { Db } from '../store/open.js';
import { dayOf } from './days.js';
import { EVENT_COUNTS, EVENT_TOTALS } from './fold.js';

/** A harvester, as every activity file names it: so that several files' rows can be merged. */
export interface HarvesterKey {
  userAgent: string;
  network: string;
}

/** Request counts: all `/oai` requests, what whole answers sent, and what went wrong. */
export interface RequestTotals {
  requests: number;
  /** Records sent whole, by ListRecords and GetRecord. */
  records: number;
  /** Headers sent whole, by ListIdentifiers. */
  headers: number;
  /** Answers that were OAI errors. */
  oaiErrors: number;
  /** 503s: the client went over its flow-control limits. */
  busy: number;
  /** The client closed the connection before the answer was whole. */
  broken: number;
}

/** One harvester's requests on one day. */
export interface DayRow extends HarvesterKey, RequestTotals {
  day: string;
}

/** One harvester's requests by OAI error code, metadata format or set. */
export interface CountRow extends HarvesterKey {
  kind: 'error' | 'format' | 'set';
  value: string;
  n: number;
}

/** One harvest as one file saw it: a whole list, or the pages of it this server answered. */
export interface HarvestPiece extends HarvesterKey {
  verb: string;
  prefix: string | null;
  set: string | null;
  from: string | null;
  until: string | null;
  startedAt: number;
  lastAt: number;
  pages: number;
  items: number;
  completeListSize: number | null;
  /** Set when this file first saw the list mid-way: the key of the token it came with. */
  firstToken: string | null;
  /** The key of the token to follow; null once the list ended. */
  nextToken: string | null;
  nextExpires: number | null;
  finishedAt: number | null;
}

/** When a harvester was first and last seen. */
export interface SeenRow extends HarvesterKey {
  firstSeen: number;
  lastSeen: number;
}

/** Everything a report needs from one activity file, as plain rows. */
export interface ActivityData {
  days: DayRow[];
  counts: CountRow[];
  harvests: HarvestPiece[];
  harvesters: SeenRow[];
}

// Far ahead: the report reads every raw event, folded or not yet.
const ALL_EVENTS = Number.MAX_SAFE_INTEGER;

/** Reads the rows of the days from `since` (milliseconds, a day's midnight) on, raw events and aggregates alike. */
export function readActivity(db: Db, since: number): ActivityData {
  const params = { before: ALL_EVENTS, day: dayOf(since), since };
  const days = db
    .prepare(
      `SELECT h.user_agent AS userAgent, h.network, t.day, sum(t.requests) AS requests, sum(t.records) AS records,
              sum(t.headers) AS headers, sum(t.oai_errors) AS oaiErrors, sum(t.busy) AS busy, sum(t.broken) AS broken
       FROM (SELECT day, harvester_id, requests, records, headers, oai_errors, busy, broken FROM daily
             UNION ALL SELECT * FROM (${EVENT_TOTALS})) AS t
       JOIN harvester AS h ON h.id = t.harvester_id
       WHERE t.day >= @day GROUP BY t.harvester_id, t.day ORDER BY t.day`,
    )
    .all(params) as DayRow[];
  const counts = db
    .prepare(
      `SELECT h.user_agent AS userAgent, h.network, c.kind, c.value, sum(c.n) AS n
       FROM (SELECT day, harvester_id, kind, value, n FROM daily_count UNION ALL SELECT * FROM (${EVENT_COUNTS})) AS c
       JOIN harvester AS h ON h.id = c.harvester_id
       WHERE c.day >= @day GROUP BY c.harvester_id, c.kind, c.value`,
    )
    .all(params) as CountRow[];
  const harvests = db
    .prepare(
      `SELECT h.user_agent AS userAgent, h.network, v.verb, v.prefix, v.set_spec AS "set", v.from_arg AS "from", v.until_arg AS "until",
              v.started_at AS startedAt, v.last_at AS lastAt, v.pages, v.items, v.complete_list_size AS completeListSize,
              v.first_token AS firstToken, v.next_token AS nextToken, v.next_expires AS nextExpires, v.finished_at AS finishedAt
       FROM harvest AS v JOIN harvester AS h ON h.id = v.harvester_id
       WHERE v.last_at >= @since ORDER BY v.started_at, v.id`,
    )
    .all(params) as HarvestPiece[];
  const harvesters = db
    .prepare('SELECT user_agent AS userAgent, network, first_seen AS firstSeen, last_seen AS lastSeen FROM harvester WHERE last_seen >= @since')
    .all(params) as SeenRow[];
  return { days, counts, harvests, harvesters };
}
