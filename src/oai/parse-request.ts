import { oaiError, type OaiError } from './errors.js';
import { parseDatestamp, type DatestampArg } from './datestamp.js';
import { isUri } from './uri.js';
import { isVerb, VERBS, type Argument, type Verb } from './verbs.js';

/** The harvest arguments of ListIdentifiers and ListRecords. */
export interface ListArgs {
  metadataPrefix: string;
  from: DatestampArg | null;
  until: DatestampArg | null;
  set: string | null;
}

/** A request whose arguments passed every syntactic check of §3 and §4. */
export type ParsedRequest =
  | { verb: 'Identify' }
  | { verb: 'ListMetadataFormats'; identifier: string | null }
  | { verb: 'GetRecord'; identifier: string; metadataPrefix: string }
  | { verb: 'ListSets'; resumptionToken: string | null }
  | ({ verb: 'ListIdentifiers' | 'ListRecords'; resumptionToken: null } & ListArgs)
  | { verb: 'ListIdentifiers' | 'ListRecords'; resumptionToken: string };

/** The outcome of parsing: either a request, or every problem found with it. */
export type ParseResult =
  | { ok: true; request: ParsedRequest; args: Record<string, string> }
  | { ok: false; errors: OaiError[] };

// From OAI-PMH.xsd: what an echoed value must match.
const METADATA_PREFIX = /^[A-Za-z0-9\-_.!~*'()]+$/;
const SET_SPEC = /^[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*$/;

const SYNTAX: Partial<Record<Argument, { valid: (value: string) => boolean; what: string }>> = {
  metadataPrefix: { valid: (v) => METADATA_PREFIX.test(v), what: 'a metadataPrefix' },
  set: { valid: (v) => SET_SPEC.test(v), what: 'a setSpec' },
  identifier: { valid: isUri, what: 'an identifier (a URI)' },
};

/**
 * Turns the request's argument pairs (query string or form body, in order) into a ParsedRequest,
 * collecting every argument error rather than stopping at the first.
 */
export function parseRequest(pairs: ReadonlyArray<readonly [string, string]>): ParseResult {
  const verbs = pairs.filter(([k]) => k === 'verb').map(([, v]) => v);
  if (verbs.length === 0) return fail(oaiError('badVerb', 'The request has no verb argument.'));
  if (verbs.length > 1) return fail(oaiError('badVerb', 'The verb argument is repeated.'));
  const verb = verbs[0] ?? '';
  if (!isVerb(verb)) return fail(oaiError('badVerb', `"${verb}" is not an OAI-PMH verb.`));

  const spec = VERBS[verb];
  const allowed = new Set<string>([...spec.required, ...spec.optional, ...(spec.exclusive ? [spec.exclusive] : [])]);
  const errors: OaiError[] = [];
  const args: Record<string, string> = {};
  const seen = new Set<string>();
  for (const [key, value] of pairs) {
    if (key === 'verb') continue;
    if (!allowed.has(key)) {
      errors.push(oaiError('badArgument', `${verb} does not take the argument "${key}".`));
    } else if (seen.has(key)) {
      errors.push(oaiError('badArgument', `The argument "${key}" is repeated.`));
    } else {
      args[key] = value;
    }
    seen.add(key);
  }
  if (errors.length > 0) return { ok: false, errors };

  if (spec.exclusive !== null && Object.hasOwn(args, spec.exclusive)) {
    const others = Object.keys(args).filter((k) => k !== spec.exclusive);
    if (others.length > 0) {
      return fail(oaiError('badArgument', `${spec.exclusive} must be the only argument besides verb; also got ${others.join(', ')}.`));
    }
    return { ok: true, request: withToken(verb, args[spec.exclusive] ?? ''), args };
  }

  for (const name of spec.required) {
    if (!Object.hasOwn(args, name)) errors.push(oaiError('badArgument', `${verb} requires the argument "${name}".`));
  }
  for (const [name, value] of Object.entries(args)) {
    const syntax = SYNTAX[name as Argument];
    if (syntax && !syntax.valid(value)) {
      errors.push(oaiError('badArgument', `"${value}" is not ${syntax.what}.`));
    }
  }
  const dates = parseDates(args, errors);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, request: build(verb, args, dates), args };
}

function fail(error: OaiError): ParseResult {
  return { ok: false, errors: [error] };
}

function parseDates(args: Record<string, string>, errors: OaiError[]): { from: DatestampArg | null; until: DatestampArg | null } {
  const parse = (name: 'from' | 'until'): DatestampArg | null => {
    const raw = args[name];
    if (raw === undefined) return null;
    const parsed = parseDatestamp(raw);
    if (!parsed) {
      errors.push(oaiError('badArgument', `${name}="${raw}" is not a UTC datestamp of the form YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ.`));
    }
    return parsed;
  };
  const from = parse('from');
  const until = parse('until');
  if (from && until) {
    if (from.granularity !== until.granularity) {
      errors.push(oaiError('badArgument', 'from and until must have the same granularity.'));
    } else if (from.raw > until.raw) {
      errors.push(oaiError('badArgument', 'from is later than until.'));
    }
  }
  return { from, until };
}

function withToken(verb: Verb, token: string): ParsedRequest {
  if (verb === 'ListSets') return { verb, resumptionToken: token };
  if (verb === 'ListIdentifiers' || verb === 'ListRecords') return { verb, resumptionToken: token };
  throw new Error(`${verb} has no exclusive argument`);
}

function build(verb: Verb, args: Record<string, string>, dates: { from: DatestampArg | null; until: DatestampArg | null }): ParsedRequest {
  switch (verb) {
    case 'Identify':
      return { verb };
    case 'ListMetadataFormats':
      return { verb, identifier: args['identifier'] ?? null };
    case 'GetRecord':
      return { verb, identifier: args['identifier'] ?? '', metadataPrefix: args['metadataPrefix'] ?? '' };
    case 'ListSets':
      return { verb, resumptionToken: null };
    case 'ListIdentifiers':
    case 'ListRecords':
      return {
        verb,
        resumptionToken: null,
        metadataPrefix: args['metadataPrefix'] ?? '',
        from: dates.from,
        until: dates.until,
        set: args['set'] ?? null,
      };
  }
}
