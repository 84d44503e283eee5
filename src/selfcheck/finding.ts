/** How a check came out: fine, worth fixing, or a fault validators and harvesters trip over. */
export type Status = 'pass' | 'warning' | 'fail';

/** One result of the self-check. */
export interface Finding {
  /** A stable key, e.g. `baseURL`, `schema:Identify`, `format:mods`, `harvest:ListRecords`. */
  check: string;
  status: Status;
  /** What was found, in one sentence. */
  message: string;
  /** How to fix it, in one sentence; null when it passed. */
  fix: string | null;
}

/** A passing finding. */
export function pass(check: string, message: string): Finding {
  return { check, status: 'pass', message, fix: null };
}

/** A warning, with how to fix it. */
export function warning(check: string, message: string, fix: string): Finding {
  return { check, status: 'warning', message, fix };
}

/** A failure, with how to fix it. */
export function fail(check: string, message: string, fix: string): Finding {
  return { check, status: 'fail', message, fix };
}

/** The whole self-check: what was asked, when, and every finding in order. */
export interface SelfCheckReport {
  /** The OAI base URL the checks were run against. */
  url: string;
  startedAt: string;
  durationMs: number;
  counts: Record<Status, number>;
  findings: Finding[];
}

/** How many findings have each status. */
export function countFindings(findings: readonly Finding[]): Record<Status, number> {
  const counts: Record<Status, number> = { pass: 0, warning: 0, fail: 0 };
  for (const f of findings) counts[f.status] += 1;
  return counts;
}

/** A text cut to `max` characters, for messages that quote a server's answer. */
export function clip(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
