import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { FORMATS } from '../../src/formats/registry.js';
import { makeServer, oai, REPOSITORY_ID, runAdmin, type TestServer } from '../support/app.js';
import { nodes, texts } from '../support/xml.js';

// JATS's schema takes about ten seconds to compile, once per response that carries JATS records.
vi.setConfig({ testTimeout: 180_000 });

function admin(server: TestServer, ...argv: string[]): void {
  runAdmin(server.dbPath, '2025-07-01T00:00:00Z', ...argv);
}

/** Follows resumption tokens to the end; every response is checked against OAI-PMH.xsd and the format's schema. */
async function harvest(server: TestServer, prefix: string): Promise<{ live: string[]; deleted: string[]; errors: string[] }> {
  const live: string[] = [];
  const deleted: string[] = [];
  let query = `verb=ListRecords&metadataPrefix=${prefix}`;
  for (;;) {
    const page = await oai(server.app, query);
    if (page.errors.length > 0) return { live, deleted, errors: page.errors };
    live.push(...texts(page.doc, '//oai:record[oai:metadata]/oai:header/oai:identifier'));
    deleted.push(...texts(page.doc, '//oai:record/oai:header[@status="deleted"]/oai:identifier'));
    const token = nodes(page.doc, '//oai:resumptionToken')[0]?.textContent ?? '';
    if (token === '') return { live, deleted, errors: [] };
    query = `verb=ListRecords&resumptionToken=${encodeURIComponent(token)}`;
  }
}

const id = (local: string) => `oai:${REPOSITORY_ID}:${local}`;

describe('a full harvest in every format, as the seed stands', () => {
  const server = makeServer({ OAI_PAGE_SIZE_RECORDS: '3' });

  it.each([...FORMATS.keys()])('%s: every record the format can carry, each valid against its schema', async (prefix) => {
    const format = FORMATS.get(prefix)!;
    const expected = ['58-7', '58-39', '58-67', '58-89', '58-113', '58-141', '58-175', '58-197']
      .filter((local) => format.canDisseminate(server.store.repository.getRecord(local)!))
      .map(id);
    const result = await harvest(server, prefix);
    if (expected.length === 0) {
      // JATS needs an ISSN and OpenAIRE access rights: nobody has given them, so nothing is invented.
      expect(result.errors).toEqual(['noRecordsMatch']);
    } else {
      expect(result.errors).toEqual([]);
      expect(result.live.sort()).toEqual(expected.sort());
    }
  });
});

describe('a full harvest in every format, once an admin has given the journal facts', () => {
  const server = makeServer({ OAI_PAGE_SIZE_RECORDS: '3' });
  admin(server, 'journal', 'access-rights', 'open');
  // Test data: the seed knows no ISSN, and JATS Journal Publishing requires one.
  admin(server, 'journal', 'issn-print', '1234-5679');
  admin(server, 'journal', 'license', 'https://creativecommons.org/licenses/by/4.0/');
  admin(server, 'delete', '58-89');

  it.each([...FORMATS.keys()])('%s: the titled records at least, and the tombstone, all schema-valid', async (prefix) => {
    const result = await harvest(server, prefix);
    expect(result.errors).toEqual([]);
    expect(result.live).toEqual(expect.arrayContaining([id('58-39'), id('58-175')]));
    expect(result.deleted).toEqual([id('58-89')]);
    const everyRecord = FORMATS.get(prefix)!.everyRecord === true;
    expect(result.live).toHaveLength(everyRecord ? 7 : 2);
  });

  it('serves the openaire set in oai_openaire', async () => {
    const page = await oai(server.app, 'verb=ListIdentifiers&metadataPrefix=oai_openaire&set=openaire');
    expect(texts(page.doc, '//oai:header[not(@status)]/oai:identifier').sort()).toEqual([id('58-175'), id('58-39')]);
  });

  it('lists the six formats, and the landing page links GetRecord in each one the record has', async () => {
    const formats = await oai(server.app, 'verb=ListMetadataFormats');
    expect(texts(formats.doc, '//oai:metadataPrefix')).toEqual(['oai_dc', 'marcxml', 'mods', 'jats', 'oai_openaire', 'oai_datacite']);
    const landing = await request(server.app).get('/articles/58-175');
    for (const prefix of FORMATS.keys()) {
      expect(landing.text).toContain(`metadataPrefix=${prefix}&amp;identifier=`);
      expect(landing.text).toContain(`<summary><code>${prefix}</code></summary>`);
    }
  });
});
