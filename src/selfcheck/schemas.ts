import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../paths.js';

/**
 * The official schemas the self-check validates against: the same files the tests use, shipped
 * with the package in test/schemas/ (the Dockerfile copies that folder), so there is one copy.
 */
export const SCHEMAS_DIR = path.join(projectRoot, 'test', 'schemas');

/** A schema file as xmllint-wasm takes it: its path relative to the schemas folder, and its text. */
export interface SchemaFile {
  fileName: string;
  contents: string;
}

/** What validates a response that carries no records, or oai_dc ones: OAI-PMH.xsd with oai_dc and Identify's descriptions. */
export const BASE_SCHEMA = 'oai-pmh-bundle.xsd';

/**
 * Every .xsd below the folder, named by its path relative to it (imports are relative, so the
 * folder's shape must be kept). The sitemap schemas are left out: no OAI response uses them.
 */
export function loadSchemaFiles(dir: string = SCHEMAS_DIR): SchemaFile[] {
  const files: SchemaFile[] = [];
  const walk = (folder: string): void => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory() && entry.name !== 'sitemaps') walk(full);
      else if (entry.isFile() && entry.name.endsWith('.xsd')) {
        files.push({ fileName: path.relative(dir, full).split(path.sep).join('/'), contents: fs.readFileSync(full, 'utf8') });
      }
    }
  };
  walk(dir);
  if (!files.some((f) => f.fileName === BASE_SCHEMA)) throw new Error(`no ${BASE_SCHEMA} in ${dir}`);
  return files;
}

/** How one metadata format's records are validated. */
export interface FormatSchemas {
  /** The schemas, for messages. */
  label: string;
  /** What OAI-PMH.xsd must have loaded to check the records strictly, by namespace. */
  imports: ReadonlyArray<{ namespace: string; location: string }>;
  /**
   * For a format whose official schema has no namespace (JATS, which OAI-PMH makes us put in one):
   * `imports` only stands in for the envelope, and the content is checked on its own, without it.
   */
  content?: { location: string; namespace: string };
}

const JATS_NS = 'https://jats.nlm.nih.gov/ns/archiving/1.3/';

/** The schemas of each format this package serves, by the namespace ListMetadataFormats gives. */
export const FORMAT_SCHEMAS: ReadonlyMap<string, FormatSchemas> = new Map<string, FormatSchemas>([
  ['http://www.openarchives.org/OAI/2.0/oai_dc/', { label: 'oai_dc.xsd', imports: [{ namespace: 'http://www.openarchives.org/OAI/2.0/oai_dc/', location: 'oai_dc.xsd' }] }],
  ['http://www.loc.gov/MARC21/slim', { label: 'MARC21slim.xsd', imports: [{ namespace: 'http://www.loc.gov/MARC21/slim', location: 'formats/marcxml/MARC21slim.xsd' }] }],
  ['http://www.loc.gov/mods/v3', { label: 'MODS 3.7', imports: [{ namespace: 'http://www.loc.gov/mods/v3', location: 'formats/mods/mods-3-7.xsd' }] }],
  [
    JATS_NS,
    {
      label: 'JATS 1.3 Journal Publishing',
      imports: [{ namespace: JATS_NS, location: 'formats/jats/jats-oai-envelope.xsd' }],
      content: { location: 'formats/jats/1.3/JATS-journalpublishing1-3-mathml3.xsd', namespace: JATS_NS },
    },
  ],
  ['http://namespace.openaire.eu/schema/oaire/', { label: 'OpenAIRE 4.0', imports: [{ namespace: 'http://namespace.openaire.eu/schema/oaire/', location: 'formats/openaire/4.0/openaire.xsd' }] }],
  [
    'http://schema.datacite.org/oai/oai-1.1/',
    {
      label: 'DataCite OAI 1.1 and kernel 4',
      imports: [
        { namespace: 'http://schema.datacite.org/oai/oai-1.1/', location: 'formats/datacite/oai-1.1/oai.xsd' },
        { namespace: 'http://datacite.org/schema/kernel-4', location: 'formats/datacite/kernel-4/metadata.xsd' },
      ],
    },
  ],
]);

/** A schema that loads OAI-PMH.xsd with a format's schemas, so a response's records are checked strictly. */
export function envelopeSchema(format: FormatSchemas): SchemaFile {
  const imports = [{ namespace: 'http://www.openarchives.org/OAI/2.0/', location: 'OAI-PMH.xsd' }, ...format.imports]
    .map((i) => `<import namespace="${i.namespace}" schemaLocation="${i.location}"/>`)
    .join('');
  return {
    fileName: 'selfcheck-envelope.xsd',
    contents: `<schema xmlns="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:x-local:selfcheck-envelope">${imports}</schema>`,
  };
}
