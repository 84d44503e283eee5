/** `oai:<repositoryIdentifier>:<local id>`, the OAI identifier scheme's form. */
export function toOaiIdentifier(repositoryIdentifier: string, localId: string): string {
  return `oai:${repositoryIdentifier}:${localId}`;
}

/** The local id inside one of our identifiers, or null when it is not one of ours. */
export function toLocalId(repositoryIdentifier: string, identifier: string): string | null {
  const prefix = `oai:${repositoryIdentifier}:`;
  // Identifiers are compared as case-sensitive strings (§2.4).
  if (!identifier.startsWith(prefix)) return null;
  const local = identifier.slice(prefix.length);
  return local === '' ? null : local;
}
