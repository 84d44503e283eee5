import fs from 'node:fs';
import path from 'node:path';
import type { TocArticle } from '../model.js';
import { parseCsv } from './csv.js';
import { SourceFormatError } from './errors.js';
import { parseJats, type JatsContext } from './jats.js';
import { parseJsonl } from './jsonl.js';
import { firstBadLine, readLineChunks } from './lines.js';
import type { ArticlePatch, ImportSource, IssueBatch, JsonlStream } from './patch.js';
import { parseToc } from './toc-parser.js';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Decodes strict UTF-8; on failure, names the first line that is not UTF-8. */
function decode(bytes: Uint8Array, name: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new SourceFormatError(name, firstBadLine(bytes).line + 1, 'encoding', 'the file is not UTF-8 text');
  }
}

/** Which reader a file needs by its extension, if it says. */
function byExtension(file: string): ImportSource['format'] | null {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.csv') return 'csv';
  if (ext === '.txt' || ext === '.toc') return 'toc';
  if (ext === '.xml') return 'jats';
  return null;
}

/** Which reader a file needs: by its extension, else by its first character. */
function detect(file: string, text: string): ImportSource['format'] | null {
  const known = byExtension(file);
  if (known !== null) return known;
  const first = text.trimStart()[0];
  if (first === '{') return 'jsonl';
  if (first === '<') return 'jats';
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

/** Reads a source text of a known format; a JATS file needs to know the repository's own identifiers. */
export function parseSource(text: string, name: string, format: ImportSource['format'], context: JatsContext = NO_CONTEXT): ImportSource {
  if (format === 'jats') return { name, format, batches: [parseJats(text, name, context)] };
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

/** Without the repository's context, no identifier is read as the repository's own. */
const NO_CONTEXT: JatsContext = { repositoryIdentifier: '', publicUrl: 'http://invalid' };

/** A file's text: strict UTF-8, without a byte order mark, not empty. */
function readText(file: string, name: string): string {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    throw new SourceFormatError(name, 0, 'file', `cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const text = decode(bytes, name).replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new SourceFormatError(name, 1, 'file', 'the file is empty');
  return text;
}

/**
 * Reads an import file, or a folder of JATS files (one article each, `*.xml`, in name order):
 * strict UTF-8, a known format, everything checked before anything is written. Throws a
 * LocatedError naming the file, line and field of the first problem.
 */
export function readSource(file: string, context: JatsContext = NO_CONTEXT): ImportSource {
  const name = path.basename(file);
  if (isDirectory(file)) return readFolder(file, name, context);
  const text = readText(file, name);
  const format = detect(file, text);
  if (format === null) {
    throw new SourceFormatError(name, 1, 'format', 'unknown format: expected a table of contents (.txt), a spreadsheet (.csv), JSON Lines (.jsonl) or JATS XML (.xml)');
  }
  return parseSource(text, name, format, context);
}

/**
 * An import file as the import command takes it: JSON Lines as a stream, read a chunk at a time
 * as it is imported, so that a file of any size takes little memory; anything else read whole,
 * as readSource reads it.
 */
export function openSource(file: string, context: JatsContext = NO_CONTEXT): ImportSource | JsonlStream {
  if (isDirectory(file)) return readSource(file, context);
  const format = byExtension(file) ?? (startsWithBrace(file) ? 'jsonl' : null);
  return format === 'jsonl' ? jsonlStream(file) : readSource(file, context);
}

/** A JSON Lines file as a stream of its lines. */
export function jsonlStream(file: string): JsonlStream {
  const name = path.basename(file);
  return {
    name,
    format: 'jsonl',
    chunks: (lines) => readLineChunks(file, name, lines),
    version: () => {
      const stat = statOf(file, name);
      return `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
    },
    bytes: () => statOf(file, name).size,
  };
}

function statOf(file: string, name: string): fs.Stats {
  try {
    return fs.statSync(file);
  } catch (error) {
    throw new SourceFormatError(name, 0, 'file', `cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

/** Whether a file's text starts with `{`, as detect tells JSON Lines without an extension; false when it cannot be read. */
function startsWithBrace(file: string): boolean {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const bytes = Buffer.alloc(64 * 1024);
      const read = fs.readSync(fd, bytes, 0, bytes.length, 0);
      return new TextDecoder('utf-8').decode(bytes.subarray(0, read)).trimStart().startsWith('{');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}

function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

function readFolder(dir: string, name: string, context: JatsContext): ImportSource {
  const files = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.xml'))
    .map((e) => e.name)
    .sort();
  if (files.length === 0) throw new SourceFormatError(name, 0, 'folder', 'holds no .xml files: a folder is read as JATS files, one article each');
  const batches = files.map((file) => parseJats(readText(path.join(dir, file), `${name}/${file}`), `${name}/${file}`, context));
  return { name, format: 'jats', batches };
}
