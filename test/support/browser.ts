import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page, type Response } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

/** Where Chromium is: Debian's package by default, CHROMIUM_PATH to override. Never downloaded. */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** SKIP_BROWSER_TESTS=1 skips the browser tests; otherwise a missing Chromium fails them. */
export const SKIP_BROWSER_TESTS = process.env['SKIP_BROWSER_TESTS'] === '1';

/** Why Chromium cannot be used, or null when the executable is there. */
export function chromiumMissing(): string | null {
  try {
    fs.accessSync(CHROMIUM_PATH, fs.constants.X_OK);
    return null;
  } catch {
    return (
      `Chromium not found at ${CHROMIUM_PATH}: install it (Debian: apt-get install chromium), ` +
      'point CHROMIUM_PATH at the executable, or set SKIP_BROWSER_TESTS=1 to skip the browser tests.'
    );
  }
}

/** Starts a headless Chromium on loopback only: no sandbox (containers), no background traffic. */
export async function launchChromium(): Promise<Browser> {
  const missing = chromiumMissing();
  if (missing !== null) throw new Error(missing);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** An HTTP listener on 127.0.0.1 whose port is known before the app is attached. */
export interface Listener {
  server: http.Server;
  origin: string;
  close(): Promise<void>;
}

/** Listens on a free loopback port with no handler yet: attach one with `server.on('request', app)`. */
export async function listenOnLoopback(): Promise<Listener> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    server,
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A page with everything that went wrong in it recorded, across its navigations. */
export interface WatchedPage {
  page: Page;
  /** Console messages of type 'error' (CSP violations land here too). */
  consoleErrors: string[];
  /** Uncaught exceptions thrown by scripts in the page. */
  pageErrors: string[];
  /** alert/confirm/prompt dialogs that opened (each is dismissed). */
  dialogs: string[];
  /** Sub-resources (styles, fonts, images) that failed or answered 4xx/5xx. */
  failedResources: string[];
  /** Every response the page received, in order. */
  responses: Response[];
  /** Forgets what was recorded so far. */
  reset(): void;
}

/** Opens a page in the context and records its console errors, page errors, dialogs and failures. */
export async function watchedPage(context: BrowserContext): Promise<WatchedPage> {
  const page = await context.newPage();
  const watched: WatchedPage = {
    page,
    consoleErrors: [],
    pageErrors: [],
    dialogs: [],
    failedResources: [],
    responses: [],
    reset() {
      for (const list of [this.consoleErrors, this.pageErrors, this.dialogs, this.failedResources]) list.splice(0);
      this.responses.splice(0);
    },
  };
  page.on('console', (message) => {
    if (message.type() === 'error') watched.consoleErrors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => watched.pageErrors.push(error.message));
  page.on('dialog', (dialog) => {
    watched.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss().catch(() => {});
  });
  page.on('response', (response) => {
    watched.responses.push(response);
    if (response.request().resourceType() !== 'document' && response.status() >= 400) {
      watched.failedResources.push(`${response.status()} ${response.url()}`);
    }
  });
  page.on('requestfailed', (request) => watched.failedResources.push(`${request.failure()?.errorText ?? 'failed'} ${request.url()}`));
  return watched;
}

/** Where screenshots go: test-results/screenshots, which git ignores. */
export const SCREENSHOT_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../test-results/screenshots');

/** Saves a full-page screenshot as test-results/screenshots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Everything that went wrong in the page so far, as one object for a readable failure. */
export function troubles(w: WatchedPage): Record<string, string[]> {
  return { consoleErrors: w.consoleErrors, pageErrors: w.pageErrors, dialogs: w.dialogs, failedResources: w.failedResources };
}

/** What `troubles` gives for a page where nothing went wrong. */
export const NO_TROUBLE = { consoleErrors: [], pageErrors: [], dialogs: [], failedResources: [] };

/** The `data-id` of every article card in the page. */
export const cardIds = (page: Page): Promise<string[]> => page.locator('article.card').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-id') ?? ''));

/** Chromium looking at an app on a loopback port, for the tests of one describe block. */
export interface ChromiumSession {
  /** `http://127.0.0.1:<port>`, once the session has started. */
  origin(): string;
  /** A fresh page that records its console errors, page errors, dialogs and failed resources. */
  open(): Promise<WatchedPage>;
}

/**
 * Registers the hooks that listen on a loopback port, hand its origin to `serve` for the app to
 * answer there, and launch Chromium with a 1280×900 window; and the ones that close it all.
 * A missing Chromium fails every test with a message saying so: CI installs it.
 */
export function chromiumSession(serve: (origin: string) => http.RequestListener): ChromiumSession {
  let listener: Listener | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  const opened: WatchedPage[] = [];
  beforeAll(async () => {
    const missing = chromiumMissing();
    if (missing !== null) throw new Error(missing);
    listener = await listenOnLoopback();
    listener.server.on('request', serve(listener.origin));
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL: listener.origin });
  }, 60_000);
  afterAll(async () => {
    for (const w of opened.splice(0)) await w.page.close().catch(() => {});
    await browser?.close();
    await listener?.close();
  }, 60_000);
  return {
    origin: () => listener?.origin ?? '',
    async open() {
      if (context === undefined) throw new Error('the Chromium session has not started');
      const w = await watchedPage(context);
      opened.push(w);
      return w;
    },
  };
}
