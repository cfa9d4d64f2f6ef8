import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { onTestFailed } from 'vitest';

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
