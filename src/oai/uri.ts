// RFC 3986 §3, as regular-expression pieces: identifiers are xs:anyURI, and a value that is not
// one must be refused, since echoing it in <request> would make the response schema-invalid.
const UNRESERVED = "A-Za-z0-9\\-._~";
const SUB_DELIMS = "!$&'()*+,;=";
const PCT = '%[0-9A-Fa-f]{2}';
const PCHAR = `(?:[${UNRESERVED}${SUB_DELIMS}:@]|${PCT})`;
const USERINFO = `(?:[${UNRESERVED}${SUB_DELIMS}:]|${PCT})*`;
const REG_NAME = `(?:[${UNRESERVED}${SUB_DELIMS}]|${PCT})*`;
const IP_LITERAL = '\\[(?:[0-9A-Fa-f:.]+|v[0-9A-Fa-f]+\\.[A-Za-z0-9\\-._~!$&\'()*+,;=:]+)\\]';
const AUTHORITY = `(?:${USERINFO}@)?(?:${IP_LITERAL}|${REG_NAME})(?::[0-9]*)?`;
const PATH_ABEMPTY = `(?:/${PCHAR}*)*`;
const PATH_ABSOLUTE = `/(?:${PCHAR}+(?:/${PCHAR}*)*)?`;
const PATH_ROOTLESS = `${PCHAR}+(?:/${PCHAR}*)*`;
const QUERY = `(?:${PCHAR}|[/?])*`;

const URI = new RegExp(
  `^[A-Za-z][A-Za-z0-9+.-]*:(?=.)(?://${AUTHORITY}${PATH_ABEMPTY}|${PATH_ABSOLUTE}|${PATH_ROOTLESS})?(?:\\?${QUERY})?(?:#${QUERY})?$`,
);

/** True for an absolute URI per RFC 3986 with something after its scheme (ASCII only, percent-escapes well formed). */
export function isUri(value: string): boolean {
  return URI.test(value);
}
