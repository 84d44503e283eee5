import { html, type Html } from './html.js';

/** One series of the chart: a value per day. */
export interface ChartSeries {
  label: string;
  /** Said after a bar's number in its tooltip: "requests", "records". */
  unit: string;
  colour: string;
  values: readonly number[];
}

const WIDTH = 720;
const PANEL = 120;
const GAP = 46;
const LEFT = 56;
const RIGHT = 8;
const TOP = 22;

/** A round number at or above `max`, so that the axis reads 0 … 50, 0 … 2,000. */
function niceCeiling(max: number): number {
  if (max <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  const step = [1, 2, 5, 10].find((s) => s * magnitude >= max) ?? 10;
  return step * magnitude;
}

const number = (n: number) => n.toLocaleString('en');
const at = (n: number) => Math.round(n * 10) / 10;

/**
 * A bar chart per series, one bar a day, stacked in one inline SVG drawn on the server. It uses
 * presentation attributes only, no script and no style, so the page's Content-Security-Policy
 * holds; each bar's `<title>` is its tooltip, and `days` label the axis.
 */
export function dailyChart(title: string, days: readonly string[], series: readonly ChartSeries[]): Html {
  const plot = WIDTH - LEFT - RIGHT;
  const slot = plot / Math.max(1, days.length);
  const bar = Math.max(1, slot * 0.8);
  const height = TOP + series.length * (PANEL + GAP);
  // The first, middle and last days: enough to place the bars in time without crowding.
  const ticks = [...new Set([0, Math.floor((days.length - 1) / 2), days.length - 1])].filter((i) => i >= 0);
  const panels = series.map((s, p) => {
    const top = TOP + p * (PANEL + GAP);
    const bottom = top + PANEL;
    const ceiling = niceCeiling(Math.max(0, ...s.values));
    return html`<g>
<text x="${LEFT}" y="${top - 8}" font-size="13" font-weight="bold" fill="#1d1f23">${s.label}</text>
<line x1="${LEFT}" y1="${bottom}" x2="${WIDTH - RIGHT}" y2="${bottom}" stroke="#d9dde3"/>
<line x1="${LEFT}" y1="${top}" x2="${WIDTH - RIGHT}" y2="${top}" stroke="#eef0f3"/>
<text x="${LEFT - 6}" y="${top + 4}" font-size="11" text-anchor="end" fill="#5b616b">${number(ceiling)}</text>
<text x="${LEFT - 6}" y="${bottom + 4}" font-size="11" text-anchor="end" fill="#5b616b">0</text>
${s.values.map((v, i) => {
  const h = (v / ceiling) * PANEL;
  return html`<rect x="${at(LEFT + i * slot + (slot - bar) / 2)}" y="${at(bottom - h)}" width="${at(bar)}" height="${at(h)}" fill="${s.colour}"><title>${days[i] ?? ''}: ${number(v)} ${s.unit}</title></rect>`;
})}
${ticks.map((i, k) => {
  // The first label starts at its bar and the last ends at its bar, so that neither leaves the chart.
  const anchor = k === 0 ? 'start' : i === days.length - 1 ? 'end' : 'middle';
  const x = anchor === 'start' ? LEFT + i * slot : anchor === 'end' ? LEFT + (i + 1) * slot : LEFT + i * slot + slot / 2;
  return html`<text x="${at(x)}" y="${bottom + 16}" font-size="11" text-anchor="${anchor}" fill="#5b616b">${days[i] ?? ''}</text>`;
})}
</g>`;
  });
  return html`<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-labelledby="activity-chart-title">
<title id="activity-chart-title">${title}</title>
${panels}
</svg>`;
}
