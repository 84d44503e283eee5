/** What a response was, for the findings: the verb (or `errors` for the error probes) and the format. */
export interface Collected {
  fileName: string;
  kind: string;
  /** The request's URL, for messages. */
  url: string;
  /** The metadataPrefix the request asked for; null when it asked for none. */
  prefix: string | null;
  xml: string;
  /** How many records with metadata it carries. */
  records: number;
}

/** How many responses of one kind and format are kept: a long harvest is checked page by page, and validated in part. */
const KEPT_PER_KIND = 12;

/**
 * The responses the checks received, kept for schema validation at the end, where each schema is
 * compiled once for all of them (JATS takes about ten seconds to compile).
 */
export class Documents {
  readonly all: Collected[] = [];
  private readonly counts = new Map<string, number>();

  /** Keeps a response, unless enough of its kind are kept already; `always` keeps it anyway (a list's last page). */
  add(kind: string, url: string, prefix: string | null, xml: string, records: number, always = false): void {
    const key = `${kind} ${prefix ?? ''}`;
    const count = this.counts.get(key) ?? 0;
    if (count >= KEPT_PER_KIND && !always) return;
    this.counts.set(key, count + 1);
    const safe = `${kind}-${prefix ?? 'none'}`.replace(/[^A-Za-z0-9_.-]/g, '_');
    this.all.push({ fileName: `${safe}-${this.all.length}.xml`, kind, url, prefix, xml, records });
  }
}
