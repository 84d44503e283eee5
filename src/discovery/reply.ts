/** A channel's answer before HTTP: status, media type, headers and body. Routes only send it. */
export interface Reply {
  status: number;
  type: string;
  headers?: Readonly<Record<string, string>>;
  /** The body in pieces, text or UTF-8 bytes, or as one text. */
  body: Iterable<string | Uint8Array> | string;
}

/** Sitemaps and ResourceSync documents are XML in UTF-8. */
export const XML_TYPE = 'application/xml; charset=UTF-8';

/** A plain-text refusal: these URLs are read by machines, which need no page around it. */
export function plainReply(status: number, message: string): Reply {
  return { status, type: 'text/plain; charset=utf-8', body: `${message}\n` };
}
