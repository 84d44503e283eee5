import type { Element } from '@xmldom/xmldom';
import type { Documents } from './documents.js';
import { fail, pass, warning, type Finding } from './finding.js';
import { headerFacts, listItems, OAI_NS, type OaiArgs, type OaiClient, type OaiPage, type ResumptionToken } from './oai-client.js';

/** What the consistency check needs of one page of a list. */
export interface PageFacts {
  items: number;
  token: ResumptionToken | null;
}

/** What is wrong with a whole list's pages (faults), and what is merely missing (notes). */
export interface ListProblems {
  faults: string[];
  notes: string[];
}

/**
 * Checks a complete list, page by page, as harvesters rely on it (§3.5): each token's `cursor` is
 * the number of items sent before its page, `completeListSize` is the same on every page and is the
 * number of items, and a list of several pages ends with an empty token.
 */
export function listProblems(pages: readonly PageFacts[]): ListProblems {
  const faults: string[] = [];
  const notes: string[] = [];
  const sizes = new Set<number>();
  let before = 0;
  let withoutCursor = 0;
  pages.forEach((page, i) => {
    const token = page.token;
    if (token !== null) {
      if (token.cursor === null) withoutCursor += 1;
      else if (token.cursor !== before) faults.push(`page ${i + 1} has cursor ${token.cursor}, but ${before} items came before it`);
      if (token.completeListSize !== null) sizes.add(token.completeListSize);
      if (page.items === 0 && token.value !== '') faults.push(`page ${i + 1} is empty yet has a resumptionToken`);
    }
    before += page.items;
  });
  const last = pages.at(-1);
  if (pages.length > 1 && last !== undefined && last.token === null) faults.push(`the last page (${pages.length}) has no resumptionToken; it must carry an empty one`);
  if (sizes.size > 1) faults.push(`completeListSize changed during the harvest: ${[...sizes].join(', ')}`);
  const [size] = [...sizes];
  if (sizes.size === 1 && size !== before) faults.push(`completeListSize says ${size ?? 0} but the list held ${before} items`);
  if (pages.length > 1 && sizes.size === 0) notes.push('no page gives completeListSize');
  if (withoutCursor > 0) notes.push(`${withoutCursor} token${withoutCursor === 1 ? '' : 's'} without a cursor`);
  return { faults, notes };
}

/** Where the harvester stops, whatever the tokens say: a loop guard. */
const MAX_PAGES = 10_000;
const FIX = 'Fix the list paging: cursor = items sent before the page, the same completeListSize on every page, and an empty resumptionToken on the last page.';

/**
 * Harvests a list (`ListIdentifiers`, `ListRecords`, `ListSets`) to its end by following its
 * tokens, hands each page's items to `onItems`, keeps the pages for validation, and judges the
 * paging, in a finding named by the verb (`harvest:ListRecords`).
 */
export async function harvestList(
  client: OaiClient,
  docs: Documents,
  args: OaiArgs,
  onItems: (items: Element[], page: OaiPage) => void = () => undefined,
): Promise<Finding> {
  const verb = args.find(([k]) => k === 'verb')?.[1] ?? '';
  const prefix = args.find(([k]) => k === 'metadataPrefix')?.[1] ?? null;
  const check = `harvest:${verb}`;
  const label = prefix === null ? verb : `${verb} (${prefix})`;
  const pages: PageFacts[] = [];
  const tokens = new Set<string>();
  const identifiers = new Set<string>();
  const duplicates = new Set<string>();
  let request: OaiArgs = args;
  for (;;) {
    const answer = await client.get(request);
    const n = pages.length + 1;
    if (answer.page === null) return fail(check, `${label} page ${n}: ${answer.problem ?? 'no answer'} (${answer.url})`, FIX);
    const page = answer.page;
    const items = listItems(page);
    const last = page.token === null || page.token.value === '';
    const records = items.filter((i) => i.localName === 'record' && i.getElementsByTagNameNS(OAI_NS, 'metadata').length > 0).length;
    docs.add(verb, answer.url, prefix, answer.http?.body ?? '', records, last || page.errors.length > 0);
    if (page.errors.length > 0) {
      const codes = page.errors.map((e) => e.code);
      if (n === 1 && codes.length === 1 && (codes[0] === 'noRecordsMatch' || codes[0] === 'noSetHierarchy')) {
        const finding = verb === 'ListSets' ? pass(check, 'the repository has no sets (noSetHierarchy)') : warning(check, `${label}: the list is empty (noRecordsMatch)`, 'Import records, then run the self-check again.');
        return finding;
      }
      return fail(check, `${label} page ${n} answered ${codes.join(', ')}: ${page.errors[0]?.message ?? ''} (${answer.url})`, FIX);
    }
    onItems(items, page);
    for (const item of items) {
      if (item.localName === 'set') continue;
      const { identifier } = headerFacts(item);
      if (identifiers.has(identifier)) duplicates.add(identifier);
      identifiers.add(identifier);
    }
    pages.push({ items: items.length, token: page.token });
    if (page.token === null || last) break;
    if (tokens.has(page.token.value)) return fail(check, `${label} page ${n} repeats an earlier resumptionToken: the harvest would never end`, FIX);
    if (pages.length >= MAX_PAGES) return warning(check, `${label}: stopped after ${MAX_PAGES} pages`, 'Raise the page size (OAI_PAGE_SIZE_RECORDS, OAI_PAGE_SIZE_IDENTIFIERS).');
    tokens.add(page.token.value);
    request = [['verb', verb], ['resumptionToken', page.token.value]];
  }
  const total = pages.reduce((sum, p) => sum + p.items, 0);
  const { faults, notes } = listProblems(pages);
  if (duplicates.size > 0) faults.push(`${duplicates.size} identifier${duplicates.size === 1 ? '' : 's'} came twice, e.g. ${[...duplicates][0] ?? ''}`);
  const summary = `${label}: ${total} item${total === 1 ? '' : 's'} in ${pages.length} page${pages.length === 1 ? '' : 's'}`;
  if (faults.length > 0) return fail(check, `${summary}; ${faults.join('; ')}`, FIX);
  if (notes.length > 0) return warning(check, `${summary}; ${notes.join('; ')}`, 'Give every resumptionToken a cursor and completeListSize: harvesters show progress with them.');
  return pass(check, `${summary}, to the end; cursor and completeListSize consistent${pages.length > 1 ? ', the last token empty' : ''}`);
}
