import { createRequire } from 'node:module';
import path from 'node:path';
import express from 'express';
import { COLLECTION_ICON } from './icon.js';

/** The one stylesheet: no inline styles, so the Content-Security-Policy can forbid them. */
export const STYLESHEET = `
:root { color-scheme: light; --ink: #1d1f23; --muted: #5b616b; --line: #d9dde3; --accent: #0b5cad; --warn: #8a4b00; --bad: #a31515; --soft: #f5f7fa; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; font: 16px/1.65 "Vazirmatn", "Noto Sans Arabic", "Noto Naskh Arabic", "DejaVu Sans", system-ui, sans-serif; }
a { color: var(--accent); }
header.site { border-bottom: 1px solid var(--line); background: var(--soft); }
header.site nav { max-width: 76rem; margin: 0 auto; padding: .6rem 1rem; display: flex; flex-wrap: wrap; gap: 1.2rem; align-items: baseline; }
header.site nav .name { font-weight: 700; margin-inline-end: auto; }
footer.site { border-top: 1px solid var(--line); margin-top: 2rem; color: var(--muted); font-size: .9rem; }
footer.site nav { max-width: 76rem; margin: 0 auto; padding: .6rem 1rem; display: flex; flex-wrap: wrap; gap: 1.2rem; }
main { max-width: 76rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; line-height: 1.3; margin: .6rem 0 1rem; }
h2 { font-size: 1.25rem; margin: 1.6rem 0 .6rem; }
h3 { font-size: 1.05rem; margin: 1rem 0 .4rem; }
.pair h1, .pair h2 { font-size: 1.4rem; line-height: 1.4; margin-top: .4rem; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 2rem; }
@media (max-width: 52rem) { .pair { grid-template-columns: 1fr; } }
[dir="rtl"], [dir="ltr"] { text-align: start; }
.missing { color: var(--warn); font-style: italic; }
.muted { color: var(--muted); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1.2rem; }
dl.facts dt { font-weight: 700; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { border-bottom: 1px solid var(--line); padding: .4rem .6rem; vertical-align: top; text-align: start; }
th { background: var(--soft); }
code, pre { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .9rem; }
/* Identifiers and resumption tokens have no break points of their own. */
code { overflow-wrap: anywhere; }
@media (max-width: 52rem) { table { display: block; overflow-x: auto; } dl.facts { grid-template-columns: 1fr; } }
pre.xml { background: #fbfbfd; border: 1px solid var(--line); padding: .8rem; overflow-x: auto; white-space: pre-wrap; word-break: break-word; direction: ltr; text-align: start; }
details.format { margin: .3rem 0; } details.format > summary { cursor: pointer; padding: .2rem 0; }
.xml .tag { color: #7a1f7a; } .xml .attr { color: #8a4b00; } .xml .value { color: #0a6b2d; } .xml .pi { color: #666; }
.card { border: 1px solid var(--line); border-radius: .4rem; padding: .8rem 1rem; margin: .8rem 0; }
.card.deleted { background: #fff7f0; }
.badge { display: inline-block; font-size: .8rem; padding: 0 .5rem; border-radius: 1rem; background: var(--soft); border: 1px solid var(--line); }
.badge.deleted { color: var(--bad); border-color: var(--bad); }
form.filters, form.explore { display: flex; flex-wrap: wrap; gap: .6rem 1rem; align-items: end; margin: .5rem 0 1rem; }
form label { display: flex; flex-direction: column; font-size: .9rem; }
input, select, button { font: inherit; padding: .3rem .5rem; }
.error-box { border-inline-start: 4px solid var(--bad); background: #fff3f3; padding: .6rem 1rem; margin: .6rem 0; }
.problem { color: var(--bad); } .note { color: var(--muted); }
nav.pager { margin: 1rem 0; display: flex; gap: 1rem; }
`;

/** Serves the stylesheet and the Vazirmatn web font, so Persian renders alike on every machine. */
export function assetsRouter(): express.Router {
  const router = express.Router();
  router.get('/static/app.css', (_req, res) => {
    res.type('text/css').set('Cache-Control', 'public, max-age=3600').send(STYLESHEET);
  });
  router.get('/static/collection-icon.png', (_req, res) => {
    res.type('png').set('Cache-Control', 'public, max-age=86400').send(COLLECTION_ICON);
  });
  const fontDir = path.dirname(createRequire(import.meta.url).resolve('@fontsource/vazirmatn/package.json'));
  router.use('/static/vazirmatn', express.static(fontDir, { maxAge: '30d', index: false, fallthrough: false }));
  return router;
}
