import { validateXML } from 'xmllint-wasm';
import type { Collected, Documents } from './documents.js';
import { clip, fail, pass, warning, type Finding } from './finding.js';
import { BASE_SCHEMA, envelopeSchema, FORMAT_SCHEMAS, type FormatSchemas, type SchemaFile } from './schemas.js';

const OAI_DC_NS = 'http://www.openarchives.org/OAI/2.0/oai_dc/';
/** The order the verbs' findings are listed in; `errors` are the error probes' responses. */
export const KINDS = ['Identify', 'ListMetadataFormats', 'ListSets', 'ListIdentifiers', 'ListRecords', 'GetRecord', 'errors'] as const;
/** Room for libxml2 to compile JATS and hold a page of records: 1 GiB at most, taken as needed. */
const MAX_MEMORY_PAGES = 16384;
/** Validations at once: each is a worker thread, and JATS keeps one busy for about ten seconds. */
const PARALLEL = 2;

/** A file to validate, and the response it comes from. */
interface Job {
  schema: SchemaFile;
  /** Started first: JATS's schema alone takes about ten seconds to compile. */
  slow?: boolean;
  files: Array<{ fileName: string; contents: string; from: Collected }>;
}

/** Each file's first error, or null when it is valid. */
async function runJob(job: Job, schemas: readonly SchemaFile[]): Promise<Map<Collected, string>> {
  const failures = new Map<Collected, string>();
  if (job.files.length === 0) return failures;
  try {
    const result = await validateXML({
      xml: job.files.map(({ fileName, contents }) => ({ fileName, contents })),
      schema: [job.schema],
      preload: schemas.filter((s) => s.fileName !== job.schema.fileName),
      maxMemoryPages: MAX_MEMORY_PAGES,
    });
    if (result.valid) return failures;
    // OpenAIRE's circular import always prints a parser warning; it is no error in a document.
    const errors = result.errors.filter((e) => !/Schemas parser warning/.test(e.rawMessage));
    for (const file of job.files) {
      const first = errors.find((e) => e.loc?.fileName === file.fileName);
      if (first !== undefined) failures.set(file.from, failures.get(file.from) ?? first.message);
      else if (result.rawOutput.includes(`${file.fileName} fails to validate`)) failures.set(file.from, failures.get(file.from) ?? 'fails to validate');
    }
  } catch (error) {
    // The schema did not compile, or libxml2 ran out of memory: no document can be called valid.
    const message = `the schemas could not be used: ${clip(error instanceof Error ? error.message : String(error))}`;
    for (const file of job.files) failures.set(file.from, message);
  }
  return failures;
}

/** Runs jobs a few at a time, the longest first. */
async function runAll(jobs: Job[], schemas: readonly SchemaFile[]): Promise<Map<Collected, string>> {
  const queue = [...jobs.filter((j) => j.slow === true), ...jobs.filter((j) => j.slow !== true)];
  const failures = new Map<Collected, string>();
  const lane = async (): Promise<void> => {
    for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
      for (const [doc, message] of await runJob(job, schemas)) if (!failures.has(doc)) failures.set(doc, message);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, lane));
  return failures;
}

/** The `<metadata>` contents of a response, as documents of their own in the official form of the format. */
function contentFiles(doc: Collected, format: FormatSchemas): Job['files'] {
  const namespace = format.content?.namespace ?? '';
  return [...doc.xml.matchAll(/<metadata>([\s\S]*?)<\/metadata>/g)].map((m, i) => ({
    fileName: `${doc.fileName.replace(/\.xml$/, '')}-content-${i}.xml`,
    contents: `<?xml version="1.0" encoding="UTF-8"?>\n${(m[1] ?? '').replace(` xmlns="${namespace}"`, '')}`,
    from: doc,
  }));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function verdict(check: string, docs: Collected[], failures: Map<Collected, string>, what: string, fix: string): Finding {
  const failed = docs.filter((d) => failures.has(d));
  const first = failed[0];
  if (first === undefined) return pass(check, `${plural(docs.length, 'response')} valid against ${what}`);
  return fail(check, `${failed.length} of ${plural(docs.length, 'response')} not valid against ${what}; ${first.url}: ${clip(failures.get(first) ?? '', 300)}`, fix);
}

/**
 * Validates every kept response, each schema compiled once for all its documents: the verbs'
 * answers against OAI-PMH.xsd (with oai_dc), and each format's records against its own schemas.
 * `formats` maps the prefixes ListMetadataFormats gave to their namespaces, in its order.
 */
export async function validateDocuments(docs: Documents, formats: ReadonlyMap<string, string>, loadSchemas: () => SchemaFile[]): Promise<Finding[]> {
  let schemas: SchemaFile[];
  try {
    schemas = loadSchemas();
  } catch (error) {
    return [
      fail(
        'schemas',
        `the official schemas could not be read: ${clip(error instanceof Error ? error.message : String(error))}`,
        'Reinstall the package so that its test/schemas folder is present (the Docker image copies it).',
      ),
    ];
  }
  const formatOf = (doc: Collected): FormatSchemas | 'base' | null => {
    const namespace = doc.prefix === null ? undefined : formats.get(doc.prefix);
    if (namespace === undefined || namespace === OAI_DC_NS) return 'base';
    return FORMAT_SCHEMAS.get(namespace) ?? null;
  };
  const base = docs.all.filter((d) => formatOf(d) === 'base');
  const baseSchema = schemas.find((s) => s.fileName === BASE_SCHEMA) as SchemaFile;
  const jobs: Job[] = [{ schema: baseSchema, files: base.map((d) => ({ fileName: d.fileName, contents: d.xml, from: d })) }];
  for (const format of new Set(docs.all.map(formatOf))) {
    if (format === 'base' || format === null) continue;
    const mine = docs.all.filter((d) => formatOf(d) === format);
    jobs.push({ schema: envelopeSchema(format), files: mine.map((d) => ({ fileName: d.fileName, contents: d.xml, from: d })) });
    const content = format.content;
    if (content !== undefined) {
      const main = schemas.find((s) => s.fileName === content.location);
      if (main !== undefined) jobs.push({ schema: main, slow: true, files: mine.flatMap((d) => contentFiles(d, format)) });
    }
  }
  const failures = await runAll(jobs, schemas);

  const findings: Finding[] = [];
  for (const kind of KINDS) {
    const mine = base.filter((d) => d.kind === kind);
    if (mine.length === 0) continue;
    findings.push(
      verdict(
        `schema:${kind}`,
        mine,
        failures,
        'OAI-PMH.xsd',
        'Fix what writes this answer (the provider, or a proxy that rewrites it), so that it follows OAI-PMH.xsd.',
      ),
    );
  }
  for (const [prefix, namespace] of formats) {
    const format = namespace === OAI_DC_NS ? FORMAT_SCHEMAS.get(OAI_DC_NS) : FORMAT_SCHEMAS.get(namespace);
    const mine = docs.all.filter((d) => d.prefix === prefix && (d.kind === 'ListRecords' || d.kind === 'GetRecord'));
    const records = mine.reduce((n, d) => n + d.records, 0);
    if (format === undefined) {
      findings.push(warning(`format:${prefix}`, `no schema for ${prefix} (${namespace}) ships with the self-check, so its records were not validated`, `Validate ${prefix} records with its own schema some other way.`));
    } else if (records === 0) {
      findings.push(
        warning(`format:${prefix}`, `no record came in ${prefix}, so none was validated against ${format.label}`, `Give the records what ${prefix} requires, or stop listing it in ListMetadataFormats.`),
      );
    } else {
      const found = verdict(
        `format:${prefix}`,
        mine,
        failures,
        `OAI-PMH.xsd with ${format.label}`,
        `Correct the ${prefix} crosswalk in src/formats/, or the records it cannot write validly (npm run admin -- check lists what is missing).`,
      );
      findings.push(found.status === 'pass' ? { ...found, message: `${plural(records, 'record')} in ${found.message}` } : found);
    }
  }
  return findings;
}
