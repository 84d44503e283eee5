import type { OaiContext } from '../context.js';
import { formatDatestamp } from '../datestamp.js';
import { toOaiIdentifier } from '../identifiers.js';
import type { VerbResult } from '../result.js';

/** Identify (§4.2): who this repository is, and how it is harvested. */
export function identify(ctx: OaiContext): VerbResult {
  const { settings, repository } = ctx;
  const sample = repository.sampleLocalId();
  return {
    verb: 'Identify',
    repositoryName: settings.repositoryName,
    baseUrl: settings.baseUrl,
    // An empty repository has no records yet; its earliest datestamp is "now".
    earliestDatestamp: repository.earliestDatestamp() ?? formatDatestamp(ctx.now()),
    adminEmails: settings.adminEmails,
    compression: settings.compression,
    // The description promises a sample that resolves, so it is left out until one exists.
    eprints: settings.eprints,
    // By default the icon is served by this server (src/pages/assets.ts), at the size the branding
    // guidelines suggest; a publisher's own icon comes from the configuration.
    branding: {
      iconUrl: settings.branding.iconUrl ?? `${settings.publicUrl}/static/collection-icon.png`,
      link: settings.branding.link ?? settings.publicUrl,
      title: settings.branding.title ?? settings.repositoryName,
      ...(settings.branding.iconUrl === undefined ? { width: 88, height: 31 } : {}),
    },
    oaiIdentifier:
      sample === null
        ? null
        : {
            repositoryIdentifier: settings.repositoryIdentifier,
            sampleIdentifier: toOaiIdentifier(settings.repositoryIdentifier, sample),
          },
  };
}
