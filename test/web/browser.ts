import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, onTestFailed } from 'vitest';
import { DEMO_PASSWORD } from '../../db/seed/demo-accounts.js';
import { startApiHarness, type ApiHarness } from '../support/api-harness.js';

/** Debian's Chromium (dev/bootstrap.mjs installs it when it can), or the one CHROMIUM_PATH names. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Screenshots of every journey step, and of the page when a test fails (gitignored). */
export const RESULTS_DIR = fileURLToPath(new URL('../../test-results/web/', import.meta.url));

/** One headless Chromium for a whole test file; fails at once, with what to do, when there is none. */
export async function launchChromium(executablePath = CHROMIUM_PATH): Promise<Browser> {
  if (!existsSync(executablePath)) {
    throw new Error(
      `no Chromium at ${executablePath}: the browser tests drive Debian's Chromium. Install it with \`apt-get install chromium fonts-wqy-microhei\` ` +
        '(npm test does this itself when run as root with apt-get), or set CHROMIUM_PATH to a Chromium or Chrome binary.',
    );
  }
  await mkdir(RESULTS_DIR, { recursive: true });
  return chromium.launch({
    executablePath,
    headless: true,
    timeout: 30_000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

export interface Person {
  context: BrowserContext;
  page: Page;
}

/** A person at their own browser window (their own sessionStorage, so their own sign-in). */
export async function person(browser: Browser, options: { phone?: boolean } = {}): Promise<Person> {
  const context = await browser.newContext({
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    ...(options.phone ? { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } : { viewport: { width: 1280, height: 900 } }),
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  return { context, page };
}

/** Takes a screenshot of the page under test-results/web/ when the running test fails. */
export function screenshotOnFailure(pages: () => Page[], name: string): void {
  onTestFailed(async () => {
    await mkdir(`${RESULTS_DIR}failures`, { recursive: true });
    let i = 0;
    for (const page of pages()) {
      if (page.isClosed()) continue;
      await page.screenshot({ path: `${RESULTS_DIR}failures/${name}-${++i}.png`, fullPage: true }).catch(() => undefined);
    }
  });
}

/** Keeps one numbered screenshot per journey step (the page, or one element of it): test-results/web/<journey>/<nn>-<step>.png. */
export function stepShots(journey: string) {
  let n = 0;
  return async (page: Page, step: string, element?: Locator) => {
    await mkdir(`${RESULTS_DIR}${journey}`, { recursive: true });
    const path = `${RESULTS_DIR}${journey}/${String(++n).padStart(2, '0')}-${step}.png`;
    if (element) await element.screenshot({ path });
    else await page.screenshot({ path, fullPage: true });
    return path;
  };
}

/**
 * The real system and one Chromium for a whole test file: embedded PostgreSQL, the time-skipping
 * Temporal server, the worker and the API listening on a free port. Called at the top of a test
 * file, it registers the file's beforeAll (then `setUp`, the file's own data) and afterAll.
 */
export function browserSuite(setUp?: (suite: BrowserSuite) => Promise<void>): BrowserSuite {
  const suite: BrowserSuite = {
    harness: undefined as unknown as ApiHarness,
    browser: undefined as unknown as Browser,
    base: '',
    people: [],
    async visitor(options = {}) {
      const p = await person(suite.browser, options);
      suite.people.push(p);
      return p.page;
    },
    async signedIn(username, options = {}) {
      const page = await suite.visitor(options);
      await page.goto(`${suite.base}#/login`);
      await signIn(page, username);
      return page;
    },
    pages: () => suite.people.flatMap((p) => p.context.pages()),
  };
  beforeAll(async () => {
    [suite.harness, suite.browser] = await Promise.all([startApiHarness(), launchChromium()]);
    await suite.harness.app.listen({ host: '127.0.0.1', port: 0 });
    const address = suite.harness.app.server.address();
    if (!address || typeof address === 'string') throw new Error('the API is not listening on a TCP port');
    suite.base = `http://127.0.0.1:${address.port}/`;
    await setUp?.(suite);
  }, 180_000);
  afterAll(async () => {
    await suite.browser?.close();
    await suite.harness?.close();
  });
  return suite;
}

export interface BrowserSuite {
  harness: ApiHarness;
  browser: Browser;
  /** The app's address, ending in a slash: `${base}#/cases`. */
  base: string;
  /** Everyone who opened a window, for the screenshots of a failed test. */
  people: Person[];
  /** Someone at a window of their own, not signed in (the public). */
  visitor(options?: { phone?: boolean }): Promise<Page>;
  /** A demo account signed in at a window of its own. */
  signedIn(username: string, options?: { phone?: boolean }): Promise<Page>;
  /** Every open page of everyone (their tabs too). */
  pages(): Page[];
}

/** Signs a demo account in on the sign-in page the page shows. */
export async function signIn(page: Page, username: string): Promise<void> {
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('button', { name: '退出' }).waitFor();
}

/** The page is no wider than its window: nothing to scroll sideways (on a phone above all). */
export async function fitsTheScreen(page: Page): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate<{ scrollWidth: number; innerWidth: number }>('({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })');
  expect(scrollWidth, `the page is ${scrollWidth}px wide in a ${innerWidth}px window: it scrolls sideways`).toBeLessThanOrEqual(innerWidth);
}
