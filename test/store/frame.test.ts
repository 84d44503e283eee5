import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FORMATS } from '../../src/formats/registry.js';
import { splitRoot, tailOf } from '../../src/store/frame.js';
import { FragmentHeads } from '../../src/store/heads.js';
import { makeServer } from '../support/app.js';

const split = (xml: string) => {
  const { head, body } = splitRoot(Buffer.from(xml, 'utf8'));
  return { head: head?.toString('utf8') ?? null, body: body.toString('utf8') };
};

describe("a record's metadata split for storage", () => {
  it('keeps the root start tag apart, and the end tag follows from it', () => {
    const xml = '<oai_dc:dc xmlns:oai_dc="urn:x" a=\'>\' b="/>"><dc:title xml:lang="fa">عنوان > ی</dc:title></oai_dc:dc>';
    expect(split(xml)).toEqual({ head: '<oai_dc:dc xmlns:oai_dc="urn:x" a=\'>\' b="/>">', body: '<dc:title xml:lang="fa">عنوان > ی</dc:title>' });
    expect(tailOf('<oai_dc:dc xmlns:oai_dc="urn:x">')).toBe('</oai_dc:dc>');
  });

  it('keeps whole what has no root with content to split off', () => {
    for (const xml of ['<empty a="1"/>', 'text', '<a>unclosed', '<a>x</b>', '<a>x</a> ', '']) expect(split(xml)).toEqual({ head: null, body: xml });
  });

  it('gives back the text it split, byte for byte', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ unit: 'grapheme' }), (attribute, content) => {
        const xml = Buffer.from(`<r a="${attribute.replace(/"/g, '')}">${content}</r>`, 'utf8');
        const { head, body } = splitRoot(xml);
        const tail = head === null ? '' : tailOf(head.toString('utf8'));
        expect(Buffer.concat([head ?? Buffer.alloc(0), body, Buffer.from(tail, 'utf8')]).equals(xml)).toBe(true);
      }),
    );
  });
});

describe('the shared heads of stored metadata', () => {
  it('are few: one per distinct root start tag, whatever the number of records', () => {
    const server = makeServer();
    const db = server.store.db;
    const heads = db.prepare<[], { head: string }>('SELECT head FROM fragment_head').all();
    expect(heads.length).toBeGreaterThanOrEqual(db.prepare<[], number>('SELECT count(DISTINCT prefix) FROM fragment').pluck().get() as number);
    expect(heads.length).toBeLessThanOrEqual(FORMATS.size * 4);
    expect(heads.length).toBeLessThan(db.prepare<[], number>('SELECT count(*) FROM fragment').pluck().get() as number);
    expect(db.prepare('SELECT count(*) FROM fragment WHERE head IS NULL').pluck().get()).toBe(0);
  });

  it('are read again when another connection wrote one this one has not seen', () => {
    const server = makeServer();
    const reader = new FragmentHeads(server.store.db);
    const other = new Database(server.dbPath);
    const id = new FragmentHeads(other).idOf('<late xmlns="urn:late">') as number;
    other.close();
    const framed = reader.framed({ head: id, deflated: Buffer.from([0x02, 0x00]), length: 0, crc32: 0, adler32: 1 });
    expect(framed.plain().toString('utf8')).toBe('<late xmlns="urn:late"></late>');
  });
});
