import type { Documents } from './documents.js';
import { fail, pass, type Finding } from './finding.js';
import type { IdentifyFacts } from './identify.js';
import { headerFacts, listItems, type HeaderFacts, type OaiArgs, type OaiClient } from './oai-client.js';

/** Pages followed per range: enough to see the range's records, not a second full harvest. */
const PAGES_PER_RANGE = 20;
const SECONDS = 'YYYY-MM-DDThh:mm:ssZ';
const FIX = 'Fix the from/until filter: both bounds inclusive, a day running from 00:00:00 to 23:59:59 UTC, each bound in the granularity Identify declares.';

/** A datestamp at second granularity, for comparisons; a day stands for its first second. */
function asSeconds(datestamp: string): string {
  return datestamp.length === 10 ? `${datestamp}T00:00:00Z` : datestamp;
}

/** The datestamps that lie outside `[lower, upper]`, compared as the fixed-width UTC text they are. */
export function outsideRange(datestamps: readonly string[], lower: string, upper: string): string[] {
  return datestamps.filter((d) => asSeconds(d) < lower || asSeconds(d) > upper);
}

async function checkRange(client: OaiClient, docs: Documents, check: string, bound: string, lower: string, upper: string, sample: HeaderFacts | null): Promise<Finding> {
  const label = `from=until=${bound}`;
  const headers: HeaderFacts[] = [];
  let request: OaiArgs = [
    ['verb', 'ListIdentifiers'],
    ['metadataPrefix', 'oai_dc'],
    ['from', bound],
    ['until', bound],
  ];
  let complete = false;
  for (let n = 1; n <= PAGES_PER_RANGE; n++) {
    const answer = await client.get(request);
    if (answer.page === null) return fail(check, `${label}: ${answer.problem ?? 'no answer'} (${answer.url})`, FIX);
    const page = answer.page;
    const items = listItems(page);
    docs.add('ListIdentifiers', answer.url, 'oai_dc', answer.http?.body ?? '', 0, page.errors.length > 0);
    const codes = page.errors.map((e) => e.code);
    if (codes.length > 0 && !(codes.length === 1 && codes[0] === 'noRecordsMatch' && n === 1)) {
      return fail(check, `${label} answered ${codes.join(', ')}: ${page.errors[0]?.message ?? ''}`, FIX);
    }
    headers.push(...items.map(headerFacts));
    if (page.token === null || page.token.value === '') {
      complete = true;
      break;
    }
    request = [['verb', 'ListIdentifiers'], ['resumptionToken', page.token.value]];
  }
  const outside = outsideRange(
    headers.map((h) => h.datestamp),
    lower,
    upper,
  );
  if (outside.length > 0) return fail(check, `${label} returned ${outside.length} record${outside.length === 1 ? '' : 's'} outside the range, e.g. datestamp ${outside[0] ?? ''}`, FIX);
  if (sample !== null && complete && !headers.some((h) => h.identifier === sample.identifier)) {
    return fail(check, `${label} left out ${sample.identifier}, whose datestamp ${sample.datestamp} is in the range (unless it changed during the check)`, FIX);
  }
  return pass(check, headers.length === 0 ? `${label}: noRecordsMatch, as expected` : `${label}: ${headers.length} record${headers.length === 1 ? '' : 's'}, all within the range`);
}

/**
 * `from` and `until` at day and at second granularity, around a record's datestamp (or, in an
 * empty repository, the earliest datestamp): no error, every record inside, the record included.
 */
export async function checkRanges(client: OaiClient, docs: Documents, identify: IdentifyFacts, sample: HeaderFacts | null): Promise<Finding[]> {
  const instant = asSeconds(sample?.datestamp ?? identify.earliestDatestamp);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(instant)) {
    return [fail('range:day', `no datestamp to build a range from (earliestDatestamp "${identify.earliestDatestamp}")`, 'Give Identify an earliestDatestamp in the form YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ.')];
  }
  const day = instant.slice(0, 10);
  const findings = [await checkRange(client, docs, 'range:day', day, `${day}T00:00:00Z`, `${day}T23:59:59Z`, sample)];
  if (identify.granularity === SECONDS) findings.push(await checkRange(client, docs, 'range:seconds', instant, instant, instant, sample));
  else findings.push(pass('range:seconds', `Identify declares granularity ${identify.granularity || '(none)'}: seconds are not offered, so not checked`));
  return findings;
}
