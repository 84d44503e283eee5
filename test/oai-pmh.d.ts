// The harvester library ships no types; these cover what the harvest test uses.
declare module 'oai-pmh' {
  export class OaiPmh {
    constructor(baseUrl: string, options?: { retry?: boolean; userAgent?: string });
    identify(): Promise<Record<string, unknown>>;
    listMetadataFormats(options?: { identifier?: string }): Promise<unknown>;
    listRecords(options: Record<string, string>): AsyncIterable<Record<string, unknown>>;
    listIdentifiers(options: Record<string, string>): AsyncIterable<Record<string, unknown>>;
    listSets(): AsyncIterable<Record<string, unknown>>;
    getRecord(identifier: string, metadataPrefix: string): Promise<Record<string, unknown>>;
  }
  export class OaiPmhError extends Error {
    code?: string;
  }
}
