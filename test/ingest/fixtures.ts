import { TocParseError } from '../../src/ingest/errors.js';
import { parseToc } from '../../src/ingest/toc-parser.js';

/**
 * The issue of the sample fixtures: serial 22, volume 11 number 2, a double issue of spring and
 * summer 1402, published 1402/06/31.
 */
export const ISSUE_22 = {
  number: 22,
  volume: 11,
  numberInVolume: 2,
  seasonFa: 'بهار و تابستان',
  seasonEn: 'Spring and Summer',
  yearSolar: 1402,
  dateSolar: '1402/06/31',
  datePublished: '2023-09-22',
} as const;

/** Lines of `text` replaced (`{ 8: '...' }`, 1-based) or removed (`null`). */
export function editLines(text: string | readonly string[], changes: Record<number, string | null>): string {
  const lines = typeof text === 'string' ? text.split('\n') : text;
  return lines
    .flatMap((line, i) => {
      const change = changes[i + 1];
      return change === undefined ? [line] : change === null ? [] : [change];
    })
    .join('\n');
}

/** The error of the given kind that `run` throws; fails the test when it throws nothing or something else. */
export function thrown<T extends Error>(run: () => unknown, kind: abstract new (...args: never[]) => T): T {
  try {
    run();
  } catch (error) {
    if (error instanceof kind) return error;
    throw error;
  }
  throw new Error(`expected a ${kind.name}`);
}

/** The TocParseError that parsing `text` throws. */
export function tocErrorOf(text: string, name: string): TocParseError {
  return thrown(() => parseToc(text, name), TocParseError);
}
