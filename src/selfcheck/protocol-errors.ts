import type { Documents } from './documents.js';
import { fail, pass, type Finding } from './finding.js';
import type { OaiArgs, OaiClient } from './oai-client.js';

/** A request that must get one OAI error code, with what it is, for the messages. */
interface Probe {
  code: string;
  what: string;
  args: OaiArgs;
}

function probes(repositoryIdentifier: string | null): Probe[] {
  return [
    { code: 'badArgument', what: 'an argument the verb does not take', args: [['verb', 'Identify'], ['selfcheck', '1']] },
    { code: 'badArgument', what: 'a missing required argument', args: [['verb', 'ListRecords']] },
    { code: 'badVerb', what: 'an unknown verb', args: [['verb', 'SelfCheckNoSuchVerb']] },
    { code: 'badVerb', what: 'no verb', args: [] },
    { code: 'badResumptionToken', what: 'a token the repository never issued', args: [['verb', 'ListRecords'], ['resumptionToken', 'selfcheck-not-a-token']] },
    {
      code: 'idDoesNotExist',
      what: 'an identifier no record has',
      args: [['verb', 'GetRecord'], ['metadataPrefix', 'oai_dc'], ['identifier', `oai:${repositoryIdentifier ?? 'selfcheck.invalid'}:selfcheck-no-such-record`]],
    },
    { code: 'cannotDisseminateFormat', what: 'a metadataPrefix the repository does not serve', args: [['verb', 'ListRecords'], ['metadataPrefix', 'selfcheck_no_such_format']] },
  ];
}

/**
 * Sends requests that must fail and checks each gets its OAI error code with HTTP 200 (§3.6):
 * badArgument, badVerb, badResumptionToken, and idDoesNotExist and cannotDisseminateFormat.
 * One finding per code (`error:<code>`).
 */
export async function checkProtocolErrors(client: OaiClient, docs: Documents, repositoryIdentifier: string | null): Promise<Finding[]> {
  const byCode = new Map<string, string[]>();
  const tried = new Map<string, string[]>();
  for (const probe of probes(repositoryIdentifier)) {
    const answer = await client.get(probe.args);
    tried.set(probe.code, [...(tried.get(probe.code) ?? []), probe.what]);
    const problems = byCode.get(probe.code) ?? [];
    byCode.set(probe.code, problems);
    if (answer.page === null) {
      problems.push(`${probe.what}: ${answer.problem ?? 'no answer'} (${answer.url})`);
      continue;
    }
    docs.add('errors', answer.url, null, answer.http?.body ?? '', 0);
    const codes = answer.page.errors.map((e) => e.code);
    if (!codes.includes(probe.code)) problems.push(`${probe.what} got ${codes.length === 0 ? 'no error' : codes.join(', ')} instead of ${probe.code} (${answer.url})`);
  }
  return [...byCode].map(([code, problems]) =>
    problems.length === 0
      ? pass(`error:${code}`, `${code} with HTTP 200 for ${(tried.get(code) ?? []).join(' and for ')}`)
      : fail(`error:${code}`, problems.join('; '), `Answer ${(tried.get(code) ?? []).join(' or ')} with the OAI error ${code}, HTTP 200 and text/xml (OAI-PMH §3.6).`),
  );
}
