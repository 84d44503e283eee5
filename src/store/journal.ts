import { FORMATS } from '../formats/registry.js';
import { COAR_ACCESS_RIGHTS } from '../formats/shared.js';
import { renderFragments } from './formats.js';
import { nextDatestamp } from './import.js';
import type { Db } from './open.js';
import { syncJournalSets } from './write.js';

/** COAR access-right URIs, by the words admins use. */
export const ACCESS_RIGHTS: Readonly<Record<string, string>> = Object.fromEntries(COAR_ACCESS_RIGHTS.map((r) => [r.word, r.uri]));

/** True for an ISSN whose check digit is right (ISO 3297: weights 8 to 2, modulo 11, X for 10). */
export function validIssn(issn: string): boolean {
  const m = /^(\d{4})-(\d{3})([\dX])$/.exec(issn);
  if (!m) return false;
  const digits = `${m[1] ?? ''}${m[2] ?? ''}`;
  const sum = [...digits].reduce((acc, d, i) => acc + Number(d) * (8 - i), 0);
  const check = (11 - (sum % 11)) % 11;
  return m[3] === (check === 10 ? 'X' : String(check));
}

const ISSN = { test: validIssn };

/** The journal facts an admin can set, their columns, and whether metadata carries them. */
export const JOURNAL_FIELDS: Readonly<Record<string, { column: string; rendered: boolean; check?: { test(value: string): boolean } }>> = {
  'name-fa': { column: 'name_fa', rendered: true },
  'name-en': { column: 'name_en', rendered: true },
  'publisher-fa': { column: 'publisher_fa', rendered: true },
  'publisher-en': { column: 'publisher_en', rendered: true },
  'issn-print': { column: 'issn_print', rendered: true, check: ISSN },
  'issn-online': { column: 'issn_online', rendered: true, check: ISSN },
  website: { column: 'website', rendered: false, check: /^https?:\/\/\S+$/ },
  // Only the four COAR concepts: OpenAIRE accepts nothing else.
  'access-rights': { column: 'access_rights', rendered: true, check: new RegExp(`^(${COAR_ACCESS_RIGHTS.map((r) => r.uri.replaceAll('.', '\\.')).join('|')})$`) },
  license: { column: 'license', rendered: true, check: /^https?:\/\/\S+$/ },
};

/**
 * Sets one fact of one journal. When metadata carries it, every live record of that journal
 * changed, so each gets a new datestamp, and no other journal's record does; format availability,
 * the `openaire` set and the names of the journal's sets follow. Returns how many were re-stamped,
 * or null when the value was already stored.
 */
export function setJournalField(db: Db, code: string, field: string, value: string | null, now: Date): number | null {
  const spec = JOURNAL_FIELDS[field];
  if (!spec) throw new Error(`unknown journal field ${field}`);
  return db.transaction(() => {
    const journal = db.prepare<[string], { id: number; value: string | null }>(`SELECT id, ${spec.column} AS value FROM journal WHERE code = ?`).get(code);
    if (!journal) throw new Error(`no journal ${code}`);
    if (journal.value === value) return null;
    db.prepare(`UPDATE journal SET ${spec.column} = ? WHERE id = ?`).run(value, journal.id);
    // The sets are named after the journal; their members do not change.
    if (spec.column === 'name_fa' || spec.column === 'name_en') syncJournalSets(db, journal.id, { members: false });
    if (!spec.rendered) return 0;
    const rows = db
      .prepare<[number], { id: number; local_id: string; datestamp: string }>(
        'SELECT a.id, a.local_id, a.datestamp FROM article a JOIN issue i ON i.id = a.issue_id WHERE i.journal_id = ? AND a.deleted = 0',
      )
      .all(journal.id);
    const update = db.prepare('UPDATE article SET datestamp = ? WHERE id = ?');
    for (const r of rows) update.run(nextDatestamp(now, r.datestamp), r.id);
    renderFragments(db, FORMATS.values(), rows.map((r) => r.local_id));
    return rows.length;
  })();
}
