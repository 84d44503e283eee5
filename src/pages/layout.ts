import type { Request, Response } from 'express';
import type { Layout } from './html.js';
import { CATALOGUES, chooseLocale, otherLanguageHref } from './i18n/locale.js';

/** The layout of one request's page: the repository's names, in the language the request chose. */
export function layoutFor(req: Request, res: Response, settings: { repositoryName: string; baseUrl: string }): Layout {
  const { lang, base } = chooseLocale(req, res);
  return { repositoryName: settings.repositoryName, baseUrl: settings.baseUrl, lang, t: CATALOGUES[lang], base, switchHref: otherLanguageHref(req.originalUrl, lang) };
}
