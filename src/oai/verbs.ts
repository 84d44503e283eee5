/** The six verbs of OAI-PMH 2.0. */
export type Verb = 'GetRecord' | 'Identify' | 'ListIdentifiers' | 'ListMetadataFormats' | 'ListRecords' | 'ListSets';

/** The arguments a verb may take, besides `verb` itself. */
export type Argument = 'identifier' | 'metadataPrefix' | 'from' | 'until' | 'set' | 'resumptionToken';

/** What §4 allows for one verb. */
export interface VerbSpec {
  required: readonly Argument[];
  optional: readonly Argument[];
  /** An argument that must stand alone when given (the resumptionToken). */
  exclusive: Argument | null;
}

/** §4, as a table: argument validation is driven by this and nothing else. */
export const VERBS: Readonly<Record<Verb, VerbSpec>> = {
  GetRecord: { required: ['identifier', 'metadataPrefix'], optional: [], exclusive: null },
  Identify: { required: [], optional: [], exclusive: null },
  ListIdentifiers: { required: ['metadataPrefix'], optional: ['from', 'until', 'set'], exclusive: 'resumptionToken' },
  ListMetadataFormats: { required: [], optional: ['identifier'], exclusive: null },
  ListRecords: { required: ['metadataPrefix'], optional: ['from', 'until', 'set'], exclusive: 'resumptionToken' },
  ListSets: { required: [], optional: [], exclusive: 'resumptionToken' },
};

/** Narrows a string to a Verb. */
export function isVerb(value: string): value is Verb {
  return Object.hasOwn(VERBS, value);
}
