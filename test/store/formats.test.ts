import Database from 'better-sqlite3';
import { runCli } from '../../src/admin/run.js';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { oaiContext } from '../../src/context.js';
import { oaiDc } from '../../src/formats/oai-dc.js';
import { FORMATS, type MetadataFormat } from '../../src/formats/registry.js';
import { renderFragments, syncFormatVersions } from '../../src/store/formats.js';
import { nextDatestamp } from '../../src/store/import.js';
import { makeServer, oai, PUBLIC_URL, runAdmin, type TestServer } from '../support/app.js';
import { nodes, texts } from '../support/xml.js';
import { storeCodecs, storeFragment } from '../support/fragments.js';

// A format whose schema would require a title: only the titled records can be carried in it.
const { everyRecord: _every, ...dublinCore } = oaiDc;
const titled: MetadataFormat = {
  ...dublinCore,
  prefix: 'titled_dc',
  canDisseminate: (r) => r.text.fa.title !== null || r.text.en.title !== null,
};

function admin(server: TestServer, ...argv: string[]): string {
  return runAdmin(server.dbPath, '2025-07-01T00:00:00Z', ...argv);
}

/** A crosswalk fix: the same format, a new version, and one more element in its output. */
function fixed(format: MetadataFormat): MetadataFormat {
  return { ...format, version: format.version + 1, render: (r, c) => format.render(r, c).replace('</oai_dc:dc>', '<dc:rights>fixed</dc:rights></oai_dc:dc>') };
}

describe('format versions', () => {
  const stamp = (previous: string) => nextDatestamp(new Date('2025-09-09T09:09:09Z'), previous);
  const contextOf = (server: TestServer) => ({ publicUrl: server.config.publicUrl, repositoryIdentifier: server.config.repositoryIdentifier });

  it('re-stamps, once, the live records whose output a new version of a format changed', () => {
    const server = makeServer();
    const db = new Database(server.dbPath);
    expect(syncFormatVersions(db, [oaiDc], contextOf(server), stamp)).toEqual([]);
    // A version bump whose output is the same moves nothing: harvesters have nothing new to fetch.
    expect(syncFormatVersions(db, [{ ...oaiDc, version: 7 }], contextOf(server), stamp)).toEqual([{ prefix: 'oai_dc', from: oaiDc.version, to: 7, records: 0 }]);
    const restamps = syncFormatVersions(db, [fixed({ ...oaiDc, version: 7 })], contextOf(server), stamp);
    expect(restamps).toEqual([{ prefix: 'oai_dc', from: 7, to: 8, records: 8 }]);
    expect(db.prepare(`SELECT DISTINCT datestamp FROM article`).pluck().all()).toEqual(['2025-09-09T09:09:09Z']);
    expect(storeCodecs(db).prepare(`SELECT count(*) FROM fragment WHERE prefix = 'oai_dc' AND xml((SELECT h.head FROM fragment_head h WHERE h.id = fragment.head), deflated) LIKE '%<dc:rights>fixed</dc:rights>%'`).pluck().get()).toBe(8);
    expect(syncFormatVersions(db, [fixed({ ...oaiDc, version: 7 })], contextOf(server), stamp)).toEqual([]);
    db.close();
  });

  it('re-stamps only the records the format carries, and a new format none', () => {
    const server = makeServer();
    const db = new Database(server.dbPath);
    expect(syncFormatVersions(db, [titled], contextOf(server), stamp)).toEqual([]);
    const restamps = syncFormatVersions(db, [fixed(titled)], contextOf(server), stamp);
    expect(restamps).toEqual([{ prefix: 'titled_dc', from: titled.version, to: titled.version + 1, records: 2 }]);
    expect(db.prepare(`SELECT local_id FROM article WHERE datestamp = '2025-09-09T09:09:09Z' ORDER BY local_id`).pluck().all()).toEqual(['58-175', '58-39']);
    db.close();
  });
});

describe('a format that cannot disseminate every record', () => {
  const server = makeServer({ OAI_PAGE_SIZE_IDENTIFIERS: '1' });
  admin(server, 'delete', '58-89');
  const db = new Database(server.dbPath);
  renderFragments(db, [titled]);
  db.close();
  const app = createApp({ ...oaiContext(server.config, server.store), formats: new Map([[oaiDc.prefix, oaiDc], [titled.prefix, titled]]) });

  it('lists only the records it can carry, and the deleted ones, with a true completeListSize', async () => {
    const ids: string[] = [];
    let query = 'verb=ListIdentifiers&metadataPrefix=titled_dc';
    for (;;) {
      const page = await oai(app, query);
      expect(page.errors).toEqual([]);
      ids.push(...texts(page.doc, '//oai:header/oai:identifier'));
      const token = nodes(page.doc, '//oai:resumptionToken')[0];
      expect(token?.getAttribute('completeListSize')).toBe('3');
      if (!token || token.textContent === '') break;
      query = `verb=ListIdentifiers&resumptionToken=${encodeURIComponent(token.textContent ?? '')}`;
    }
    expect(ids.map((id) => id.split(':').at(-1)).sort()).toEqual(['58-175', '58-39', '58-89']);
  });

  it('says cannotDisseminateFormat for a record it cannot carry, and ListMetadataFormats leaves it out', async () => {
    const get = await oai(app, 'verb=GetRecord&metadataPrefix=titled_dc&identifier=oai:repo.example.org:58-7');
    expect(get.errors).toEqual(['cannotDisseminateFormat']);
    const formats = await oai(app, 'verb=ListMetadataFormats&identifier=oai:repo.example.org:58-7');
    expect(texts(formats.doc, '//oai:metadataPrefix')).toEqual(['oai_dc']);
    const titledFormats = await oai(app, 'verb=ListMetadataFormats&identifier=oai:repo.example.org:58-175');
    expect(texts(titledFormats.doc, '//oai:metadataPrefix')).toEqual(['oai_dc', 'titled_dc']);
  });
});

describe('the render context', () => {
  it('re-renders and re-stamps every record when PUBLIC_URL changes, since dc:identifier does', () => {
    const server = makeServer();
    const db = new Database(server.dbPath);
    const moved = { publicUrl: 'https://oai.example.net', repositoryIdentifier: server.config.repositoryIdentifier };
    const restamps = syncFormatVersions(db, FORMATS.values(), moved, (previous) => nextDatestamp(new Date('2025-10-10T10:10:10Z'), previous));
    expect(restamps).toEqual([{ prefix: '*', from: 0, to: 0, records: 8 }]);
    expect(storeCodecs(db).prepare(`SELECT count(*) FROM fragment WHERE prefix = 'oai_dc' AND xml((SELECT h.head FROM fragment_head h WHERE h.id = fragment.head), deflated) LIKE '%https://oai.example.net/articles/%'`).pluck().get()).toBe(8);
    db.close();
  });
});

describe('journal facts and the openaire set', () => {
  const server = makeServer();

  it('starts empty: nobody has said the articles are open access', async () => {
    const res = await oai(server.app, 'verb=ListIdentifiers&metadataPrefix=oai_dc&set=openaire');
    expect(res.errors).toEqual(['noRecordsMatch']);
  });

  it('holds every live record once an admin sets open access, and every record is re-stamped', async () => {
    expect(admin(server, 'journal', 'access-rights', 'open')).toBe('access-rights set; 8 records re-stamped');
    const res = await oai(server.app, 'verb=ListIdentifiers&metadataPrefix=oai_dc&set=openaire');
    expect(nodes(res.doc, '//oai:header')).toHaveLength(8);
    expect(texts(res.doc, '//oai:header[1]/oai:setSpec')).toContain('openaire');
    expect(texts(res.doc, '//oai:header/oai:datestamp')).toEqual(Array(8).fill('2025-07-01T00:00:00Z'));
    expect(admin(server, 'journal', 'access-rights', 'open')).toBe('access-rights unchanged');
    expect(admin(server, 'journal')).toContain('http://purl.org/coar/access_right/c_abf2');
  });

  it('drops a withdrawn record from the set, and refuses values that are not valid', () => {
    admin(server, 'delete', '58-7');
    const db = new Database(server.dbPath, { readonly: true });
    expect(db.prepare(`SELECT count(*) FROM set_member WHERE set_spec = 'openaire'`).pluck().get()).toBe(7);
    db.close();
    const refused = runCli(['journal', 'issn-print', '12345'], { env: { DATABASE_PATH: server.dbPath }, out: () => {}, err: () => {} });
    expect(refused).toBe(2);
  });
});

describe('Identify descriptions', () => {
  it('carries an eprints description from the configuration, URLs as URL and the rest as text', async () => {
    const server = makeServer({ EPRINTS_METADATA_POLICY: 'https://repo.example.org/policy/metadata', EPRINTS_DATA_POLICY: 'Full texts are on the journal site.' });
    const { text } = await oai(server.app, 'verb=Identify');
    expect(text).toContain('<metadataPolicy><URL>https://repo.example.org/policy/metadata</URL></metadataPolicy>');
    expect(text).toContain('<dataPolicy><text>Full texts are on the journal site.</text></dataPolicy>');
    expect(text).not.toContain('<content>');
  });

  it('states no policy that nobody configured', async () => {
    const server = makeServer();
    const { text } = await oai(server.app, 'verb=Identify');
    expect(text).toContain('<metadataPolicy/><dataPolicy/>');
  });

  it('carries a branding description whose collection icon this server serves', async () => {
    const server = makeServer();
    const { doc } = await oai(server.app, 'verb=Identify');
    const url = texts(doc, '//*[local-name()="collectionIcon"]/*[local-name()="url"]')[0]!;
    expect(url).toBe(`${PUBLIC_URL}/static/collection-icon.png`);
    const icon = await request(server.app).get('/static/collection-icon.png');
    expect(icon.status).toBe(200);
    expect(icon.headers['content-type']).toBe('image/png');
    const png = icon.body as Buffer;
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([88, 31]);
  });

  it('describes the repository as a whole, with the name and branding the configuration gives', async () => {
    const server = makeServer({
      REPOSITORY_NAME: 'Sample Publisher journals — OAI-PMH repository',
      BRANDING_ICON_URL: 'https://publisher.example.org/logo.png',
      BRANDING_LINK: 'https://publisher.example.org/',
      BRANDING_TITLE: 'Sample Publisher',
    });
    const { doc, text } = await oai(server.app, 'verb=Identify');
    expect(texts(doc, '//oai:repositoryName')).toEqual(['Sample Publisher journals — OAI-PMH repository']);
    const icon = (name: string) => texts(doc, `//*[local-name()="collectionIcon"]/*[local-name()="${name}"]`);
    expect([icon('url'), icon('link'), icon('title')]).toEqual([['https://publisher.example.org/logo.png'], ['https://publisher.example.org/'], ['Sample Publisher']]);
    // Nobody told us the size of another's icon.
    expect(text).not.toContain('<width>');
    expect(() => makeServer({ BRANDING_ICON_URL: 'logo.png' })).toThrow(/BRANDING_ICON_URL must be an http\(s\) URL/);
  });
});

describe('stored metadata', () => {
  it('is what requests serve: rendered when written, not per request', async () => {
    const server = makeServer();
    const db = new Database(server.dbPath);
    const stored = storeCodecs(db)
      .prepare<[], string>(`SELECT xml((SELECT h.head FROM fragment_head h WHERE h.id = f.head), f.deflated) FROM fragment f JOIN article a ON a.id = f.article_id WHERE f.prefix = 'oai_dc' AND a.local_id = '58-7'`)
      .pluck()
      .get()!;
    const articleId = db.prepare<[], number>(`SELECT id FROM article WHERE local_id = '58-7'`).pluck().get()!;
    storeFragment(db, 'oai_dc', articleId, stored.replace('</oai_dc:dc>', '<dc:rights>as stored</dc:rights></oai_dc:dc>'));
    db.close();
    const got = await oai(server.app, 'verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:repo.example.org:58-7');
    expect(texts(got.doc, '//dc:rights')).toEqual(['as stored']);
    const list = await oai(server.app, 'verb=ListRecords&metadataPrefix=oai_dc');
    expect(texts(list.doc, '//dc:rights')).toEqual(['as stored']);
  });

  it('is kept for every record in every format that can carry it, and none for a withdrawn record', () => {
    const server = makeServer();
    admin(server, 'delete', '58-89');
    const db = new Database(server.dbPath, { readonly: true });
    const counts = Object.fromEntries(db.prepare<[], { prefix: string; n: number }>('SELECT prefix, count(*) AS n FROM fragment GROUP BY prefix').all().map((r) => [r.prefix, r.n]));
    expect(counts).toMatchObject({ oai_dc: 7, marcxml: 7, mods: 7, oai_datacite: 2 });
    expect(db.prepare(`SELECT count(*) FROM fragment f JOIN article a ON a.id = f.article_id WHERE a.local_id = '58-89'`).pluck().get()).toBe(0);
    db.close();
  });
});
