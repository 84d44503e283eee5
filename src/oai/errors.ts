/** The error codes of OAI-PMH 2.0 §3.6. */
export type OaiErrorCode =
  | 'badArgument'
  | 'badResumptionToken'
  | 'badVerb'
  | 'cannotDisseminateFormat'
  | 'idDoesNotExist'
  | 'noRecordsMatch'
  | 'noMetadataFormats'
  | 'noSetHierarchy';

/** One `<error>` element of a response: data, not an exception, so several can be collected. */
export interface OaiError {
  code: OaiErrorCode;
  message: string;
}

/** Builds an OaiError. */
export function oaiError(code: OaiErrorCode, message: string): OaiError {
  return { code, message };
}

/**
 * On badVerb and badArgument the `<request>` element must carry no attributes (§3.2): the
 * arguments were not understood, so none may be echoed.
 */
export function suppressesEcho(errors: readonly OaiError[]): boolean {
  return errors.some((e) => e.code === 'badVerb' || e.code === 'badArgument');
}
