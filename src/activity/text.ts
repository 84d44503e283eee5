import type { ActivityReport, HarvestCounts, HarvestSummary } from './report.js';

const n = (value: number) => value.toLocaleString('en');

function counts(c: HarvestCounts): string {
  return `${n(c.started)} started, ${n(c.finished)} finished, ${n(c.abandoned)} abandoned, ${n(c.inProgress)} in progress; ${n(c.incremental)} incremental, ${n(c.full)} full`;
}

function harvest(h: HarvestSummary): string {
  const list = `${h.verb} ${h.metadataPrefix ?? '-'}${h.set === null ? '' : ` set ${h.set}`}${h.from === null ? ' (full)' : ` from ${h.from} (incremental)`}`;
  const size = h.completeListSize === null ? '' : ` of ${n(h.completeListSize)}`;
  return `${list}, started ${h.startedAt}, last page ${h.lastAt}, ${n(h.pages)} pages, ${n(h.items)}${size} items: ${h.status}${h.seenFromStart ? '' : ' (first seen mid-list)'}`;
}

const named = (items: ReadonlyArray<[string, number]>) => (items.length === 0 ? 'none' : items.map(([name, count]) => `${name} ${n(count)}`).join(', '));

/** The activity report as lines of text, as `admin activity` prints it. */
export function reportLines(report: ActivityReport): string[] {
  const t = report.totals;
  const lines = [
    `Harvest activity, the last ${report.days} days: ${report.from} to ${report.to} (UTC), ${report.files} activity file${report.files === 1 ? '' : 's'}`,
    `requests ${n(t.requests)}, records sent ${n(t.records)}, headers sent ${n(t.headers)}, OAI errors ${n(t.oaiErrors)}, 503s ${n(t.busy)}, broken connections ${n(t.broken)}`,
    `harvests: ${counts(t.harvests)}`,
  ];
  for (const h of report.harvesters) {
    lines.push(
      '',
      `harvester "${h.userAgent}" from ${h.network}`,
      `  last seen ${h.lastSeen ?? 'unknown'}`,
      `  last harvest: ${h.lastHarvest === null ? 'none' : harvest(h.lastHarvest)}`,
      `  harvests: ${counts(h.harvests)}`,
      `  requests ${n(h.requests)}, records sent ${n(h.records)}, headers sent ${n(h.headers)}, 503s ${n(h.busy)}, broken connections ${n(h.broken)}`,
      `  OAI errors: ${named(h.errors.map((e) => [e.code, e.count]))}`,
      `  formats: ${named(h.formats.map((f) => [f.prefix, f.requests]))}`,
      `  sets: ${named(h.sets.map((s) => [s.spec, s.requests]))}`,
    );
  }
  lines.push('', 'day          requests   records');
  for (const d of report.daily) lines.push(`${d.day}  ${n(d.requests).padStart(9)} ${n(d.records).padStart(9)}`);
  lines.push('', 'Addresses are stored truncated: IPv4 to /24, IPv6 to /48.');
  return lines;
}
