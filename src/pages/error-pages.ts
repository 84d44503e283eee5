import { html, page, type Layout } from './html.js';

/** A plain 404 page. */
export function notFoundPage(layout: Layout, what = 'This page does not exist.'): string {
  return page(layout, 'Not found', html`<h1>Not found</h1><p>${what}</p><p><a href="/">Back to the dashboard</a></p>`);
}

/** A plain 500 page: no stack trace, no details; those go to the server log. */
export function serverErrorPage(layout: Layout): string {
  return page(layout, 'Server error', html`<h1>Something went wrong</h1><p>The error has been logged. Please try again later.</p>`);
}
