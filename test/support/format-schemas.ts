import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateXML } from 'xmllint-wasm';

// The official schemas of each metadata format, copied into test/schemas/formats (see its README).
const root = fileURLToPath(new URL('../schemas/formats/', import.meta.url));

/** Every .xsd below a folder of test/schemas/formats, named by its path relative to the entry's folder. */
function schemaSet(entry: string): { main: { fileName: string; contents: string }; preload: Array<{ fileName: string; contents: string }> } {
  const entryDir = path.dirname(path.join(root, entry));
  const base = path.join(root, entry.split('/')[0] ?? '');
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of fs.readdirSync(dir)) {
      const full = path.join(dir, name);
      if (fs.statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.xsd')) files.push(full);
    }
  };
  walk(base);
  const read = (file: string) => ({ fileName: path.relative(entryDir, file), contents: fs.readFileSync(file, 'utf8') });
  const main = path.join(root, entry);
  return { main: read(main), preload: files.filter((f) => f !== main).map(read) };
}

/** The schema each metadata prefix validates against. */
export const FORMAT_SCHEMAS: Record<string, string> = {
  marcxml: 'marcxml/MARC21slim.xsd',
  mods: 'mods/mods-3-7.xsd',
  jats: 'jats/1.3/JATS-journalpublishing1-3-mathml3.xsd',
  oai_openaire: 'openaire/4.0/openaire.xsd',
  oai_datacite: 'datacite/oai_datacite-with-kernel-4.xsd',
};

/** The namespace the provider gives JATS in OAI-PMH, where metadata must be namespace qualified. */
export const JATS_OAI_NAMESPACE = 'https://jats.nlm.nih.gov/ns/archiving/1.3/';

/** JATS as its official schema knows it: without the namespace OAI-PMH made us add. */
function officialForm(prefix: string, fragment: string): string {
  return prefix === 'jats' ? fragment.replace(` xmlns="${JATS_OAI_NAMESPACE}"`, '') : fragment;
}

/**
 * Validates metadata fragments against their format's official schema, all in one call: the schema
 * is compiled once for the batch, which matters for JATS (about ten seconds to compile).
 */
export async function validateFormat(prefix: string, fragments: string[]): Promise<void> {
  const entry = FORMAT_SCHEMAS[prefix];
  if (!entry) throw new Error(`no schema for ${prefix}`);
  if (fragments.length === 0) return;
  const { main, preload } = schemaSet(entry);
  const result = await validateXML({
    xml: fragments.map((contents, i) => ({
      fileName: `${prefix}-${i}.xml`,
      contents: `<?xml version="1.0" encoding="UTF-8"?>\n${officialForm(prefix, contents)}`,
    })),
    schema: [main],
    preload,
    maxMemoryPages: 16384,
  });
  const errors = result.errors.filter((e) => !/Schemas parser warning/.test(e.rawMessage));
  if (!result.valid || errors.length > 0) {
    throw new Error(`${prefix} is not schema-valid:\n${errors.map((e) => e.rawMessage).join('\n')}\n---\n${fragments[0]?.slice(0, 3000)}`);
  }
}

// What OAI-PMH.xsd must load to check a response's <metadata> strictly: the format's own schema, or
// for JATS the namespaced stand-in (its content is checked by validateFormat).
const ENVELOPE_ENTRIES: Record<string, Array<{ namespace: string; entry: string }>> = {
  marcxml: [{ namespace: 'http://www.loc.gov/MARC21/slim', entry: 'marcxml/MARC21slim.xsd' }],
  mods: [{ namespace: 'http://www.loc.gov/mods/v3', entry: 'mods/mods-3-7.xsd' }],
  jats: [{ namespace: JATS_OAI_NAMESPACE, entry: 'jats/jats-oai-envelope.xsd' }],
  oai_openaire: [{ namespace: 'http://namespace.openaire.eu/schema/oaire/', entry: 'openaire/4.0/openaire.xsd' }],
  oai_datacite: [
    { namespace: 'http://schema.datacite.org/oai/oai-1.1/', entry: 'datacite/oai-1.1/oai.xsd' },
    { namespace: 'http://datacite.org/schema/kernel-4', entry: 'datacite/kernel-4/metadata.xsd' },
  ],
};

/**
 * Validates a whole OAI-PMH response whose records are in `prefix`, against OAI-PMH.xsd with that
 * format's schema loaded, one format per check (OpenAIRE and DataCite define the same namespace).
 */
export async function validateOaiResponseIn(prefix: string, xml: string): Promise<void> {
  const entries = ENVELOPE_ENTRIES[prefix];
  if (!entries) throw new Error(`no envelope schemas for ${prefix}`);
  const schemasDir = path.join(root, '..');
  const files: Array<{ fileName: string; contents: string }> = [];
  const walk = (dir: string) => {
    for (const name of fs.readdirSync(dir)) {
      const full = path.join(dir, name);
      if (fs.statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.xsd')) files.push({ fileName: path.relative(schemasDir, full), contents: fs.readFileSync(full, 'utf8') });
    }
  };
  walk(schemasDir);
  const imports = [
    '<import namespace="http://www.openarchives.org/OAI/2.0/" schemaLocation="OAI-PMH.xsd"/>',
    ...entries.map((e) => `<import namespace="${e.namespace}" schemaLocation="formats/${e.entry}"/>`),
  ];
  const bundle = `<schema xmlns="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:x-local:bundle-${prefix}">${imports.join('')}</schema>`;
  const result = await validateXML({
    xml: [{ fileName: 'response.xml', contents: xml }],
    schema: [{ fileName: `bundle-${prefix}.xsd`, contents: bundle }],
    preload: files,
    maxMemoryPages: 16384,
  });
  const errors = result.errors.filter((e) => !/Schemas parser warning/.test(e.rawMessage));
  if (!result.valid || errors.length > 0) {
    throw new Error(`${prefix} response is not schema-valid:\n${errors.map((e) => e.rawMessage).join('\n')}\n---\n${xml.slice(0, 3000)}`);
  }
}
