import { xmlElement, type XmlElement } from './xml.js';
import type { ArticleRecord, Lang } from '../model.js';
import { stripXmlIllegal } from '../text/normalize.js';
import { issueCitation, landingPageUrl } from './citation.js';
import type { FormatContext, MetadataFormat } from './registry.js';
import { recordLicense } from './shared.js';

const OAI_DC = 'http://www.openarchives.org/OAI/2.0/oai_dc/';
const OAI_DC_XSD = 'http://www.openarchives.org/OAI/2.0/oai_dc.xsd';
const DC = 'http://purl.org/dc/elements/1.1/';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const LANGS: readonly Lang[] = ['fa', 'en'];

function add(dc: XmlElement, element: string, value: string | null, lang?: Lang): void {
  if (value === null || value === '') return;
  dc.ele(`dc:${element}`, lang ? { 'xml:lang': lang } : {}).txt(stripXmlIllegal(value));
}

/** Unqualified Dublin Core, both languages side by side, each value tagged with its language. */
function render(record: ArticleRecord, context: FormatContext): string {
  const dc = xmlElement('oai_dc:dc', {
    'xmlns:oai_dc': OAI_DC,
    'xmlns:dc': DC,
    'xmlns:xsi': XSI,
    'xsi:schemaLocation': `${OAI_DC} ${OAI_DC_XSD}`,
  });
  for (const lang of LANGS) add(dc, 'title', record.text[lang].title, lang);
  for (const lang of LANGS) {
    for (const author of record.authors) add(dc, 'creator', lang === 'fa' ? author.nameFa : author.nameEn, lang);
  }
  for (const lang of LANGS) for (const keyword of record.keywords[lang]) add(dc, 'subject', keyword, lang);
  for (const lang of LANGS) add(dc, 'description', record.text[lang].abstract, lang);
  add(dc, 'publisher', record.journal.publisherFa ?? record.journal.nameFa, 'fa');
  add(dc, 'publisher', record.journal.publisherEn ?? record.journal.nameEn, 'en');
  add(dc, 'date', record.issue.datePublished);
  add(dc, 'type', 'info:eu-repo/semantics/article');
  add(dc, 'type', 'info:eu-repo/semantics/publishedVersion');
  add(dc, 'type', 'Text');
  add(dc, 'identifier', landingPageUrl(context.publicUrl, record.localId));
  if (record.doi) add(dc, 'identifier', `https://doi.org/${record.doi}`);
  for (const lang of LANGS) add(dc, 'source', issueCitation(record, lang), lang);
  add(dc, 'language', record.language);
  // Where the full text is, and the licence's URL, when somebody gave them. ORCID iDs stay in the
  // richer formats: a URL inside dc:creator is a convention many harvesters would show as a name.
  for (const file of record.details.fullText) add(dc, 'relation', file.url);
  add(dc, 'rights', recordLicense(record));
  return dc.end();
}

/** `oai_dc`, the format every OAI-PMH repository must serve (§5). */
export const oaiDc: MetadataFormat = {
  prefix: 'oai_dc',
  namespace: OAI_DC,
  schema: OAI_DC_XSD,
  mediaType: 'application/xml',
  version: 2,
  // Every field is optional in oai_dc, so every record can be disseminated.
  everyRecord: true,
  canDisseminate: () => true,
  render,
};
