/** Errors raised while reading source documents into the store. */

/** Base class of every ingest failure, so callers can catch them apart from programming errors. */
export class IngestError extends Error {
  override name = 'IngestError';
}

/**
 * A problem at a known place of an input file. The message reads
 * `<source>:<line>: <field>: <detail>`, e.g. `issue-58-toc.txt:14: pages: cannot read page range "7-x"`.
 */
export class LocatedError extends IngestError {
  override name = 'LocatedError';
  /** Name of the document (file name or label). */
  readonly source: string;
  /** 1-based line number the problem was found on; 0 when it concerns the whole file. */
  readonly line: number;
  /** The field that could not be read, e.g. `pages`, `keywords`, `articleCount`. */
  readonly field: string;
  /** What went wrong, without the location prefix. */
  readonly detail: string;

  constructor(source: string, line: number, field: string, detail: string) {
    super(`${source}${line > 0 ? `:${line}` : ''}: ${field}: ${detail}`);
    this.source = source;
    this.line = line;
    this.field = field;
    this.detail = detail;
  }
}

/** A table-of-contents document could not be read. */
export class TocParseError extends LocatedError {
  override name = 'TocParseError';
}

/** A JSON Lines file has a line that is not JSON, or breaks the schema. */
export class JsonlError extends LocatedError {
  override name = 'JsonlError';
}

/** A spreadsheet (CSV) file has a header or row that cannot be read; `field` names the column. */
export class CsvError extends LocatedError {
  override name = 'CsvError';
}

/** A file that is no document at all: empty, not UTF-8, or of no known format. */
export class SourceFormatError extends LocatedError {
  override name = 'SourceFormatError';
}

/** A document that reads well but contradicts the store (another journal, an unknown issue). */
export class ImportConflictError extends LocatedError {
  override name = 'ImportConflictError';
}

/** A JATS XML file that is not well-formed, or whose front matter cannot be read; `field` names the element. */
export class JatsError extends LocatedError {
  override name = 'JatsError';
}
