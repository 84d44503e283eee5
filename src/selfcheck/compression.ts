import type { Documents } from './documents.js';
import { fail, pass, warning, type Finding } from './finding.js';
import type { IdentifyFacts } from './identify.js';
import type { OaiClient } from './oai-client.js';

/**
 * gzip as harvesters use it: asked with `Accept-Encoding: gzip`, Identify comes back with
 * `Content-Encoding: gzip` and decompresses to OAI-PMH XML (fetch decompresses it, and refuses a
 * broken stream; the XML is validated with the rest), and Identify lists `<compression>gzip`.
 */
export async function checkCompression(client: OaiClient, docs: Documents, identify: IdentifyFacts): Promise<Finding> {
  const answer = await client.get([['verb', 'Identify']], { 'Accept-Encoding': 'gzip' });
  if (answer.page === null || answer.http === null) {
    return fail('compression', `Identify with Accept-Encoding: gzip: ${answer.problem ?? 'no answer'}`, 'Make the gzip-compressed answer decompress to the same XML (a proxy may be compressing twice or cutting it short).');
  }
  docs.add('Identify', `${answer.url} (gzip)`, null, answer.http.body, 0);
  const encoding = (answer.http.headers.get('Content-Encoding') ?? '').trim().toLowerCase();
  const listed = identify.compression.includes('gzip');
  if (encoding === 'gzip' && listed) return pass('compression', 'Accept-Encoding: gzip gets Content-Encoding: gzip, the body decompresses to OAI-PMH XML, and Identify lists gzip');
  if (encoding === 'gzip') return warning('compression', 'answers are gzip-compressed on request, but Identify does not list <compression>gzip</compression>', 'List gzip in Identify, so harvesters know to ask for it.');
  const got = encoding === '' ? 'an uncompressed answer' : `Content-Encoding: ${encoding}`;
  if (listed) {
    return fail('compression', `Identify lists gzip, but Accept-Encoding: gzip got ${got}`, 'Make sure nothing between harvesters and the server strips the compression (a proxy), or stop listing gzip.');
  }
  return warning('compression', `Accept-Encoding: gzip got ${got}, and Identify lists no compression`, 'Serve gzip on request and list it in Identify: harvests then move a fraction of the bytes.');
}
