import { describe, expect, it, vi } from 'vitest';
import { makeServer, oai, runAdmin } from '../support/app.js';

vi.setConfig({ testTimeout: 120_000 });

const withoutDate = (xml: string) => xml.replace(/<responseDate>[^<]*<\/responseDate>/, '');

describe('answers kept between requests (Identify, ListMetadataFormats, ListSets)', () => {
  it('carry the responseDate of each request, and are otherwise the same bytes', async () => {
    const server = makeServer();
    for (const query of ['verb=Identify', 'verb=ListMetadataFormats', 'verb=ListSets']) {
      server.setNow(new Date('2025-09-01T10:00:00Z'));
      const first = await oai(server.app, query);
      server.setNow(new Date('2025-09-01T10:00:07Z'));
      const second = await oai(server.app, query);
      expect(first.text).toContain('<responseDate>2025-09-01T10:00:00Z</responseDate>');
      expect(second.text).toContain('<responseDate>2025-09-01T10:00:07Z</responseDate>');
      expect(withoutDate(second.text)).toBe(withoutDate(first.text));
    }
  });

  it('follow the store as soon as another process writes to it', async () => {
    const server = makeServer();
    const before = await oai(server.app, 'verb=ListSets');
    expect(before.text).not.toContain('<setSpec>rik</setSpec>');
    const identifyBefore = await oai(server.app, 'verb=Identify');
    runAdmin(server.dbPath, '2025-09-01T00:00:00Z', 'journal', 'add', 'rik', '--name-en', 'Rich Sample Quarterly');
    const after = await oai(server.app, 'verb=ListSets');
    expect(after.text).toContain('<setSpec>rik</setSpec>');
    // The same answer as one made afresh: the same request spelt otherwise is kept apart.
    const fresh = await oai(server.app, 'verb=%4CistSets');
    expect(withoutDate(after.text)).toBe(withoutDate(fresh.text));
    expect(withoutDate((await oai(server.app, 'verb=Identify')).text)).toBe(withoutDate(identifyBefore.text));
  });

});
