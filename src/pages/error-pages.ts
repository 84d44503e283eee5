import { href, html, page, type Layout } from './html.js';

/** A plain 404 page. */
export function notFoundPage(layout: Layout, what = layout.t.errors.notFound): string {
  const e = layout.t.errors;
  return page(layout, e.notFoundTitle, html`<h1>${e.notFoundTitle}</h1><p>${what}</p><p><a href="${href(layout, '/')}">${e.back}</a></p>`);
}

/** A plain 500 page: no stack trace, no details; those go to the server log. */
export function serverErrorPage(layout: Layout): string {
  const e = layout.t.errors;
  return page(layout, e.serverErrorTitle, html`<h1>${e.serverErrorHeading}</h1><p>${e.serverError}</p>`);
}
