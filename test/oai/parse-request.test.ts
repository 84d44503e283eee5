// parseRequest: the pure argument check of §3.6 and §4, without HTTP.
import { describe, expect, it } from 'vitest';
import type { DatestampArg } from '../../src/oai/datestamp.js';
import { parseRequest, type ListArgs, type ParsedRequest, type ParseResult } from '../../src/oai/parse-request.js';

type Pairs = Array<[string, string]>;

/** Pairs from a query string, as the router builds them (order and repeats kept). */
function q(query: string): Pairs {
  return [...new URLSearchParams(query)];
}

function codes(result: ParseResult): string[] {
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.request)}`);
  return result.errors.map((e) => e.code);
}

function request(result: ParseResult): ParsedRequest {
  if (!result.ok) throw new Error(`expected a request, got ${JSON.stringify(result.errors)}`);
  return result.request;
}

/** The harvest arguments of a first-page ListIdentifiers/ListRecords request. */
function listArgs(result: ParseResult): ListArgs {
  const r = request(result);
  if ((r.verb !== 'ListRecords' && r.verb !== 'ListIdentifiers') || r.resumptionToken !== null) {
    throw new Error(`not a first-page list request: ${JSON.stringify(r)}`);
  }
  return { metadataPrefix: r.metadataPrefix, from: r.from, until: r.until, set: r.set };
}

describe('the verb', () => {
  it.each([
    ['no pairs at all', []],
    ['no verb', q('junk')],
    ['an unknown verb', q('verb=junk')],
    ['an empty verb', q('verb=')],
    ['a repeated verb', q('verb=Identify&verb=Identify')],
    ['a lowercase verb', q('verb=identify')],
    ['an inherited property name', q('verb=toString')],
    ['__proto__', q('verb=__proto__')],
  ] as Array<[string, Pairs]>)('%s → one badVerb', (_what, pairs) => {
    expect(codes(parseRequest(pairs))).toEqual(['badVerb']);
  });

  it('badVerb wins over argument errors: nothing else is reported', () => {
    expect(codes(parseRequest(q('verb=junk&foo=1&from=junk')))).toEqual(['badVerb']);
  });

  it.each(['Identify', 'ListSets', 'ListMetadataFormats'])('%s alone is a request', (verb) => {
    expect(request(parseRequest([['verb', verb]])).verb).toBe(verb);
  });

  it('the verb may come anywhere among the pairs', () => {
    const r = request(parseRequest(q('metadataPrefix=oai_dc&verb=ListRecords')));
    expect(r.verb).toBe('ListRecords');
  });
});

describe('collecting every argument error', () => {
  it('one badArgument per unknown argument', () => {
    expect(codes(parseRequest(q('verb=ListRecords&foo=1&bar=2')))).toEqual(['badArgument', 'badArgument']);
  });

  it('an unknown and a repeated argument: two errors', () => {
    expect(codes(parseRequest(q('verb=ListRecords&metadataPrefix=a&metadataPrefix=a&foo=1')))).toEqual(['badArgument', 'badArgument']);
  });

  it('each repetition beyond the first is an error', () => {
    expect(codes(parseRequest(q('verb=ListRecords&metadataPrefix=a&metadataPrefix=a&metadataPrefix=a')))).toEqual([
      'badArgument',
      'badArgument',
    ]);
  });

  it('a repeated argument is an error even with the same value', () => {
    expect(codes(parseRequest(q('verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01&from=2024-01-01')))).toEqual(['badArgument']);
  });

  it('every missing required argument is reported', () => {
    expect(codes(parseRequest(q('verb=GetRecord')))).toEqual(['badArgument', 'badArgument']);
  });

  it('syntax errors of several values are all reported', () => {
    const result = parseRequest(q('verb=ListRecords&metadataPrefix=oai%20dc&set=a::b&from=junk&until=2024-02-30'));
    expect(codes(result)).toEqual(['badArgument', 'badArgument', 'badArgument', 'badArgument']);
  });

  it('a missing argument and a bad value together', () => {
    expect(codes(parseRequest(q('verb=GetRecord&identifier=not%20a%20uri')))).toEqual(['badArgument', 'badArgument']);
  });

  it('the messages name the problem', () => {
    const result = parseRequest(q('verb=Identify&foo=bar'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.message).toContain('foo');
  });

  it.each([
    ['Identify', 'metadataPrefix=oai_dc'],
    ['Identify', 'resumptionToken=x'],
    ['ListSets', 'set=issue'],
    ['ListSets', 'metadataPrefix=oai_dc'],
    ['ListMetadataFormats', 'metadataPrefix=oai_dc'],
    ['GetRecord', 'identifier=oai:a.b:1&metadataPrefix=oai_dc&from=2024-01-01'],
    ['GetRecord', 'identifier=oai:a.b:1&metadataPrefix=oai_dc&resumptionToken=x'],
  ])('%s does not take %s', (verb, args) => {
    expect(codes(parseRequest(q(`verb=${verb}&${args}`)))).toEqual(['badArgument']);
  });
});

describe('the exclusive resumptionToken', () => {
  it.each(['ListRecords', 'ListIdentifiers', 'ListSets'])('%s with only a resumptionToken', (verb) => {
    const result = parseRequest(q(`verb=${verb}&resumptionToken=abc.def`));
    expect(request(result)).toEqual({ verb, resumptionToken: 'abc.def' });
    expect(result.ok && result.args).toEqual({ resumptionToken: 'abc.def' });
  });

  it.each([
    ['ListRecords', 'metadataPrefix=oai_dc'],
    ['ListRecords', 'from=2024-01-01'],
    ['ListIdentifiers', 'set=issue'],
    ['ListIdentifiers', 'until=2024-01-01'],
  ])('%s: resumptionToken with %s → badArgument', (verb, other) => {
    expect(codes(parseRequest(q(`verb=${verb}&resumptionToken=x&${other}`)))).toEqual(['badArgument']);
    expect(codes(parseRequest(q(`verb=${verb}&${other}&resumptionToken=x`)))).toEqual(['badArgument']);
  });

  it('the token needs no metadataPrefix', () => {
    expect(request(parseRequest(q('verb=ListRecords&resumptionToken=x')))).toEqual({ verb: 'ListRecords', resumptionToken: 'x' });
  });

  it('an empty token is syntactically a token: the handler decides it is bad', () => {
    expect(request(parseRequest(q('verb=ListSets&resumptionToken=')))).toEqual({ verb: 'ListSets', resumptionToken: '' });
  });

  it('ListSets without a token has a null token', () => {
    expect(request(parseRequest(q('verb=ListSets')))).toEqual({ verb: 'ListSets', resumptionToken: null });
  });
});

describe('values of legal syntax', () => {
  it('GetRecord', () => {
    const result = parseRequest(q('verb=GetRecord&identifier=oai:repo.example.org:58-7&metadataPrefix=oai_dc'));
    expect(request(result)).toEqual({ verb: 'GetRecord', identifier: 'oai:repo.example.org:58-7', metadataPrefix: 'oai_dc' });
    expect(result.ok && result.args).toEqual({ identifier: 'oai:repo.example.org:58-7', metadataPrefix: 'oai_dc' });
  });

  it('ListMetadataFormats with and without identifier', () => {
    expect(request(parseRequest(q('verb=ListMetadataFormats')))).toEqual({ verb: 'ListMetadataFormats', identifier: null });
    expect(request(parseRequest(q('verb=ListMetadataFormats&identifier=oai:a.b:1')))).toEqual({
      verb: 'ListMetadataFormats',
      identifier: 'oai:a.b:1',
    });
  });

  it.each(['oai_dc', 'marc21', 'a.b-c_d!~*\'()', 'X'])('metadataPrefix %s', (prefix) => {
    expect(listArgs(parseRequest([['verb', 'ListRecords'], ['metadataPrefix', prefix]])).metadataPrefix).toBe(prefix);
  });

  it.each(['oai dc', '', 'oai/dc', 'oai:dc', 'oai<dc', 'oaï_dc'])('metadataPrefix %j is a badArgument', (prefix) => {
    expect(codes(parseRequest([['verb', 'ListRecords'], ['metadataPrefix', prefix]]))).toEqual(['badArgument']);
  });

  it.each(['issue', 'issue:58', 'a:b:c', "x-y_z.!~*'()"])('set %s', (set) => {
    expect(listArgs(parseRequest([['verb', 'ListIdentifiers'], ['metadataPrefix', 'oai_dc'], ['set', set]])).set).toBe(set);
  });

  it.each(['', 'issue::58', ':issue', 'issue:', 'issue 58', 'issue/58', 'شماره'])('set %j is a badArgument', (set) => {
    expect(codes(parseRequest([['verb', 'ListIdentifiers'], ['metadataPrefix', 'oai_dc'], ['set', set]]))).toEqual(['badArgument']);
  });

  it.each([
    'oai:repo.example.org:58-7',
    'oai:repo.example.org:a%2Fb',
    "oai:repo.example.org:a&b'c",
    'http://repo.example.org/article/58-7?x=1#y',
    'urn:isbn:0451450523',
  ])('identifier %s', (identifier) => {
    expect(request(parseRequest([['verb', 'GetRecord'], ['metadataPrefix', 'oai_dc'], ['identifier', identifier]]))).toEqual({
      verb: 'GetRecord',
      identifier,
      metadataPrefix: 'oai_dc',
    });
  });

  it.each(['invalid"id', '58-7', '', 'oai:', 'oai:a b', 'oai:a%zz', 'oai:<x>', '1oai:x', 'oai:x\n'])(
    'identifier %j is a badArgument',
    (identifier) => {
      expect(codes(parseRequest([['verb', 'GetRecord'], ['metadataPrefix', 'oai_dc'], ['identifier', identifier]]))).toEqual([
        'badArgument',
      ]);
    },
  );

  it('a first-page list request without optional arguments', () => {
    expect(listArgs(parseRequest(q('verb=ListRecords&metadataPrefix=oai_dc')))).toEqual({
      metadataPrefix: 'oai_dc',
      from: null,
      until: null,
      set: null,
    });
  });
});

describe('from and until', () => {
  const list = (args: string): ParseResult => parseRequest(q(`verb=ListRecords&metadataPrefix=oai_dc&${args}`));

  it('day granularity: from is the start of the day, until the end of it', () => {
    const { from, until } = listArgs(list('from=2024-05-01&until=2024-05-01'));
    expect(from).toEqual<DatestampArg>({ raw: '2024-05-01', granularity: 'day', lower: '2024-05-01T00:00:00Z', upper: '2024-05-01T23:59:59Z' });
    expect(until).toEqual<DatestampArg>({ raw: '2024-05-01', granularity: 'day', lower: '2024-05-01T00:00:00Z', upper: '2024-05-01T23:59:59Z' });
    expect(from?.lower).toBe('2024-05-01T00:00:00Z');
    expect(until?.upper).toBe('2024-05-01T23:59:59Z');
  });

  it('until=2024-05-01 alone has the upper bound 2024-05-01T23:59:59Z', () => {
    const { from, until } = listArgs(list('until=2024-05-01'));
    expect(from).toBeNull();
    expect(until?.upper).toBe('2024-05-01T23:59:59Z');
  });

  it('seconds granularity: both bounds are the value itself', () => {
    const { from, until } = listArgs(list('from=2024-05-01T08:30:00Z&until=2024-05-01T08:30:00Z'));
    expect(from).toEqual<DatestampArg>({ raw: '2024-05-01T08:30:00Z', granularity: 'second', lower: '2024-05-01T08:30:00Z', upper: '2024-05-01T08:30:00Z' });
    expect(until?.upper).toBe('2024-05-01T08:30:00Z');
  });

  it('from alone', () => {
    const { from, until } = listArgs(list('from=2024-12-31T23:59:59Z'));
    expect(from?.granularity).toBe('second');
    expect(from?.lower).toBe('2024-12-31T23:59:59Z');
    expect(until).toBeNull();
  });

  it('the raw values are what is echoed', () => {
    const result = list('from=2024-01-01&until=2024-02-01&set=issue');
    expect(result.ok && result.args).toEqual({ metadataPrefix: 'oai_dc', from: '2024-01-01', until: '2024-02-01', set: 'issue' });
  });

  it.each([
    ['from = until (day)', 'from=2024-05-01&until=2024-05-01'],
    ['from = until (second)', 'from=2024-05-01T00:00:00Z&until=2024-05-01T00:00:00Z'],
    ['from < until by a second', 'from=2024-05-01T00:00:00Z&until=2024-05-01T00:00:01Z'],
    ['from < until across a leap day', 'from=2024-02-28&until=2024-03-01'],
  ])('%s is accepted', (_what, args) => {
    expect(list(args).ok).toBe(true);
  });

  it.each([
    ['mixed granularities (day, second)', 'from=2024-01-01&until=2024-01-02T00:00:00Z'],
    ['mixed granularities (second, day)', 'from=2024-01-01T00:00:00Z&until=2024-01-02'],
    ['mixed granularities on the same day', 'from=2024-01-01&until=2024-01-01T12:00:00Z'],
    ['from later than until (day)', 'from=2024-01-02&until=2024-01-01'],
    ['from later than until (second)', 'from=2024-01-01T00:00:01Z&until=2024-01-01T00:00:00Z'],
    ['from later than until (year)', 'from=2025-01-01&until=2024-12-31'],
  ])('%s → one badArgument', (_what, args) => {
    expect(codes(list(args))).toEqual(['badArgument']);
  });

  it.each([
    'junk',
    '',
    '2024-02-30',
    '2023-02-29',
    '2024-01-05T25:00:00Z',
    '2024-01-05T12:00:00',
    '2024-01-05T12:00Z',
    '2024-01-05T12:00:00.5Z',
    '24-01-01',
    '2024-1-1',
    '2024-01-05T12:00:00+00:00',
  ])('from=%j → badArgument', (value) => {
    expect(codes(parseRequest([['verb', 'ListIdentifiers'], ['metadataPrefix', 'oai_dc'], ['from', value]]))).toEqual(['badArgument']);
  });

  it('an invalid from and a valid until: only the syntax error (no comparison)', () => {
    expect(codes(list('from=junk&until=2024-01-01'))).toEqual(['badArgument']);
  });
});
