import { describe, expect, it } from 'vitest';
import { canonicalFunderId, canonicalOrcid, canonicalRor } from '../../src/text/identifiers.js';

// ORCID's own documented sample iD (Josiah Carberry, a fictitious person) and ROR ids whose
// checksums are worked out here: fixtures for the check digits, not claims about real people.
describe('identifier check digits', () => {
  it('accepts an ORCID iD in any usual form, and gives its canonical URL', () => {
    for (const form of ['0000-0002-1825-0097', '0000000218250097', 'https://orcid.org/0000-0002-1825-0097', 'http://orcid.org/0000-0002-1825-0097']) {
      expect(canonicalOrcid(form)).toBe('https://orcid.org/0000-0002-1825-0097');
    }
    expect(canonicalOrcid('0000-0002-1694-233x')).toBe('https://orcid.org/0000-0002-1694-233X');
  });

  it('refuses an ORCID iD whose check digit is wrong, or that is no iD', () => {
    expect(canonicalOrcid('0000-0002-1825-0096')).toBeNull();
    expect(canonicalOrcid('0000-0002-1825')).toBeNull();
    expect(canonicalOrcid('https://example.org/0000-0002-1825-0097')).toBeNull();
  });

  it('checks a ROR id by its MOD 97-10 checksum', () => {
    expect(canonicalRor('03yrm5c26')).toBe('https://ror.org/03yrm5c26');
    expect(canonicalRor('https://ror.org/05GQ02987')).toBe('https://ror.org/05gq02987');
    expect(canonicalRor('03yrm5c27')).toBeNull();
    expect(canonicalRor('13yrm5c26')).toBeNull();
    expect(canonicalRor('03yrm5i26')).toBeNull();
  });

  it('takes a Crossref Funder ID as a DOI under 10.13039', () => {
    expect(canonicalFunderId('10.13039/501100000780')).toBe('https://doi.org/10.13039/501100000780');
    expect(canonicalFunderId('https://doi.org/10.13039/100000001')).toBe('https://doi.org/10.13039/100000001');
    expect(canonicalFunderId('10.5555/12345')).toBeNull();
  });
});
