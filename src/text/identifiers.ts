/**
 * Person and organisation identifiers, checked by their own check digits so that a typo is
 * refused on the way in rather than published: ORCID iDs (ISO 7064 MOD 11-2), ROR ids
 * (ISO 7064 MOD 97-10 over Crockford base 32) and Crossref Funder IDs (DOIs under 10.13039).
 */

const ORCID = /^(?:https?:\/\/orcid\.org\/)?(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])$/i;
const ROR = /^(?:https?:\/\/ror\.org\/)?(0[0-9a-hjkmnp-tv-z]{6}\d{2})$/i;
const FUNDER = /^(?:https?:\/\/(?:dx\.)?doi\.org\/)?(10\.13039\/\d+)$/i;
const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

/** The ORCID check character of the first 15 digits. */
function orcidCheck(digits: string): string {
  let total = 0;
  for (const d of digits) total = (total + Number(d)) * 2;
  const result = (12 - (total % 11)) % 11;
  return result === 10 ? 'X' : String(result);
}

/**
 * An ORCID iD in its canonical form, `https://orcid.org/0000-0002-1825-0097`, from that form, the
 * bare sixteen characters with or without hyphens; null when it is not one or its check fails.
 */
export function canonicalOrcid(value: string): string | null {
  const m = ORCID.exec(value.trim());
  if (!m) return null;
  const digits = `${m[1] ?? ''}${m[2] ?? ''}${m[3] ?? ''}${m[4] ?? ''}`.toUpperCase();
  if (orcidCheck(digits.slice(0, 15)) !== digits[15]) return null;
  return `https://orcid.org/${digits.slice(0, 4)}-${digits.slice(4, 8)}-${digits.slice(8, 12)}-${digits.slice(12)}`;
}

/** A ROR id as its URL, `https://ror.org/03yrm5c26`; null when it is not one or its checksum fails. */
export function canonicalRor(value: string): string | null {
  const id = ROR.exec(value.trim())?.[1]?.toLowerCase();
  if (id === undefined) return null;
  let n = 0n;
  for (const c of id.slice(0, 7)) n = n * 32n + BigInt(CROCKFORD.indexOf(c));
  const check = 98n - ((n * 100n) % 97n);
  return String(check).padStart(2, '0') === id.slice(7) ? `https://ror.org/${id}` : null;
}

/** A Crossref Funder ID as its DOI URL, `https://doi.org/10.13039/501100000780`; null when it is not one. */
export function canonicalFunderId(value: string): string | null {
  const doi = FUNDER.exec(value.trim())?.[1];
  return doi === undefined ? null : `https://doi.org/${doi}`;
}
