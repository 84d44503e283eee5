import fs from 'node:fs';
import { validateXML } from 'xmllint-wasm';

// The official schemas, copied into test/schemas (see its README for where each comes from).
const dir = new URL('../schemas/', import.meta.url);
const read = (name: string) => ({ fileName: name, contents: fs.readFileSync(new URL(name, dir), 'utf8') });
const DEPENDENCIES = ['OAI-PMH.xsd', 'oai_dc.xsd', 'simpledc20021212.xsd', 'xml.xsd', 'oai-identifier.xsd', 'friends.xsd', 'branding.xsd', 'provenance.xsd', 'eprints.xsd'].map(read);
const BUNDLE = read('oai-pmh-bundle.xsd');
const OAI_DC = read('oai_dc.xsd');

async function validate(xml: string, schema: { fileName: string; contents: string }, what: string): Promise<void> {
  const result = await validateXML({
    xml: [{ fileName: `${what}.xml`, contents: xml }],
    schema: [schema],
    preload: DEPENDENCIES.filter((d) => d.fileName !== schema.fileName),
    maxMemoryPages: 4096,
  });
  if (!result.valid) {
    throw new Error(`${what} is not schema-valid:\n${result.errors.map((e) => e.rawMessage).join('\n')}\n---\n${xml.slice(0, 2000)}`);
  }
}

/**
 * Validates a whole response against OAI-PMH.xsd, with the oai_dc and Identify description
 * schemas loaded, since OAI-PMH.xsd checks `<metadata>` and `<description>` content strictly.
 */
export function validateOaiResponse(xml: string): Promise<void> {
  return validate(xml, BUNDLE, 'response');
}

/**
 * Validates whole responses as validateOaiResponse does, all in one run of the validator, which
 * reads the schemas once: the pages of a harvest, at a fraction of the cost of one run each.
 */
export async function validateOaiResponses(xmls: readonly string[]): Promise<void> {
  if (xmls.length === 0) return;
  const name = (i: number) => `response-${i + 1}.xml`;
  const result = await validateXML({
    xml: xmls.map((contents, i) => ({ fileName: name(i), contents })),
    schema: [BUNDLE],
    preload: DEPENDENCIES,
    maxMemoryPages: 16384,
  });
  if (!result.valid) {
    const first = result.errors[0]?.loc?.fileName;
    const page = first === undefined ? -1 : Number(/response-(\d+)\.xml/.exec(first)?.[1] ?? 0) - 1;
    throw new Error(`responses are not schema-valid:\n${result.errors.map((e) => e.rawMessage).join('\n')}\n---\n${(xmls[page] ?? '').slice(0, 2000)}`);
  }
}

/** Validates one `oai_dc:dc` element, as its own document, against oai_dc.xsd. */
export function validateOaiDc(xml: string): Promise<void> {
  return validate(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}`, OAI_DC, 'oai_dc record');
}
