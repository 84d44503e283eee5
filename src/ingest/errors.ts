/** Errors raised while reading source documents into the store. */

/** Base class of every ingest failure, so callers can catch them apart from programming errors. */
export class IngestError extends Error {
  override name = 'IngestError';
}

/**
 * A table-of-contents document could not be read. The message reads
 * `<source>:<line>: <field>: <detail>`, e.g. `issue-58-toc.txt:14: pages: cannot read page range "7-x"`.
 */
export class TocParseError extends IngestError {
  override name = 'TocParseError';
  /** Name of the document (file name or label). */
  readonly source: string;
  /** 1-based line number the problem was found on. */
  readonly line: number;
  /** The field that could not be read, e.g. `pages`, `keywords`, `articleCount`. */
  readonly field: string;
  /** What went wrong, without the location prefix. */
  readonly detail: string;

  constructor(source: string, line: number, field: string, detail: string) {
    super(`${source}:${line}: ${field}: ${detail}`);
    this.source = source;
    this.line = line;
    this.field = field;
    this.detail = detail;
  }
}
