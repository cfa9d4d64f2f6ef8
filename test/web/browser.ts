import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, onTestFailed } from 'vitest';
import { DEMO_PASSWORD } from '../../db/seed/demo-accounts.js';
import { startApiHarness, type ApiHarness } from '../support/api-harness.js';
import { LATIN_ALLOWED } from '../support/latin-allowed.js';

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
  await watchForLatin(context);
  const page = await context.newPage();
  return { context, page };
}

export { LATIN_ALLOWED };

/** Where a Latin word was met: the page's address, the word and the text around it. */
export interface LatinFinding {
  url: string;
  word: string;
  text: string;
}

/**
 * The scanner, as source run in the page: `(allowed) => ({ words(text), scan(root) })`. One copy for
 * the one-shot check (latinWordsOn) and for the watcher that sees every text any page ever shows.
 */
const LATIN_SCANNER = `(allowed) => {
  const ALLOWED = new Set(allowed);
  const SKIP = 'script, style, noscript, code, kbd, samp, [translate="no"]';
  const ATTRIBUTES = ['aria-label', 'aria-description', 'aria-roledescription', 'title', 'placeholder', 'alt'];
  const words = (text) => {
    const found = [];
    text = String(text);
    for (const match of text.matchAll(/[A-Za-z0-9][A-Za-z0-9._@/:+'’-]*/g)) {
      const token = match[0].replace(/[._/:+'’-]+$/, '');
      // 营业执照.pdf: the extension of a file's name.
      if (match.index > 0 && text[match.index - 1] === '.') continue;
      if (!/[A-Za-z]/.test(token) || /[0-9]/.test(token) || token.includes('@')) continue;
      if (/^[^./]+[.][A-Za-z]{2,5}$/.test(token)) continue;
      for (const word of token.split(/[._/:+'’-]+/)) if (word && !ALLOWED.has(word)) { found.push(token); break; }
    }
    return found;
  };
  const skipped = (element) => !element || Boolean(element.closest(SKIP));
  const findings = [];
  const note = (text, where) => {
    for (const word of words(text)) findings.push({ url: location.href, word, text: (where + String(text).replace(/\\s+/g, ' ').trim()).slice(0, 160) });
  };
  const scanElement = (element) => {
    if (skipped(element)) return;
    for (const name of ATTRIBUTES) if (element.hasAttribute(name)) note(element.getAttribute(name), '[' + name + '] ');
  };
  const scan = (root) => {
    if (root.nodeType === 3) {
      if (!skipped(root.parentElement)) note(root.data, '');
      return;
    }
    if (root.nodeType !== 1 && root.nodeType !== 9 && root.nodeType !== 11) return;
    if (root.nodeType === 1) scanElement(root);
    const walker = document.createTreeWalker(root, 5);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.nodeType === 1) scanElement(node);
      else if (!skipped(node.parentElement)) note(node.data, '');
    }
  };
  const take = () => findings.splice(0);
  return { words, scan, scanElement, take, attributes: ATTRIBUTES };
}`;

/** Every Latin word outside the allow-list that the page shows now, title and accessible names included. */
export async function latinWordsOn(page: Page): Promise<LatinFinding[]> {
  return page.evaluate<LatinFinding[]>(`(() => {
    const scanner = (${LATIN_SCANNER})(${JSON.stringify(LATIN_ALLOWED)});
    scanner.scan(document);
    return scanner.take();
  })()`);
}

/** What the watchers of every window saw since the last check (see `watchForLatin`). */
const latinSeen: LatinFinding[] = [];

/**
 * Watches every page of a person's window for Latin words as the page changes, so a message that
 * shows for a moment (a refusal, a failed request) is caught as surely as what a screenshot keeps.
 * browserSuite checks what was seen after every test (`noLatinSeen`).
 */
async function watchForLatin(context: BrowserContext): Promise<void> {
  await context.exposeBinding('__youchuangLatinSeen', (_source, findings: LatinFinding[]) => {
    latinSeen.push(...findings);
  });
  await context.addInitScript({
    content: `(() => {
      const scanner = (${LATIN_SCANNER})(${JSON.stringify(LATIN_ALLOWED)});
      const report = () => {
        const found = scanner.take();
        if (found.length) globalThis.__youchuangLatinSeen(found);
      };
      new MutationObserver((records) => {
        for (const record of records) {
          if (record.type === 'childList') record.addedNodes.forEach((node) => scanner.scan(node));
          else if (record.type === 'characterData') scanner.scan(record.target);
          else scanner.scanElement(record.target);
        }
        report();
      }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: scanner.attributes });
    })();`,
  });
}

/** What the watchers saw since the last check, taken (so the next check starts afresh). */
export function takeLatinSeen(): LatinFinding[] {
  return latinSeen.splice(0);
}

/** No page showed a Latin word since the last check: fails naming each word, where and in what text. */
export function noLatinSeen(): void {
  const found = takeLatinSeen();
  const unique = [...new Map(found.map((f) => [`${f.word}|${f.text}`, f])).values()];
  expect(unique.map((f) => `“${f.word}” in “${f.text}” (${f.url})`), 'Latin-script words reached people (issue 15: plain Chinese everywhere)').toEqual([]);
}

/** axe-core's browser build, from node_modules; evaluated in the page (the app's CSP allows no injected script tag). */
let axeSource: Promise<string> | undefined;

/** Every axe-core violation on the page as it is now: rule, impact, what to fix and where (empty when none). */
export async function axeViolations(page: Page): Promise<string[]> {
  axeSource ??= readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate<boolean>('typeof globalThis.axe?.run === "function"'))) await page.evaluate(await axeSource);
  return page.evaluate<string[]>(`globalThis.axe.run(document, { resultTypes: ['violations'] }).then((result) =>
    result.violations.map((v) => v.id + ' (' + v.impact + '): ' + v.help + ' — ' + v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ' ' + (n.failureSummary || '').replace(/\\s+/g, ' ')).join(' | ')))`);
}

/**
 * What every page state a journey visits must be (issue 15): no axe-core violation, no Latin word
 * outside the allow-list, nothing wider than the window (a phone above all).
 */
export async function checkPage(page: Page): Promise<void> {
  // The page as people read it: drawn, not the moment of 正在加载… between two pages. A locator, not
  // waitForFunction: a predicate that has to be polled is evaluated as a string, which the app's
  // Content-Security-Policy (script-src 'self') refuses — the check failed whenever a page was still loading.
  await page.locator('#main:not([aria-busy])').waitFor({ state: 'attached' });
  expect(await latinWordsOn(page), `Latin-script words on ${page.url()}`).toEqual([]);
  expect(await axeViolations(page), `axe-core violations on ${page.url()}`).toEqual([]);
  await fitsTheScreen(page);
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
    // Every step a journey keeps is a page state people see: checked before it is kept.
    await checkPage(page);
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
  // Whatever any window of the file showed during the test, transient messages included.
  afterEach(async () => {
    await Promise.all(suite.pages().filter((p) => !p.isClosed()).map((p) => p.evaluate('0').catch(() => undefined)));
    noLatinSeen();
  });
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

/**
 * Fills a form in steps (web/src/steps.ts) the way a person does: on each step the answers whose
 * field it shows (by label: text typed, an option chosen by its value, a box ticked when true),
 * then 继续, up to 核对信息; then 确认提交 unless `submit` is false. Answers already on the page are
 * left alone unless named.
 */
export async function fillInSteps(page: Page, answers: Record<string, string | boolean>, options: { submit?: boolean } = {}): Promise<void> {
  const form = page.locator('form.api-form').filter({ has: page.locator('.step-progress') }).first();
  const progress = form.locator('.step-progress');
  const left = new Map(Object.entries(answers));
  for (let step = 0; step < 12; step++) {
    for (const [label, value] of [...left]) {
      // The label as written, with or without the required mark (*).
      const control = form.getByLabel(new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s*\\*)?\\s*$`));
      if (!(await control.isVisible())) continue;
      const tag = await control.evaluate((e) => `${e.tagName}:${(e as unknown as { type: string }).type}`);
      if (tag.startsWith('SELECT')) await control.selectOption(String(value));
      else if (tag === 'INPUT:checkbox') await control.setChecked(value === true);
      else await control.fill(String(value));
      left.delete(label);
    }
    const next = form.getByRole('button', { name: '继续', exact: true });
    if (!(await next.isVisible())) break;
    const before = await progress.textContent();
    await next.click();
    // Moved on, or stopped by this step's problems (shown in the summary), once the step's check has answered (a summary from before stays until then).
    await expect.poll(async () => (await form.getAttribute('aria-busy')) !== 'true' && ((await progress.textContent()) !== before || (await form.locator('.error-summary').isVisible()))).toBe(true);
    if ((await progress.textContent()) === before) throw new Error(`the step “${before}” did not let the answers through: ${await form.locator('.error-summary').innerText()}`);
  }
  expect([...left.keys()], 'answers whose field no step showed').toEqual([]);
  await form.locator('.check-answers').waitFor();
  if (options.submit !== false) await form.getByRole('button', { name: '确认提交' }).click();
}
