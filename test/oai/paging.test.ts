import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { formatDatestamp } from '../../src/oai/datestamp.js';
import { setDeleted } from '../../src/store/write.js';
import { makeServer, oai, REPOSITORY_ID, type TestServer } from '../support/app.js';
import { nodes, texts } from '../support/xml.js';

const ALL = 8;

interface Page {
  ids: string[];
  token: { value: string; cursor: string | null; size: string | null; expires: string | null } | null;
  text: string;
  responseDate: string;
}

async function page(server: TestServer, verb: 'ListRecords' | 'ListIdentifiers', args: string, method: 'GET' | 'POST' = 'GET'): Promise<Page> {
  const { doc, errors, text } = await oai(server.app, `verb=${verb}&${args}`, method);
  expect(errors).toEqual([]);
  const tokens = nodes(doc, `/oai:OAI-PMH/oai:${verb}/oai:resumptionToken`);
  expect(tokens.length).toBeLessThanOrEqual(1);
  const t = tokens[0];
  return {
    ids: texts(doc, '//oai:header/oai:identifier'),
    token: t
      ? {
          value: t.textContent ?? '',
          cursor: t.getAttribute('cursor'),
          size: t.getAttribute('completeListSize'),
          expires: t.hasAttribute('expirationDate') ? t.getAttribute('expirationDate') : null,
        }
      : null,
    text,
    responseDate: texts(doc, '/oai:OAI-PMH/oai:responseDate')[0] ?? '',
  };
}

/** Follows resumption tokens to the end of a list, returning every page. */
async function harvest(server: TestServer, verb: 'ListRecords' | 'ListIdentifiers', args: string): Promise<Page[]> {
  const pages = [await page(server, verb, args)];
  for (let last = pages[0]!; last.token !== null && last.token.value !== ''; last = pages.at(-1)!) {
    pages.push(await page(server, verb, `resumptionToken=${encodeURIComponent(last.token.value)}`));
    expect(pages.length).toBeLessThan(20);
  }
  return pages;
}

describe.each([
  ['ListRecords', 'OAI_PAGE_SIZE_RECORDS', 3, [3, 3, 2]],
  ['ListIdentifiers', 'OAI_PAGE_SIZE_IDENTIFIERS', 2, [2, 2, 2, 2]],
] as const)('%s in pages', (verb, variable, size, shape) => {
  const server = makeServer({ [variable]: String(size) });

  it(`walks all ${ALL} records in pages of ${size}, without duplicates or gaps`, async () => {
    const pages = await harvest(server, verb, 'metadataPrefix=oai_dc');
    expect(pages.map((p) => p.ids.length)).toEqual(shape);
    const ids = pages.flatMap((p) => p.ids);
    expect(new Set(ids).size).toBe(ALL);
    expect(ids.every((id) => id.startsWith(`oai:${REPOSITORY_ID}:58-`))).toBe(true);
  });

  it('puts cursor and completeListSize on every page, and an empty token on the last', async () => {
    const pages = await harvest(server, verb, 'metadataPrefix=oai_dc');
    pages.forEach((p, i) => {
      expect(p.token).not.toBeNull();
      expect(p.token!.cursor).toBe(String(i * size));
      expect(p.token!.size).toBe(String(ALL));
    });
    const last = pages.at(-1)!;
    expect(last.token!.value).toBe('');
    expect(last.token!.expires).toBeNull();
    expect(last.text).toMatch(/<resumptionToken [^>]*\/>/);
    for (const p of pages.slice(0, -1)) expect(p.token!.value).not.toBe('');
  });

  it('gives tokens an expirationDate at least 24 hours ahead', async () => {
    const first = await page(server, verb, 'metadataPrefix=oai_dc');
    const expires = Date.parse(first.token!.expires!);
    expect(first.token!.expires).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(expires - Date.parse(first.responseDate)).toBeGreaterThanOrEqual(24 * 3600 * 1000);
  });

  it('returns the same page when a token is sent again, over GET or POST', async () => {
    const first = await page(server, verb, 'metadataPrefix=oai_dc');
    const token = `resumptionToken=${encodeURIComponent(first.token!.value)}`;
    const a = await page(server, verb, token);
    const b = await page(server, verb, token);
    const c = await page(server, verb, token, 'POST');
    expect(b.ids).toEqual(a.ids);
    expect(c.ids).toEqual(a.ids);
    expect(b.token).toEqual(a.token);
    const withoutDate = (t: string) => t.replace(/<responseDate>[^<]*<\/responseDate>/, '');
    // Within the same hour the whole response is byte-identical, next token included.
    if (a.responseDate.slice(0, 13) === b.responseDate.slice(0, 13)) expect(withoutDate(b.text)).toBe(withoutDate(a.text));
  });

  it('pages a set and a date range the same way', async () => {
    const pages = await harvest(server, verb, 'metadataPrefix=oai_dc&set=issue:58&from=2025-01-01&until=2025-12-31');
    expect(new Set(pages.flatMap((p) => p.ids)).size).toBe(ALL);
    expect(pages.at(-1)!.token!.value).toBe('');
  });
});

describe('a list that fits in one page', () => {
  it('has no resumptionToken at all', async () => {
    const server = makeServer({ OAI_PAGE_SIZE_RECORDS: String(ALL) });
    const p = await page(server, 'ListRecords', 'metadataPrefix=oai_dc');
    expect(p.ids).toHaveLength(ALL);
    expect(p.token).toBeNull();
  });
});

describe('ListSets in pages', () => {
  it('pages the sets by setSpec and ends with an empty token', async () => {
    const server = makeServer({ OAI_PAGE_SIZE_SETS: '2' });
    const first = await oai(server.app, 'verb=ListSets');
    expect(texts(first.doc, '//oai:set/oai:setSpec')).toEqual(['issue', 'issue:58']);
    const token = nodes(first.doc, '//oai:resumptionToken')[0]!;
    expect(token.getAttribute('completeListSize')).toBe('5');
    const second = await oai(server.app, `verb=ListSets&resumptionToken=${encodeURIComponent(token.textContent!)}`);
    expect(texts(second.doc, '//oai:set/oai:setSpec')).toEqual(['openaire', 'prb']);
    const third = await oai(server.app, `verb=ListSets&resumptionToken=${encodeURIComponent(nodes(second.doc, '//oai:resumptionToken')[0]!.textContent!)}`);
    expect(texts(third.doc, '//oai:set/oai:setSpec')).toEqual(['prb:58']);
    const end = nodes(third.doc, '//oai:resumptionToken')[0]!;
    expect(end.textContent).toBe('');
    expect(end.getAttribute('cursor')).toBe('4');
  });
});

describe('changes during a harvest', () => {
  it('neither skips nor repeats a record; the next incremental harvest picks the changes up', async () => {
    const server = makeServer({ OAI_PAGE_SIZE_IDENTIFIERS: '3' });
    const start = new Date('2026-01-10T12:00:00Z');
    server.setNow(start);
    const first = await page(server, 'ListIdentifiers', 'metadataPrefix=oai_dc');
    const sent = first.ids;
    expect(first.token!.size).toBe(String(ALL));

    // Withdraw one record already sent and one not yet sent, a few seconds into the harvest.
    const all = (await harvest(server, 'ListIdentifiers', 'metadataPrefix=oai_dc')).flatMap((p) => p.ids);
    const notYetSent = all.find((id) => !sent.includes(id))!;
    const writer = new Database(server.dbPath);
    const changedAt = formatDatestamp(new Date(start.getTime() + 5000));
    for (const id of [sent[0]!, notYetSent]) expect(setDeleted(writer, id.split(':').at(-1)!, true, changedAt)).toBe(true);
    writer.close();

    server.setNow(new Date(start.getTime() + 10_000));
    const rest: string[] = [];
    let token = first.token!.value;
    while (token !== '') {
      const p = await page(server, 'ListIdentifiers', `resumptionToken=${encodeURIComponent(token)}`);
      rest.push(...p.ids);
      token = p.token!.value;
    }
    const harvested = [...sent, ...rest];
    expect(new Set(harvested).size).toBe(harvested.length);
    expect(harvested).not.toContain(notYetSent);
    expect(harvested).toHaveLength(ALL - 1);

    // The next incremental harvest, from the first response's date, sees both changes as deletions.
    const next = await oai(server.app, `verb=ListIdentifiers&metadataPrefix=oai_dc&from=${first.responseDate}`);
    expect(texts(next.doc, '//oai:header[@status="deleted"]/oai:identifier').sort()).toEqual([sent[0]!, notYetSent].sort());
    expect(texts(next.doc, '//oai:header/oai:datestamp')).toEqual([changedAt, changedAt]);
  });
});

describe('deleted records', () => {
  const server = makeServer();
  const target = `oai:${REPOSITORY_ID}:58-89`;
  const deletedAt = '2025-06-01T09:00:00Z';
  const writer = new Database(server.dbPath);
  setDeleted(writer, '58-89', true, deletedAt);
  writer.close();

  it('GetRecord shows a deleted header with the deletion datestamp and no metadata', async () => {
    const { doc, errors } = await oai(server.app, `verb=GetRecord&metadataPrefix=oai_dc&identifier=${encodeURIComponent(target)}`);
    expect(errors).toEqual([]);
    expect(texts(doc, '//oai:record/oai:header[@status="deleted"]/oai:identifier')).toEqual([target]);
    expect(texts(doc, '//oai:record/oai:header/oai:datestamp')).toEqual([deletedAt]);
    expect(nodes(doc, '//oai:record/oai:metadata')).toHaveLength(0);
  });

  it('ListRecords and ListIdentifiers carry the tombstone in datestamp order', async () => {
    const records = await oai(server.app, 'verb=ListRecords&metadataPrefix=oai_dc');
    expect(nodes(records.doc, '//oai:record')).toHaveLength(ALL);
    expect(nodes(records.doc, '//oai:record/oai:metadata')).toHaveLength(ALL - 1);
    expect(texts(records.doc, '//oai:record[last()]/oai:header[@status="deleted"]/oai:identifier')).toEqual([target]);
    const headers = await oai(server.app, `verb=ListIdentifiers&metadataPrefix=oai_dc&from=${deletedAt}`);
    expect(texts(headers.doc, '//oai:header[@status="deleted"]/oai:identifier')).toEqual([target]);
  });

  it('moves earliestDatestamp only if the tombstone is the oldest record', async () => {
    const { doc } = await oai(server.app, 'verb=Identify');
    expect(texts(doc, '//oai:earliestDatestamp')).toEqual(['2025-03-01T08:30:00Z']);
  });
});
