import { FramedText, PreparedText } from '../deflate/piece.js';
import { storedFragment, type FragmentColumns } from './list-sql.js';
import type { Db } from './open.js';
import type { StoredFragment } from './render-record.js';
import { tailOf } from './frame.js';

interface Head {
  text: string;
  prepared: PreparedText;
  tail: string;
}

/**
 * The shared heads of stored metadata (`fragment_head`), by id. A head is never changed or
 * deleted once written, so one read serves the process for good; an id not seen yet (written by
 * another process, an import beside the server) reloads the table. An instance that writes heads
 * serves one transaction: a rollback would take its new heads with it.
 */
export class FragmentHeads {
  private readonly byId = new Map<number, Head>();
  private readonly byText = new Map<string, number>();
  private readonly all;
  private readonly insert;

  constructor(db: Db) {
    this.all = db.prepare<[], { id: number; head: string }>('SELECT id, head FROM fragment_head');
    this.insert = db.prepare<[string], { id: number }>('INSERT INTO fragment_head (head) VALUES (?) RETURNING id');
  }

  private load(): void {
    for (const row of this.all.iterate()) if (!this.byId.has(row.id)) this.remember(row.id, row.head);
  }

  private remember(id: number, text: string): void {
    this.byId.set(id, { text, prepared: new PreparedText(text), tail: tailOf(text) });
    this.byText.set(text, id);
  }

  private head(id: number): Head {
    let head = this.byId.get(id);
    if (head === undefined) {
      this.load();
      head = this.byId.get(id);
      if (head === undefined) throw new Error(`stored metadata names head ${id}, which the store does not hold`);
    }
    return head;
  }

  /** The id of a head, written now if the store does not hold it yet. */
  idOf(text: string | null): number | null {
    if (text === null) return null;
    let id = this.byText.get(text);
    if (id !== undefined) return id;
    this.load();
    id = this.byText.get(text);
    if (id !== undefined) return id;
    id = (this.insert.get(text) as { id: number }).id;
    this.remember(id, text);
    return id;
  }

  /** A stored row as the text that goes out: its head, its body, its tail. */
  framed(row: FragmentColumns): FramedText {
    const body = storedFragment(row);
    if (row.head === null) return new FramedText(null, body, '');
    const head = this.head(row.head);
    return new FramedText(head.prepared, body, head.tail);
  }

  /** A stored row as the renderer compares it with what it renders. */
  stored(row: FragmentColumns): StoredFragment {
    return { head: row.head === null ? null : this.head(row.head).text, body: storedFragment(row) };
  }
}
