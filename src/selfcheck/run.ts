import { children } from '../ingest/xml-dom.js';
import { checkCompression } from './compression.js';
import { Documents } from './documents.js';
import { clip, countFindings, fail, pass, type Finding, type SelfCheckReport } from './finding.js';
import { harvestList } from './harvest.js';
import { checkAdminEmail, checkBaseUrl, checkRepositoryIdentifier, identifyFacts } from './identify.js';
import { checkLandingPages } from './landing-pages.js';
import { headerFacts, listItems, OaiClient, textIn, type HeaderFacts, type OaiArgs } from './oai-client.js';
import { checkProtocolErrors } from './protocol-errors.js';
import { checkRanges } from './ranges.js';
import { loadSchemaFiles, type SchemaFile } from './schemas.js';
import { validateDocuments } from './validate.js';

/** Each request's time limit unless the caller gives one. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** How the self-check runs. */
export interface SelfCheckOptions {
  /** Each HTTP request's time limit, in milliseconds. */
  timeoutMs?: number;
  /** Where the schemas come from; the package's own by default. */
  loadSchemas?: () => SchemaFile[];
}

const DC_NS = 'http://purl.org/dc/elements/1.1/';
const METADATA_PREFIX = 'metadataPrefix';

/** The `dc:identifier`s of a page of oai_dc records. */
function dcIdentifiers(items: ReturnType<typeof listItems>): string[] {
  return items.flatMap((record) => Array.from(record.getElementsByTagNameNS(DC_NS, 'identifier'), (e) => (e.textContent ?? '').trim()));
}

/** The checks in order, once Identify has answered. */
async function checks(baseUrl: string, client: OaiClient, docs: Documents, findings: Finding[], options: SelfCheckOptions): Promise<void> {
  const identifyAnswer = await client.get([['verb', 'Identify']]);
  const page = identifyAnswer.page;
  if (page === null || page.body?.localName !== 'Identify') {
    const why = identifyAnswer.problem ?? `it answered ${page?.errors.map((e) => e.code).join(', ') || 'something else'}`;
    findings.push(fail('endpoint', `${baseUrl} does not answer Identify: ${why}`, 'Give the OAI base URL harvesters use (PUBLIC_URL followed by /oai), and make sure the server or its proxy answers there.'));
    return;
  }
  docs.add('Identify', identifyAnswer.url, null, identifyAnswer.http?.body ?? '', 0);
  findings.push(pass('endpoint', `${baseUrl} answers Identify with HTTP 200 and XML (protocol ${textIn(page.body, 'protocolVersion')})`));
  const identify = identifyFacts(page);
  findings.push(checkBaseUrl(baseUrl, identify), checkAdminEmail(identify));
  const identifierIndex = findings.length;

  // Every response is kept for validation at the end; one that is no OAI answer at all is reported here.
  const fetchKept = async (kind: string, args: OaiArgs): Promise<void> => {
    const answer = await client.get(args);
    const prefix = args.find(([k]) => k === METADATA_PREFIX)?.[1] ?? null;
    if (answer.page === null) {
      findings.push(fail(`answer:${kind}${prefix === null ? '' : `:${prefix}`}`, `${answer.url}: ${answer.problem ?? 'no answer'}`, 'Make every verb answer with HTTP 200 and OAI-PMH XML, errors included.'));
      return;
    }
    // listItems gives GetRecord's one record too.
    const records = listItems(answer.page).filter((i) => i.localName === 'record' && children(i, 'metadata').length > 0).length;
    docs.add(kind, answer.url, prefix, answer.http?.body ?? '', records);
  };

  const formatsAnswer = await client.get([['verb', 'ListMetadataFormats']]);
  const formats = new Map<string, string>();
  if (formatsAnswer.page === null) {
    findings.push(fail('formats', `ListMetadataFormats: ${formatsAnswer.problem ?? 'no answer'}`, 'Make ListMetadataFormats answer with HTTP 200 and OAI-PMH XML.'));
  } else {
    docs.add('ListMetadataFormats', formatsAnswer.url, null, formatsAnswer.http?.body ?? '', 0);
    for (const format of formatsAnswer.page.body === undefined ? [] : children(formatsAnswer.page.body, 'metadataFormat')) {
      formats.set(textIn(format, METADATA_PREFIX), textIn(format, 'metadataNamespace'));
    }
    findings.push(
      formats.has('oai_dc')
        ? pass('formats', `ListMetadataFormats lists ${[...formats.keys()].join(', ')}`)
        : fail('formats', `ListMetadataFormats lists ${[...formats.keys()].join(', ') || 'nothing'}, without oai_dc`, 'Serve oai_dc: every OAI-PMH repository must (§3.4).'),
    );
  }

  const harvests: Finding[] = [];
  harvests.push(await harvestList(client, docs, [['verb', 'ListSets']]));
  const headers: HeaderFacts[] = [];
  harvests.push(await harvestList(client, docs, [['verb', 'ListIdentifiers'], [METADATA_PREFIX, 'oai_dc']], (items) => headers.push(...items.map(headerFacts))));
  const identifiers: string[] = [];
  harvests.push(await harvestList(client, docs, [['verb', 'ListRecords'], [METADATA_PREFIX, 'oai_dc']], (items) => identifiers.push(...dcIdentifiers(items))));
  const sample = headers.find((h) => !h.deleted) ?? null;
  findings.splice(identifierIndex, 0, checkRepositoryIdentifier(baseUrl, identify, sample?.identifier ?? headers[0]?.identifier ?? null));

  // Each format's records: a page of ListRecords, and one record by GetRecord.
  if (sample !== null) await fetchKept('ListMetadataFormats', [['verb', 'ListMetadataFormats'], ['identifier', sample.identifier]]);
  for (const prefix of formats.keys()) {
    if (prefix !== 'oai_dc') await fetchKept('ListRecords', [['verb', 'ListRecords'], [METADATA_PREFIX, prefix]]);
    if (sample !== null) await fetchKept('GetRecord', [['verb', 'GetRecord'], [METADATA_PREFIX, prefix], ['identifier', sample.identifier]]);
  }

  const ranges = await checkRanges(client, docs, identify, sample ?? headers[0] ?? null);
  const errors = await checkProtocolErrors(client, docs, identify.repositoryIdentifier);
  const compression = await checkCompression(client, docs, identify);
  const landing = await checkLandingPages(identifiers, client.http);
  const validity = await validateDocuments(docs, formats, options.loadSchemas ?? (() => loadSchemaFiles()));
  findings.push(...validity, ...harvests, ...ranges, ...errors, compression, landing);
}

/**
 * Runs the checks validators and aggregators run against the OAI-PMH base URL the public
 * reaches: Identify's baseURL, adminEmail and repository identifier; schema-valid answers for
 * every verb and format; whole harvests and their tokens; from/until; the error codes;
 * compression; the landing pages. It never throws: whatever goes wrong becomes a finding.
 */
export async function runSelfCheck(baseUrl: string, options: SelfCheckOptions = {}): Promise<SelfCheckReport> {
  const startedAt = new Date();
  const client = new OaiClient(baseUrl, { timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS });
  const findings: Finding[] = [];
  try {
    await checks(baseUrl, client, new Documents(), findings, options);
  } catch (error) {
    // A bug of the self-check's own: reported as a finding, so the command and the page still answer.
    findings.push(fail('selfcheck', `the self-check stopped: ${clip(error instanceof Error ? error.message : String(error))}`, 'Report this with the command’s output; the checks before it stand.'));
  }
  return { url: baseUrl, startedAt: startedAt.toISOString(), durationMs: Date.now() - startedAt.getTime(), counts: countFindings(findings), findings };
}
