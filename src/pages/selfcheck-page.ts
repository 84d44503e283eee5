import type { SelfCheckReport, Status } from '../selfcheck/finding.js';
import { href, html, page, type Layout } from './html.js';
import { formatNumber } from './i18n/locale.js';

/** What the self-check page shows: the URL it checks, and the report once a run is done. */
export interface SelfCheckView {
  /** The OAI base URL the checks run against ($PUBLIC_URL/oai). */
  target: string;
  report: SelfCheckReport | null;
  /** True when the request was refused because another run is in progress. */
  busy: boolean;
}

// The stylesheet's existing classes: red for a failure, the warning colour for a warning.
const CELL_CLASS: Record<Status, string> = { pass: 'muted', warning: 'missing', fail: 'problem' };

/**
 * `/selfcheck`: a button that runs the checks (a plain POST form: the CSP allows no script), and
 * after a run, one row per finding with its result and how to fix it. The findings themselves
 * are in English, as validators word them; the page around them is in the page's language.
 */
export function selfCheckPage(layout: Layout, view: SelfCheckView): string {
  const { report } = view;
  const s = layout.t.selfcheck;
  const num = (n: number) => formatNumber(layout.lang, n);
  return page(
    layout,
    s.title,
    html`<h1>${s.title}</h1>
<p>${s.intro} <code dir="ltr">npm run admin -- selfcheck</code></p>
<p>${s.target}: <code>${view.target}</code></p>
${view.busy ? html`<div class="error-box" role="alert"><p>${s.busy}</p></div>` : ''}
<form method="post" action="${href(layout, '/selfcheck')}"><button type="submit">${report === null ? s.run : s.again}</button></form>
${
  report === null
    ? ''
    : html`<h2>${s.report}</h2>
<p>${s.summary(report.counts, num, (report.durationMs / 1000).toLocaleString(layout.lang === 'fa' ? 'fa-IR' : 'en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 }), report.startedAt)}</p>
<p class="muted">${s.inEnglish}</p>
<table class="selfcheck"><thead><tr><th>${s.result}</th><th>${s.check}</th><th>${s.finding}</th><th>${s.fix}</th></tr></thead><tbody>
${report.findings.map(
  (f) => html`<tr class="${`selfcheck-${f.status}`}" data-status="${f.status}"><td class="${CELL_CLASS[f.status]}">${s.status[f.status]}</td><td><code>${f.check}</code></td><td lang="en" dir="ltr">${f.message}</td><td lang="en" dir="ltr">${f.fix ?? ''}</td></tr>\n`,
)}
</tbody></table>`
}`,
  );
}
