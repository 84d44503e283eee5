import type { Db } from '../store/open.js';
import { networkOf } from './address.js';
import { DAY_MS, dayOf } from './days.js';
import type { RequestEvent } from './event.js';
import { foldAndPrune } from './fold.js';
import type { ActivitySink } from './recorder.js';
import { tokenFacts, tokenKey } from './token.js';

const LIST_VERBS = new Set(['ListRecords', 'ListIdentifiers', 'ListSets']);
// Long enough for every real harvester's name; a longer header is someone's noise.
const USER_AGENT_LENGTH = 200;
// Harvester ids are remembered between batches; a flood of made-up User-Agents only empties the cache.
const CACHE_LIMIT = 10_000;

/** What a list's requests asked for, as its first request gave it. */
interface Asked {
  prefix: string | null;
  set: string | null;
}

interface HarvestRow {
  id: number;
  prefix: string | null;
  set: string | null;
}

/**
 * Writes batches of request events to an activity file, each batch in one transaction: the
 * events, who made them, and the harvests they start, continue or finish.
 */
export class ActivityWriter implements ActivitySink {
  readonly #db: Db;
  readonly #retentionDays: number;
  readonly #harvesters = new Map<string, number>();
  // The day of the last event: a batch's events share one, and formatting a date is not free.
  #day = { number: Number.NaN, text: '' };
  readonly #statements;

  constructor(db: Db, retentionDays: number) {
    this.#db = db;
    this.#retentionDays = retentionDays;
    this.#statements = {
      findHarvester: db.prepare<[string, string], number>('SELECT id FROM harvester WHERE user_agent = ? AND network = ?').pluck(),
      addHarvester: db.prepare<[string, string, number, number]>('INSERT INTO harvester (user_agent, network, first_seen, last_seen) VALUES (?, ?, ?, ?)'),
      seen: db.prepare<[number, number]>('UPDATE harvester SET last_seen = max(last_seen, ?) WHERE id = ?'),
      addEvent: db.prepare(
        `INSERT INTO event (at, day, harvester_id, verb, status, errors, records, headers, prefix, set_spec, broken)
         VALUES (@at, @day, @harvester, @verb, @status, @errors, @records, @headers, @prefix, @set, @broken)`,
      ),
      startHarvest: db.prepare(
        `INSERT INTO harvest (harvester_id, verb, prefix, set_spec, from_arg, until_arg, started_at, last_at, pages, items, complete_list_size, first_token, last_token, next_token, next_expires, finished_at)
         VALUES (@harvester, @verb, @prefix, @set, @from, @until, @at, @at, 1, @items, @size, @first, @first, @next, @expires, @finished)`,
      ),
      // The most recent chain waiting for this token; a token is issued once, but a harvester may
      // start the same list twice and get the very same pages.
      following: db.prepare<[string], HarvestRow>('SELECT id, prefix, set_spec AS "set" FROM harvest WHERE next_token = ? ORDER BY id DESC LIMIT 1'),
      repeating: db.prepare<[string], HarvestRow>('SELECT id, prefix, set_spec AS "set" FROM harvest WHERE last_token = ? ORDER BY id DESC LIMIT 1'),
      continueHarvest: db.prepare(
        `UPDATE harvest SET last_at = @at, pages = pages + 1, items = items + @items, last_token = @token,
           next_token = @next, next_expires = @expires, finished_at = @finished,
           complete_list_size = coalesce(@size, complete_list_size)
         WHERE id = @id`,
      ),
      repeatHarvest: db.prepare<[number, number]>('UPDATE harvest SET last_at = max(last_at, ?) WHERE id = ?'),
    };
  }

  /** Writes a batch in one transaction. */
  write(events: readonly RequestEvent[]): void {
    this.#db.transaction(() => {
      const seen = new Map<number, number>();
      for (const event of events) {
        const harvester = this.#harvester(event);
        seen.set(harvester, Math.max(seen.get(harvester) ?? 0, event.at));
        this.#writeEvent(event, harvester);
      }
      for (const [id, at] of seen) this.#statements.seen.run(at, id);
    })();
  }

  /** Folds events older than a day into the daily aggregates and prunes what the retention ends. */
  maintain(now: number): void {
    foldAndPrune(this.#db, now, this.#retentionDays);
    // Pruned harvesters' ids may be in the cache.
    this.#harvesters.clear();
  }

  #dayOf(at: number): string {
    const number = Math.floor(at / DAY_MS);
    if (number !== this.#day.number) this.#day = { number, text: dayOf(at) };
    return this.#day.text;
  }

  #harvester(event: RequestEvent): number {
    const agent = event.userAgent.slice(0, USER_AGENT_LENGTH);
    const network = networkOf(event.address);
    const key = `${network} ${agent}`;
    let id = this.#harvesters.get(key);
    if (id !== undefined) return id;
    id = this.#statements.findHarvester.get(agent, network) ?? Number(this.#statements.addHarvester.run(agent, network, event.at, event.at).lastInsertRowid);
    if (this.#harvesters.size >= CACHE_LIMIT) this.#harvesters.clear();
    this.#harvesters.set(key, id);
    return id;
  }

  #writeEvent(event: RequestEvent, harvester: number): void {
    // A broken answer or a HEAD sent no items; only a whole answer moves a harvest on.
    const delivered = !event.broken && !event.head;
    const items = delivered ? event.items : 0;
    const linked = delivered && event.verb !== null && LIST_VERBS.has(event.verb) ? this.#linkHarvest(event, harvester) : null;
    // A resumed list's format and set are its first request's: the harvest's, else the token's.
    const asked: Asked = linked ?? (event.tokenIn === null ? event : tokenFacts(event.tokenIn));
    this.#statements.addEvent.run({
      at: event.at,
      day: this.#dayOf(event.at),
      harvester,
      verb: event.verb,
      status: event.status,
      errors: event.errors === null ? null : JSON.stringify(event.errors),
      records: event.verb === 'ListRecords' || event.verb === 'GetRecord' ? items : 0,
      headers: event.verb === 'ListIdentifiers' ? items : 0,
      prefix: asked.prefix,
      set: asked.set,
      broken: event.broken ? 1 : 0,
    });
  }

  /**
   * A list request without a token starts a harvest; one with a token continues the harvest whose
   * last page issued it; an answer without a token, or with an empty one, finishes it. An
   * incremental harvest with nothing new (noRecordsMatch) is a harvest too, started and finished.
   * Returns what the harvest asked for, or null when the request is part of none.
   */
  #linkHarvest(event: RequestEvent, harvester: number): Asked | null {
    const errors = event.errors;
    const empty = errors !== null && errors.length === 1 && errors[0] === 'noRecordsMatch';
    if (errors !== null && !(empty && event.tokenIn === null)) return null;
    const next = event.tokenOut === null || event.tokenOut === '' ? null : tokenKey(event.tokenOut);
    const row = {
      at: event.at,
      items: event.items,
      next,
      expires: next === null || event.tokenExpires === null ? null : Date.parse(event.tokenExpires),
      finished: next === null ? event.at : null,
      size: event.completeListSize ?? (event.tokenOut === null ? event.items : null),
    };
    if (event.tokenIn === null) {
      this.#statements.startHarvest.run({ ...row, harvester, verb: event.verb, prefix: event.prefix, set: event.set, from: event.from, until: event.until, first: null });
      return event;
    }
    const token = tokenKey(event.tokenIn);
    const chain = this.#statements.following.get(token);
    if (chain !== undefined) {
      this.#statements.continueHarvest.run({ ...row, id: chain.id, token });
      return chain;
    }
    // The same page again (a harvester retrying after a failure on its side): not a new harvest.
    const repeat = this.#statements.repeating.get(token);
    if (repeat !== undefined) {
      this.#statements.repeatHarvest.run(event.at, repeat.id);
      return repeat;
    }
    // First seen mid-list: it began before recording did, or on another replica.
    const facts = tokenFacts(event.tokenIn);
    this.#statements.startHarvest.run({ ...row, harvester, verb: event.verb, ...facts, until: null, first: token });
    return facts;
  }
}
