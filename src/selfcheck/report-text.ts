import type { SelfCheckReport, Status } from './finding.js';

const LABEL: Record<Status, string> = { pass: 'pass', warning: 'WARNING', fail: 'FAIL' };

/** The report as text: one line per finding (status, check, what was found, how to fix it), then a summary. */
export function reportLines(report: SelfCheckReport): string[] {
  const width = Math.max(...report.findings.map((f) => f.check.length), 0);
  const lines = report.findings.map((f) => `${LABEL[f.status].padEnd(7)} ${f.check.padEnd(width)}  ${f.fix === null ? f.message : `${f.message.replace(/\.$/, '')}. Fix: ${f.fix}`}`);
  const { pass, warning, fail } = report.counts;
  lines.push(`${report.url}: ${pass} passed, ${warning} warning${warning === 1 ? '' : 's'}, ${fail} failed, in ${(report.durationMs / 1000).toFixed(1)} s`);
  return lines;
}
