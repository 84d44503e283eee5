import { describe, expect, it } from 'vitest';
import { jsonLdScript, scholarlyArticle } from '../../src/discovery/json-ld.js';
import { makeServer, PUBLIC_URL, REPOSITORY_ID, runAdmin } from '../support/app.js';
import { fetchBytes } from '../support/discovery.js';

// schema.org JSON-LD on the landing pages, as general search engines read it.

const server = makeServer();
const landing = (local: string) => `${PUBLIC_URL}/articles/${local}`;

/** The JSON-LD data blocks of a landing page, parsed. */
async function jsonLdOf(local: string): Promise<Array<Record<string, unknown>>> {
  const res = await fetchBytes(server.app, `/articles/${local}`);
  return [...res.text.matchAll(/<script type="application\/ld\+json">([^<]*)<\/script>/g)].map((m) => JSON.parse(m[1] ?? '') as Record<string, unknown>);
}

describe('the JSON-LD of a landing page', () => {
  it('is one ScholarlyArticle, with the record’s texts in each language that has them, tagged', async () => {
    const blocks = await jsonLdOf('58-39');
    expect(blocks).toHaveLength(1);
    const article = blocks[0]!;
    expect(article['@context']).toBe('https://schema.org');
    expect(article['@type']).toBe('ScholarlyArticle');
    expect(article['@id']).toBe(landing('58-39'));
    // The Persian title is confirmed; the English one is not known, so it is not there.
    const title = [{ '@value': 'مقایسه تطبیقی اتاق‌های فکر در تصمیم‌سازی اوباما و ترامپ در قبال ایران', '@language': 'fa' }];
    expect(article['headline']).toEqual(title);
    expect(article['name']).toEqual(title);
    const abstract = article['abstract'] as Array<{ '@language': string; '@value': string }>;
    expect(abstract.map((a) => a['@language'])).toEqual(['fa', 'en']);
    expect(abstract[0]?.['@value']).toMatch(/[\u0600-\u06FF]/);
    const keywords = article['keywords'] as Array<{ '@language': string }>;
    expect(new Set(keywords.map((k) => k['@language']))).toEqual(new Set(['fa', 'en']));
    expect(article['inLanguage']).toBe('fa');
    // Gregorian: the Solar Hijri date is display text only.
    expect(article['datePublished']).toBe('2022-09-22');
    expect([article['pageStart'], article['pageEnd']]).toEqual(['39', '65']);
  });

  it('names each author in both languages, with no identifier nobody gave', async () => {
    const [article] = await jsonLdOf('58-7');
    const authors = article!['author'] as Array<Record<string, unknown>>;
    expect(authors[0]).toEqual({
      '@type': 'Person',
      name: [
        { '@value': 'حبیب الله ابوالحسن شیرازی', '@language': 'fa' },
        { '@value': 'Habibollah Abolhasanshirazi', '@language': 'en' },
      ],
    });
    for (const author of authors) expect(author).not.toHaveProperty('sameAs');
  });

  it('places the article in its issue and journal, with no volume, ISSN or DOI that no source gives', async () => {
    const [article] = await jsonLdOf('58-7');
    expect(article!['isPartOf']).toEqual({
      '@type': 'PublicationIssue',
      issueNumber: '58',
      datePublished: '2022-09-22',
      isPartOf: { '@type': 'Periodical', name: [{ '@value': 'فصلنامه مطالعات روابط بین الملل', '@language': 'fa' }], url: 'https://prb.iauctb.ac.ir' },
    });
    expect(article!['identifier']).toEqual([{ '@type': 'PropertyValue', propertyID: 'OAI', value: `oai:${REPOSITORY_ID}:58-7` }]);
    expect(article).not.toHaveProperty('sameAs');
    expect(article).not.toHaveProperty('license');
  });

  it('adds the DOI, ISSN and licence once an admin has given them', async () => {
    const other = makeServer();
    // Test data: the seed gives none of these.
    runAdmin(other.dbPath, '2025-04-01T00:00:00Z', 'set', '58-7', 'doi', '10.1234/fixture-58-7');
    runAdmin(other.dbPath, '2025-04-01T00:00:00Z', 'journal', 'issn-online', '1234-5679');
    runAdmin(other.dbPath, '2025-04-01T00:00:00Z', 'journal', 'license', 'https://creativecommons.org/licenses/by/4.0/');
    const res = await fetchBytes(other.app, '/articles/58-7');
    const article = JSON.parse(/<script type="application\/ld\+json">([^<]*)<\/script>/.exec(res.text)?.[1] ?? '') as Record<string, unknown>;
    expect(article['sameAs']).toBe('https://doi.org/10.1234/fixture-58-7');
    expect(article['identifier']).toContainEqual({ '@type': 'PropertyValue', propertyID: 'DOI', value: '10.1234/fixture-58-7' });
    expect((article['isPartOf'] as { isPartOf: { issn: string[] } }).isPartOf.issn).toEqual(['1234-5679']);
    expect(article['license']).toBe('https://creativecommons.org/licenses/by/4.0/');
  });

  it('puts the issue in its volume when one is confirmed, and uses ORCID iDs as the authors’ ids', () => {
    // Fixture: the seed's record with a volume and an ORCID iD no source gives for it.
    const record = server.store.repository.getRecord('58-7')!;
    const [author, ...others] = record.authors;
    const fixture = { ...record, issue: { ...record.issue, volume: 15 }, authors: [{ ...author!, orcid: 'https://orcid.org/0000-0002-1825-0097' }, ...others] };
    const article = scholarlyArticle(fixture, { landingPage: landing('58-7'), oaiIdentifier: 'oai:x:58-7' });
    const issue = article['isPartOf'] as { isPartOf: Record<string, unknown> };
    expect(issue.isPartOf['@type']).toBe('PublicationVolume');
    expect(issue.isPartOf['volumeNumber']).toBe('15');
    expect((issue.isPartOf['isPartOf'] as Record<string, unknown>)['@type']).toBe('Periodical');
    const [first, second] = article['author'] as Array<Record<string, unknown>>;
    expect(first?.['@id']).toBe('https://orcid.org/0000-0002-1825-0097');
    expect(first?.['sameAs']).toBe('https://orcid.org/0000-0002-1825-0097');
    expect(second).not.toHaveProperty('@id');
  });

  it('escapes what could end the data block', () => {
    const text = jsonLdScript({ headline: '</script><script>alert(1)</script> & <!--' });
    expect(text).not.toMatch(/[<>&]/);
    expect(JSON.parse(text)).toEqual({ headline: '</script><script>alert(1)</script> & <!--' });
  });
});
