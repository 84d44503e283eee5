import { describe, expect, it } from 'vitest';
import { FORMATS } from '../../src/formats/registry.js';
import { BASE_URL, makeServer, oai, REPOSITORY_ID, SEEDED_AT } from '../support/app.js';
import { nodes, text, texts } from '../support/xml.js';

const server = makeServer();
const LOCAL_IDS = ['58-7', '58-39', '58-67', '58-89', '58-113', '58-141', '58-175', '58-197'];
const id = (local: string) => `oai:${REPOSITORY_ID}:${local}`;

describe('the envelope', () => {
  it('declares the OAI namespace and pairs it with OAI-PMH.xsd in xsi:schemaLocation', async () => {
    const { doc } = await oai(server.app, 'verb=Identify');
    const root = doc.documentElement!;
    expect(root.localName).toBe('OAI-PMH');
    expect(root.namespaceURI).toBe('http://www.openarchives.org/OAI/2.0/');
    expect(root.getAttributeNS('http://www.w3.org/2001/XMLSchema-instance', 'schemaLocation')).toBe(
      'http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd',
    );
  });

  it('gives responseDate to the second, in UTC', async () => {
    const { doc } = await oai(server.app, 'verb=Identify');
    expect(text(doc, '/oai:OAI-PMH/oai:responseDate')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });

  it('echoes the valid arguments in <request>, with the base URL as its text', async () => {
    const { doc } = await oai(server.app, `verb=GetRecord&metadataPrefix=oai_dc&identifier=${encodeURIComponent(id('58-7'))}`);
    const request = nodes(doc, '/oai:OAI-PMH/oai:request')[0]!;
    expect(request.textContent).toBe(BASE_URL);
    expect(request.getAttribute('verb')).toBe('GetRecord');
    expect(request.getAttribute('metadataPrefix')).toBe('oai_dc');
    expect(request.getAttribute('identifier')).toBe(id('58-7'));
  });
});

describe('Identify', () => {
  it('describes the repository as configured and as stored', async () => {
    const { doc, errors } = await oai(server.app, 'verb=Identify');
    expect(errors).toEqual([]);
    const at = (name: string) => texts(doc, `/oai:OAI-PMH/oai:Identify/oai:${name}`);
    expect(at('repositoryName')).toEqual([server.config.repositoryName]);
    expect(at('baseURL')).toEqual([BASE_URL]);
    expect(at('protocolVersion')).toEqual(['2.0']);
    expect(at('adminEmail')).toEqual(['oai-admin@example.org']);
    expect(at('earliestDatestamp')).toEqual([SEEDED_AT]);
    expect(at('deletedRecord')).toEqual(['persistent']);
    expect(at('granularity')).toEqual(['YYYY-MM-DDThh:mm:ssZ']);
    expect(at('compression')).toEqual(['gzip', 'deflate']);
  });

  it('carries an oai-identifier description whose sample identifier resolves', async () => {
    const { doc } = await oai(server.app, 'verb=Identify');
    const d = '/oai:OAI-PMH/oai:Identify/oai:description/id:oai-identifier';
    expect(text(doc, `${d}/id:scheme`)).toBe('oai');
    expect(text(doc, `${d}/id:repositoryIdentifier`)).toBe(REPOSITORY_ID);
    expect(text(doc, `${d}/id:delimiter`)).toBe(':');
    const sample = text(doc, `${d}/id:sampleIdentifier`);
    const got = await oai(server.app, `verb=GetRecord&metadataPrefix=oai_dc&identifier=${encodeURIComponent(sample)}`);
    expect(got.errors).toEqual([]);
  });

  it('takes its baseURL from PUBLIC_URL exactly', async () => {
    const other = makeServer({ PUBLIC_URL: 'https://oai.example.net/journal/' });
    const { doc } = await oai(other.app, 'verb=Identify');
    expect(text(doc, '/oai:OAI-PMH/oai:Identify/oai:baseURL')).toBe('https://oai.example.net/journal/oai');
    expect(text(doc, '/oai:OAI-PMH/oai:request')).toBe('https://oai.example.net/journal/oai');
  });
});

describe('ListMetadataFormats', () => {
  it('lists every registered format with its schema and namespace, oai_dc first', async () => {
    const { doc, errors } = await oai(server.app, 'verb=ListMetadataFormats');
    expect(errors).toEqual([]);
    const f = '/oai:OAI-PMH/oai:ListMetadataFormats/oai:metadataFormat';
    expect(texts(doc, `${f}/oai:metadataPrefix`)).toEqual([...FORMATS.keys()]);
    expect(texts(doc, `${f}[oai:metadataPrefix="oai_dc"]/oai:schema`)).toEqual(['http://www.openarchives.org/OAI/2.0/oai_dc.xsd']);
    expect(texts(doc, `${f}[oai:metadataPrefix="oai_dc"]/oai:metadataNamespace`)).toEqual(['http://www.openarchives.org/OAI/2.0/oai_dc/']);
    expect(texts(doc, `${f}/oai:schema`)).toEqual([...FORMATS.values()].map((x) => x.schema));
  });

  it('lists the formats of one item: those its record can be carried in', async () => {
    const { doc, errors } = await oai(server.app, `verb=ListMetadataFormats&identifier=${encodeURIComponent(id('58-39'))}`);
    expect(errors).toEqual([]);
    const record = server.store.repository.getRecord('58-39')!;
    expect(texts(doc, '//oai:metadataFormat/oai:metadataPrefix')).toEqual([...FORMATS.values()].filter((f) => f.canDisseminate(record)).map((f) => f.prefix));
    expect(nodes(doc, '/oai:OAI-PMH/oai:request')[0]!.getAttribute('identifier')).toBe(id('58-39'));
  });
});

describe('ListSets', () => {
  it('lists the hierarchical issue sets with names in both languages', async () => {
    const { doc, errors } = await oai(server.app, 'verb=ListSets');
    expect(errors).toEqual([]);
    expect(texts(doc, '//oai:set/oai:setSpec')).toEqual(['issue', 'issue:58', 'openaire', 'prb', 'prb:58']);
    const issue = '//oai:set[oai:setSpec="issue:58"]';
    expect(text(doc, `${issue}/oai:setName`)).toContain('Issue 58');
    const description = `${issue}/oai:setDescription/oai_dc:dc`;
    expect(text(doc, `${description}/dc:title[@xml:lang="fa"]`)).toBe('شماره 58 (تابستان 1401)');
    expect(text(doc, `${description}/dc:title[@xml:lang="en"]`)).toBe('Issue 58 (Summer 1401 SH, 2022)');
    expect(text(doc, `${description}/dc:description[@xml:lang="en"]`)).toContain('2022-09-22');
    expect(nodes(doc, '//oai:resumptionToken')).toHaveLength(0);
  });
});

describe('GetRecord', () => {
  it('returns the record with its header and oai_dc metadata', async () => {
    const { doc, errors } = await oai(server.app, `verb=GetRecord&metadataPrefix=oai_dc&identifier=${encodeURIComponent(id('58-175'))}`);
    expect(errors).toEqual([]);
    const header = '/oai:OAI-PMH/oai:GetRecord/oai:record/oai:header';
    expect(text(doc, `${header}/oai:identifier`)).toBe(id('58-175'));
    expect(text(doc, `${header}/oai:datestamp`)).toBe(SEEDED_AT);
    expect(texts(doc, `${header}/oai:setSpec`)).toEqual(['issue', 'issue:58', 'prb', 'prb:58']);
    expect(nodes(doc, `${header}[@status]`)).toHaveLength(0);
    expect(text(doc, '//oai_dc:dc/dc:title[@xml:lang="en"]')).toBe("Political Economy of China's New Silk Road And Iran's Interdependence");
  });
});

describe('ListIdentifiers and ListRecords', () => {
  it('ListIdentifiers returns the 8 headers in datestamp order, with no token when one page holds them', async () => {
    const { doc, errors } = await oai(server.app, 'verb=ListIdentifiers&metadataPrefix=oai_dc');
    expect(errors).toEqual([]);
    expect(texts(doc, '//oai:header/oai:identifier').sort()).toEqual(LOCAL_IDS.map(id).sort());
    expect(nodes(doc, '//oai:resumptionToken')).toHaveLength(0);
  });

  it('ListRecords returns all 8 records, each with metadata', async () => {
    const { doc, errors } = await oai(server.app, 'verb=ListRecords&metadataPrefix=oai_dc');
    expect(errors).toEqual([]);
    expect(nodes(doc, '//oai:record')).toHaveLength(8);
    expect(nodes(doc, '//oai:record/oai:metadata/oai_dc:dc')).toHaveLength(8);
  });

  it.each([
    ['set=issue', 8],
    ['set=issue:58', 8],
    ['from=2025-03-01', 8],
    ['until=2025-03-01', 8],
    ['from=2025-03-01&until=2025-03-01', 8],
    ['from=2025-03-01T08:30:00Z&until=2025-03-01T08:30:00Z', 8],
    ['from=2025-02-28T00:00:00Z&until=2025-03-01T08:30:00Z&set=issue:58', 8],
  ])('selective harvest %s returns %i records (bounds are inclusive)', async (args, count) => {
    const { doc, errors } = await oai(server.app, `verb=ListIdentifiers&metadataPrefix=oai_dc&${args}`);
    expect(errors).toEqual([]);
    expect(nodes(doc, '//oai:header')).toHaveLength(count);
  });

  it.each(['until=2025-02-28', 'from=2025-03-02', 'until=2025-03-01T08:29:59Z', 'from=2025-03-01T08:30:01Z'])(
    'selective harvest %s matches nothing',
    async (args) => {
      const { errors } = await oai(server.app, `verb=ListRecords&metadataPrefix=oai_dc&${args}`);
      expect(errors).toEqual(['noRecordsMatch']);
    },
  );
});
