import fs from 'node:fs';
import path from 'node:path';
import type { TocArticle } from '../model.js';
import { parseCsv } from './csv.js';
import { SourceFormatError } from './errors.js';
import { parseJsonl } from './jsonl.js';
import type { ArticlePatch, ImportSource, IssueBatch } from './patch.js';
import { parseToc } from './toc-parser.js';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Decodes strict UTF-8; on failure, names the first line that is not UTF-8. */
function decode(bytes: Uint8Array, name: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    let start = 0;
    for (let line = 1; ; line++) {
      const end = bytes.indexOf(0x0a, start);
      const slice = bytes.subarray(start, end === -1 ? bytes.length : end);
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(slice);
      } catch {
        throw new SourceFormatError(name, line, 'encoding', 'the file is not UTF-8 text');
      }
      if (end === -1) throw new SourceFormatError(name, line, 'encoding', 'the file is not UTF-8 text');
      start = end + 1;
    }
  }
}

/** Which reader a file needs: by its extension, else by its first character. */
function detect(file: string, text: string): ImportSource['format'] | null {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.csv') return 'csv';
  if (ext === '.txt' || ext === '.toc') return 'toc';
  const first = text.trimStart()[0];
  if (first === '{') return 'jsonl';
  if (/^\s*\|\s*$/m.test(text)) return 'toc';
  return null;
}

/** A table-of-contents article as a patch: what the document does not print stays undefined. */
function tocPatch(article: TocArticle, name: string): ArticlePatch {
  const { titleFa, titleEn, doi: _doi, landingUrl: _landingUrl, ...rest } = article;
  const patch: ArticlePatch = { ...rest };
  if (titleFa !== null) Object.assign(patch, { titleFa, titleSourceFa: name });
  if (titleEn !== null) Object.assign(patch, { titleEn, titleSourceEn: name });
  return patch;
}

/** Reads a source text of a known format. */
export function parseSource(text: string, name: string, format: ImportSource['format']): ImportSource {
  if (format === 'jsonl') return { name, format, batches: parseJsonl(text, name) };
  if (format === 'csv') return { name, format, batches: parseCsv(text, name) };
  const doc = parseToc(text, name);
  const batch: IssueBatch = {
    issue: { ...doc.issue, line: doc.lines.issue },
    journalNameFa: doc.journalNameFa,
    journalLine: doc.lines.journal,
    articles: doc.articles.map((a) => tocPatch(a, name)),
    complete: true,
  };
  return { name, format, batches: [batch] };
}

/**
 * Reads an import file: strict UTF-8, a known format, every line checked. Throws a LocatedError
 * naming the file, line and field of the first problem.
 */
export function readSource(file: string): ImportSource {
  const name = path.basename(file);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    throw new SourceFormatError(name, 0, 'file', `cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const text = decode(bytes, name).replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new SourceFormatError(name, 1, 'file', 'the file is empty');
  const format = detect(file, text);
  if (format === null) {
    throw new SourceFormatError(name, 1, 'format', 'unknown format: expected a table of contents (.txt), a spreadsheet (.csv) or JSON Lines (.jsonl)');
  }
  return parseSource(text, name, format);
}
