import { FORMATS } from '../formats/registry.js';
import { COAR_ACCESS_RIGHTS } from '../formats/shared.js';
import { renderFragments } from './formats.js';
import { nextDatestamp } from './import.js';
import type { Db } from './open.js';

/** COAR access-right URIs, by the words admins use. */
export const ACCESS_RIGHTS: Readonly<Record<string, string>> = Object.fromEntries(COAR_ACCESS_RIGHTS.map((r) => [r.word, r.uri]));

/** The journal facts an admin can set, their columns, and whether metadata carries them. */
export const JOURNAL_FIELDS: Readonly<Record<string, { column: string; rendered: boolean; check?: RegExp }>> = {
  'name-fa': { column: 'name_fa', rendered: true },
  'name-en': { column: 'name_en', rendered: true },
  'publisher-fa': { column: 'publisher_fa', rendered: true },
  'publisher-en': { column: 'publisher_en', rendered: true },
  'issn-print': { column: 'issn_print', rendered: true, check: /^\d{4}-\d{3}[\dX]$/ },
  'issn-online': { column: 'issn_online', rendered: true, check: /^\d{4}-\d{3}[\dX]$/ },
  website: { column: 'website', rendered: false, check: /^https?:\/\/\S+$/ },
  // Only the four COAR concepts: OpenAIRE accepts nothing else.
  'access-rights': { column: 'access_rights', rendered: true, check: new RegExp(`^(${COAR_ACCESS_RIGHTS.map((r) => r.uri.replaceAll('.', '\\.')).join('|')})$`) },
  license: { column: 'license', rendered: true, check: /^https?:\/\/\S+$/ },
};

/**
 * Sets one journal fact. When metadata carries it, every live record changed, so each gets a new
 * datestamp; format availability and the `openaire` set follow. Returns how many were re-stamped,
 * or null when the value was already stored.
 */
export function setJournalField(db: Db, field: string, value: string | null, now: Date): number | null {
  const spec = JOURNAL_FIELDS[field];
  if (!spec) throw new Error(`unknown journal field ${field}`);
  return db.transaction(() => {
    const current = db.prepare<[], string | null>(`SELECT ${spec.column} FROM journal`).pluck().get() ?? null;
    if (current === value) return null;
    db.prepare(`UPDATE journal SET ${spec.column} = ?`).run(value);
    let restamped = 0;
    if (spec.rendered) {
      const rows = db.prepare<[], { id: number; datestamp: string }>('SELECT id, datestamp FROM article WHERE deleted = 0').all();
      const update = db.prepare('UPDATE article SET datestamp = ? WHERE id = ?');
      for (const r of rows) update.run(nextDatestamp(now, r.datestamp), r.id);
      restamped = rows.length;
    }
    renderFragments(db, FORMATS.values());
    return restamped;
  })();
}
