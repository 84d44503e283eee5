/**
 * Checks shared by the readers of the fields richer sources give (JSON Lines, sheets): the COAR
 * concepts by word or URI, and calendar dates.
 */
import { COAR_ACCESS_RIGHTS, COAR_RESOURCE_TYPES } from '../formats/shared.js';

/** The COAR URI that a word or URI names among the concepts given, or null. */
function coarUri(concepts: ReadonlyArray<{ word: string; uri: string }>, value: string): string | null {
  return concepts.find((c) => c.word === value || c.uri === value)?.uri ?? null;
}

/** A COAR access-right URI from `open`, `embargoed`, `restricted`, `metadata-only` or the URI itself. */
export function accessRightsUri(value: string): string | null {
  return coarUri(COAR_ACCESS_RIGHTS, value.trim());
}

/** A COAR resource-type URI from a word (`research-article`, `review-article`, …) or the URI itself. */
export function resourceTypeUri(value: string): string | null {
  return coarUri(COAR_RESOURCE_TYPES, value.trim());
}

/** What an access-rights or type value may be, for messages. */
export const ACCESS_RIGHTS_WORDS = COAR_ACCESS_RIGHTS.map((r) => r.word).join(', ');
export const RESOURCE_TYPE_WORDS = COAR_RESOURCE_TYPES.map((r) => r.word).join(', ');

/** True for a Gregorian `YYYY-MM-DD` that exists. */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}
