import { ApiError, whenSignedOut } from './api.js';
import { h, mount, notice } from './dom.js';
import { departmentName, ROLE_NAMES } from './format.js';
import { homeOf, menuEntryOf, setRenderer } from './nav.js';
import { currentAccount, restoreSession, type SignedInAccount } from './session.js';
import { CHUYING_LOAN, notOfferedTo } from './offers.js';
import { applyLoanPage } from './views/apply-loan.js';
import { auditCasePage, auditSearchPage } from './views/audit.js';
import { caseDetailPage } from './views/case-detail.js';
import { casesPage } from './views/cases.js';
import { cataloguePage } from './views/catalogue.js';
import { programmeTermsPage } from './views/catalogue.js';
import { dashboardPage } from './views/dashboard.js';
import { applyFilingPage } from './views/apply-filing.js';
import { activatePage } from './views/activate.js';
import { applyProgrammePage } from './views/apply-programme.js';
import { loginPage, SESSION_ENDED, signOutNow } from './views/login.js';
import { queuePage } from './views/queue.js';
import { callsPage } from './views/calls.js';
import { publicityPage } from './views/publicity.js';
import { progressPage } from './views/progress.js';
import { inboxPage, showUnreadCount } from './views/inbox.js';
import { registersPage } from './views/registers.js';
import { accountsPage } from './views/accounts.js';
import { calendarPage } from './views/calendar.js';
import { guidePage } from './views/guide.js';
import { submittedPage } from './views/submitted.js';

type Page = (main: HTMLElement, params: string[], account: SignedInAccount | undefined) => Promise<void> | void;

interface Route {
  pattern: RegExp;
  page: Page;
  /** Who may open it; undefined: everyone, signed in or not. */
  roles?: SignedInAccount['role'][];
}

const ROUTES: Route[] = [
  { pattern: /^\/login$/, page: loginPage },
  { pattern: /^\/activate(\?.*)?$/, page: activatePage },
  { pattern: /^\/catalogue(?:\?.*)?$/, page: cataloguePage },
  { pattern: /^\/apply\/chuying-loan$/, page: applyLoanPage, roles: ['applicant'] },
  { pattern: /^\/apply\/(drama-planning-filing|drama-release-filing)$/, page: applyFilingPage, roles: ['applicant'] },
  { pattern: /^\/apply\/programme\/([a-z0-9-]{1,80})$/, page: applyProgrammePage, roles: ['applicant'] },
  { pattern: /^\/guide\/([a-z0-9-]{1,80})$/, page: guidePage },
  { pattern: /^\/submitted\/([0-9a-f-]{36})$/, page: submittedPage, roles: ['applicant'] },
  { pattern: /^\/cases(?:\?.*)?$/, page: casesPage, roles: ['applicant', 'official', 'auditor', 'expert'] },
  { pattern: /^\/cases\/([0-9a-f-]{36})$/, page: caseDetailPage, roles: ['applicant', 'official', 'auditor', 'expert'] },
  { pattern: /^\/queue(?:\?.*)?$/, page: queuePage, roles: ['official'] },
  { pattern: /^\/calls$/, page: callsPage },
  { pattern: /^\/publicity$/, page: publicityPage },
  { pattern: /^\/progress(?:\?.*)?$/, page: progressPage },
  { pattern: /^\/inbox(?:\?(.*))?$/, page: inboxPage, roles: ['applicant', 'official', 'auditor', 'admin', 'expert'] },
  { pattern: /^\/dashboard(?:\?.*)?$/, page: dashboardPage, roles: ['official', 'auditor'] },
  { pattern: /^\/audit$/, page: auditSearchPage, roles: ['auditor'] },
  { pattern: /^\/registers(?:\/([a-z-]{1,40}))?(?:\?.*)?$/, page: registersPage, roles: ['official', 'auditor', 'admin'] },
  { pattern: /^\/accounts(?:\?.*)?$/, page: accountsPage, roles: ['admin'] },
  { pattern: /^\/calendar(?:\?.*)?$/, page: calendarPage, roles: ['admin', 'official', 'auditor'] },
  { pattern: /^\/programme-terms\/([a-z0-9-]{1,80})$/, page: programmeTermsPage, roles: ['official'] },
  { pattern: /^\/audit\/([0-9a-f-]{36})$/, page: auditCasePage, roles: ['auditor'] },
];


const NAV: Record<string, [string, string][]> = {
  anonymous: [
    ['#/catalogue', '政策目录'],
    ['#/calls', '申报批次'],
    ['#/publicity', '公示'],
    ['#/progress', '办件进度查询'],
    ['#/login', '登录'],
  ],
  applicant: [
    ['#/cases', '我的办件'],
    ['#/inbox', '消息'],
    ['#/apply/chuying-loan', '申请雏鹰借款'],
    ['#/calls', '申报批次'],
    // An applicant reads the 公示 too (their own award on it, and others'): its own entry, not 申报批次 marked.
    ['#/publicity', '公示'],
    ['#/catalogue', '政策目录与资格自查'],
  ],
  official: [
    ['#/queue', '待办队列'],
    ['#/inbox', '消息'],
    ['#/cases', '全部案件'],
    ['#/calls', '申报批次'],
    ['#/publicity', '公示'],
    ['#/dashboard', '数据看板'],
    ['#/registers', '登记名录'],
    ['#/catalogue', '政策目录'],
  ],
  auditor: [
    ['#/audit', '审计查询'],
    ['#/dashboard', '数据看板'],
    ['#/registers', '登记名录'],
    ['#/catalogue', '政策目录'],
  ],
  admin: [['#/accounts', '账号管理'], ['#/calendar', '工作日历'], ['#/inbox', '消息'], ['#/registers', '登记名录'], ['#/catalogue', '政策目录']],
  // An external expert reads the calls whose panel names them and the applications referred to it.
  expert: [['#/cases', '评审任务']],
};

/** Whether a menu entry is for this account: the 雏鹰 loan is for companies (an individual creator was offered it and refused only at the end). */
function offeredTo(account: SignedInAccount | undefined, href: string): boolean {
  return !(href === CHUYING_LOAN.form && notOfferedTo(account, CHUYING_LOAN.programmeId));
}

function header(account: SignedInAccount | undefined): HTMLElement {
  const path = location.hash || homeOf(account);
  const entries = NAV[account?.role ?? 'anonymous']!.filter(([href]) => offeredTo(account, href));
  // An address no page answers belongs to no menu entry, whatever was shown before it.
  const known = ROUTES.some((r) => r.pattern.test(path.replace(/^#/, '')));
  const current = known ? menuEntryOf(path, entries) : undefined;
  const links = entries.map(([href, text]) => h('li', {}, h('a', { href, ...(href === current?.[0] ? { 'aria-current': 'page' } : {}) }, text)));
  return h(
    'div',
    { class: 'bar' },
    h('a', { class: 'brand', href: homeOf(account) }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '优'), h('span', {}, '优创', h('span', { class: 'brand-tagline' }, ' · 内容创作者扶持服务'))),
    h('nav', { 'aria-label': '主导航' }, h('ul', {}, ...links)),
    account
      ? h(
          'div',
          { class: 'who' },
          h('span', { class: 'who-name' }, account.displayName),
          h('span', { class: 'who-role' }, [ROLE_NAMES[account.role], departmentName(account.department)].filter(Boolean).join(' · ')),
          h('button', { type: 'button', class: 'button link', onclick: () => void signOutNow() }, '退出'),
        )
      : null,
  );
}

/**
 * On a phone the menu is one row that scrolls sideways (it took three of the header's four rows,
 * about 190 px of an 844 px screen, on every page): the entry of the page on screen is scrolled
 * into that row. Only the row scrolls, never the page (scrollIntoView would move it to the header).
 */
function showCurrentMenuEntry(header: HTMLElement): void {
  const menu = header.querySelector<HTMLElement>('nav');
  const current = menu?.querySelector<HTMLElement>('a[aria-current="page"]');
  if (!menu || !current || menu.scrollWidth <= menu.clientWidth) return;
  const left = current.offsetLeft - menu.offsetLeft;
  if (left < menu.scrollLeft || left + current.offsetWidth > menu.scrollLeft + menu.clientWidth) menu.scrollLeft = Math.max(0, left - 16);
}

const SITE_TITLE = '优创 · 互联网优质内容创作者扶持服务';

let renders = 0;

/** Shows the page the address names; `restoreScroll` (back, forward, reload) puts it back where it was scrolled to. */
async function render(restoreScroll = false): Promise<void> {
  const ticket = ++renders;
  const path = location.hash.replace(/^#/, '') || '';
  const route = ROUTES.find((r) => r.pattern.test(path));
  shownEntry = historyEntry();
  // Read now: showing "loading" scrolls the page to the top, and that is recorded too.
  const scrollBack = restoreScroll ? scrollPositions.get(shownEntry) : undefined;
  let account = currentAccount();
  // A tab with the session cookie and nothing in its own sessionStorage (a case link opened in a new
  // tab) asks the API whose session it is: once as it starts, and before sending anyone to sign in.
  if (!account && (!askedAtStart || route?.roles)) {
    askedAtStart = true;
    account = await restoreSession();
    if (ticket !== renders) return;
  }
  if (!path) {
    location.replace(homeOf(account));
    return;
  }
  mount(document.getElementById('site-header')!, header(account));
  if (account) void showUnreadCount(document.getElementById('site-header')!);
  showCurrentMenuEntry(document.getElementById('site-header')!);
  const main = document.getElementById('main')!;
  if (!route) {
    document.title = `找不到这个页面 · 优创`;
    mount(main, h('h1', { tabindex: -1 }, '找不到这个页面'), h('p', {}, '地址可能输错了，或者这个页面已经不在了。'), h('p', {}, h('a', { href: homeOf(account) }, '回到首页')));
    return;
  }
  if (route.roles && (!account || !route.roles.includes(account.role))) {
    if (!account) {
      sessionStorage.setItem('youchuang.after-login', location.hash);
      location.replace('#/login');
      return;
    }
    document.title = `无权访问 · 优创`;
    mount(main, h('h1', { tabindex: -1 }, '无权访问'), notice('error', `这个页面不对${ROLE_NAMES[account.role]}开放。`), h('p', {}, h('a', { href: homeOf(account) }, '回到我的首页')));
    return;
  }
  // A list sets its own title (with its query); any other page is titled by its heading once shown.
  document.title = SITE_TITLE;
  main.setAttribute('aria-busy', 'true');
  mount(main, h('p', { class: 'loading' }, '正在加载…'));
  // The page is built aside and shown only if no newer navigation started while it loaded.
  const view = h('div', { class: 'view' });
  try {
    await route.page(view, path.match(route.pattern)!.slice(1), account);
  } catch (error) {
    // A page that could not be read for want of an answer (network, server) offers 重试 beside the message.
    const failed = !(error instanceof ApiError) || error.status === 0 || error.status >= 500;
    const message = error instanceof ApiError ? error.message : '页面没有加载成功，请重试。';
    const again = failed ? h('button', { type: 'button', class: 'button retry', onclick: () => void render() }, '重试') : null;
    mount(view, h('h1', { tabindex: -1 }, '无法打开'), h('div', { class: failed ? 'request-failure' : '', role: 'alert' }, h('p', { class: failed ? 'request-failure-text' : 'notice notice-error' }, message), again), h('p', {}, h('a', { href: homeOf(account) }, '回到首页')));
  }
  if (ticket !== renders) return;
  mount(main, view);
  main.removeAttribute('aria-busy');
  if (scrollBack !== undefined) window.scrollTo(0, scrollBack);
  // Move focus to the page's heading so keyboard and screen-reader users start at the top.
  const heading = main.querySelector<HTMLElement>('h1');
  if (heading?.textContent && document.title === SITE_TITLE) document.title = `${headingTitle(heading)} · 优创`;
  if (heading && document.activeElement === document.body) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: true });
  }
}

/**
 * A page's title from its heading: the heading's own words first, then the small line above them
 * that says what they belong to (a `.block` span: 申报批次 · 杨浦优质内容年度奖励), parted by · — the
 * heading's text alone runs the two together (杨浦优质内容年度奖励2026 年度杨浦优质内容评选).
 */
function headingTitle(heading: Element): string {
  const isLabel = (node: Node) => node instanceof Element && node.classList.contains('block');
  const nodes = [...heading.childNodes];
  const own = nodes.filter((n) => !isLabel(n)).map((n) => n.textContent ?? '').join('').trim();
  const labels = nodes.filter(isLabel).map((n) => (n.textContent ?? '').trim());
  return [own, ...labels].filter(Boolean).join(' · ');
}

/** Whether this page load has asked the API for the session yet (render). */
let askedAtStart = false;

/**
 * How far each page of this tab's history was scrolled, by history entry: back and forward show a
 * page again from the API, so the browser's own restoring would run before there is anything to
 * scroll. Kept in sessionStorage for a reload; the lists (worklist.ts) also restore theirs when a
 * case opened from them is left, to the same place.
 */
const SCROLL_KEY = 'youchuang.scroll';
const scrollPositions = new Map<string, number>(
  (() => {
    try {
      return Object.entries(JSON.parse(sessionStorage.getItem(SCROLL_KEY) ?? '{}') as Record<string, number>).filter(([, y]) => typeof y === 'number');
    } catch {
      return [];
    }
  })(),
);

/**
 * The history entry of the page on screen. Scrolling is recorded against it rather than against
 * the address: a scroll noticed after a link was followed, before its page is drawn, is the old page's.
 */
let shownEntry: string | undefined;

/** This history entry's id, given to it in its state the first time it is shown. */
function historyEntry(): string {
  const state = history.state as { entry?: unknown } | null;
  if (typeof state?.entry === 'string') return state.entry;
  const entry = crypto.randomUUID();
  history.replaceState({ ...(state ?? {}), entry }, '');
  return entry;
}

history.scrollRestoration = 'manual';
/** Records where the page on screen is scrolled, under its history entry. */
function rememberScroll(): void {
  if (!shownEntry) return;
  scrollPositions.delete(shownEntry);
  scrollPositions.set(shownEntry, Math.round(window.scrollY));
  // The newest 100 entries are plenty for going back.
  if (scrollPositions.size > 100) scrollPositions.delete(scrollPositions.keys().next().value!);
}
window.addEventListener('scroll', rememberScroll, { passive: true });
window.addEventListener('pagehide', () => sessionStorage.setItem(SCROLL_KEY, JSON.stringify(Object.fromEntries(scrollPositions))));

setRenderer(render);
// The skip link moves focus to the content without touching the hash (the hash is the page's address).
document.querySelector('.skip-link')?.addEventListener('click', (event) => {
  event.preventDefault();
  document.getElementById('main')?.focus();
});
// The session ended (expired, or signed out in another tab): sign in again, and come back here.
whenSignedOut(() => {
  // The sign-in page says why it is shown (signed out in another tab, or the session expired).
  sessionStorage.setItem(SESSION_ENDED, '1');
  if (location.hash !== '#/login') sessionStorage.setItem('youchuang.after-login', location.hash);
  location.replace('#/login');
});
window.addEventListener('hashchange', () => {
  // The page being left is still on screen: its position is recorded now, not by a scroll event a
  // busy browser may deliver only after the next page has taken its place.
  rememberScroll();
  (document.activeElement as HTMLElement | null)?.blur?.();
  void render(true);
});
void render(true);
