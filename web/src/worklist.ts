import { ApiError, get, post } from './api.js';
import { h } from './dom.js';
import { flash } from './flash.js';
import { dateTag, dueByTag, payoutDateTag } from './date-tags.js';
import { countdownText, money, shanghaiDate, type Countdown } from './format.js';
import { isFailure, showFailure } from './forms.js';
import { go, refresh } from './nav.js';

export interface WorklistItem {
  caseId: string;
  referenceNo: string;
  caseType: string;
  programme: { zh: string; en: string };
  /** Higher first: a 盾牌行动 complaint, handled with priority (002 Q6–7), is 1. */
  priority: number;
  status: string;
  statusLabel: string;
  applicantName: string;
  waitingFor: { role: string; department: string | null; text: string | null } | null;
  /** Ended; a case nobody acts on may still be open (a 公示). */
  finished: boolean;
  deadlineAt: string | null;
  countdown: Countdown | null;
  reviewer: { accountId: string; displayName: string | null } | null;
  breached: boolean;
  escalated: boolean;
  requestedAmountFen: number;
  /** What a decision granted, once one has: the amount the case is about from then on. */
  approvedAmountFen: number | null;
  outstandingFen: number;
  version: number;
  openedAt: string;
  updatedAt: string;
  /** The project's or drama's name, where the case has one. */
  title: string | null;
  /** A drama filing's 制作机构 as filed; null for other cases. */
  producer?: string | null;
  /** A filing whose 制作机构 is not its applicant's own, in words (officials and auditors). */
  producerNote?: string | null;
  /** The account may claim it now, from the list. */
  claimable: boolean;
}

export type SortKey = 'deadline' | 'submitted' | 'reference' | 'applicant' | 'amount';
type Order = 'asc' | 'desc';

/** One page of GET /api/worklist. */
export interface WorklistPage {
  view: 'queue' | 'all';
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
  /** Where the next page starts (send as after): null when this page is not full. */
  nextAfter?: string | null;
  /** The reference prefixes of the cases the account may see (CY, BA…), for the search box's example. */
  referencePrefixes?: string[];
  sort: { by: SortKey; order: Order } | null;
  waiting: { total: number; breached: number; dueSoon: number } | null;
  facets: { statuses: { status: string; label: string; count: number }[]; programmes: { id: string; name: string; count: number }[] };
  cases: WorklistItem[];
}

/** What a list shows, as its address holds it (#/queue?q=…&status=…&page=2): back, forward and reload show the same list. */
export interface ListQuery {
  q?: string;
  status?: string;
  programmeId?: string;
  breached?: 'true' | 'false';
  assigned?: 'mine' | 'unclaimed';
  /** An applicant's 等您办理: only the cases waiting for them (the API's view=queue). */
  waiting?: 'me';
  sort?: SortKey;
  order?: Order;
  page: number;
  /** Absent: PAGE_SIZE. */
  pageSize?: PageSize;
  /**
   * Where the page before ended (the API's nextAfter), on a page reached by 下一页: it starts after
   * the last case shown there, though the cases handled meanwhile have left the list.
   */
  after?: string;
}

const SORT_KEYS: readonly SortKey[] = ['deadline', 'submitted', 'reference', 'applicant', 'amount'];
/** The web asks for pages of this size unless the address says otherwise: a phone's list of cards stays a few screens long. */
export const PAGE_SIZE = 20;
/** The page sizes offered; someone working through hundreds may want longer pages on a laptop. */
export const PAGE_SIZES = [20, 50, 100] as const;
type PageSize = (typeof PAGE_SIZES)[number];

const pick = <T extends string>(value: string | null, allowed: readonly T[]): T | undefined => (allowed as readonly string[]).includes(value ?? '') ? (value as T) : undefined;
const matching = (value: string | null, pattern: RegExp): string | undefined => (value && pattern.test(value) ? value : undefined);

/** The list's query from the address; anything the API would refuse (an edited address) is left out. */
export function listQueryOf(hash: string): ListQuery {
  const params = new URLSearchParams(hash.split('?')[1] ?? '');
  const q = params.get('q')?.trim();
  const page = Number(params.get('page'));
  const pageSize = Number(params.get('pageSize'));
  return {
    q: q && q.length <= 100 && !/[\u0000-\u001F\u007F]/.test(q) ? q : undefined,
    status: matching(params.get('status'), /^[a-z][a-z0-9-]{0,49}$/),
    programmeId: matching(params.get('programmeId'), /^[a-z0-9-]{1,80}$/),
    breached: pick(params.get('breached'), ['true', 'false'] as const),
    assigned: pick(params.get('assigned'), ['mine', 'unclaimed'] as const),
    waiting: pick(params.get('waiting'), ['me'] as const),
    sort: pick(params.get('sort'), SORT_KEYS),
    order: pick(params.get('order'), ['asc', 'desc'] as const),
    page: Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : 1,
    pageSize: (PAGE_SIZES as readonly number[]).includes(pageSize) && pageSize !== PAGE_SIZE ? (pageSize as PageSize) : undefined,
    after: matching(params.get('after'), /^[A-Za-z0-9_-]{1,2000}$/),
  };
}

function queryString(query: ListQuery): string {
  const params = new URLSearchParams();
  for (const key of ['q', 'status', 'programmeId', 'breached', 'assigned', 'waiting', 'sort', 'order'] as const) {
    const value = query[key];
    if (value) params.set(key, value);
  }
  if (query.page > 1) params.set('page', String(query.page));
  if (query.pageSize && query.pageSize !== PAGE_SIZE) params.set('pageSize', String(query.pageSize));
  if (query.after && query.page > 1) params.set('after', query.after);
  return params.toString();
}

/** The address of a list with this query: `#/queue?status=in-review&page=2`. */
export function listHash(path: string, query: ListQuery): string {
  const search = queryString(query);
  return search ? `${path}?${search}` : path;
}

/** The API request for a page of the list. */
export function worklistUrl(view: 'queue' | 'all', query: ListQuery): string {
  // 等您办理 is the applicant's queue: the view says it to the API.
  const search = queryString({ ...query, pageSize: undefined, waiting: undefined });
  return `/api/worklist?view=${view}&pageSize=${query.pageSize ?? PAGE_SIZE}${search ? `&${search}` : ''}`;
}

/**
 * A page of the list. A page reached by 下一页 whose place the API no longer reads (an address kept
 * from an older version, or edited) is shown by its number instead: the list, not an error page.
 */
export async function worklistPage(view: 'queue' | 'all', query: ListQuery): Promise<WorklistPage> {
  try {
    return await get<WorklistPage>(worklistUrl(view, query));
  } catch (error) {
    if (!query.after || !(error instanceof ApiError) || !error.issues.some((i) => i.field === 'query.after')) throw error;
    return get<WorklistPage>(worklistUrl(view, { ...query, after: undefined }));
  }
}

/** Whether the list is narrowed by a search or a filter. */
export const hasFilters = (query: ListQuery) => Boolean(query.q || query.status || query.programmeId || query.breached || query.assigned || query.waiting);

/** The page's own title in the browser's tab and history: the list, its search and its page. */
export function listTitle(heading: string, query: ListQuery): string {
  const parts = [heading, query.q ? `搜索“${query.q}”` : null, query.page > 1 ? `第 ${query.page} 页` : null].filter(Boolean);
  return `${parts.join(' · ')} · 优创`;
}

/**
 * What 暂定 under a deadline means: the year's arrangement is not published, so the day is counted on
 * weekends and the fixed-date holidays only (domain/time/working-days.ts), as the time limits also say.
 */
export const PROVISIONAL_DAY_NOTE = '暂定：所在年度的国务院节假日安排尚未公布，暂按周末和元旦、劳动节、国庆节计算，公布后重新确定。';

/**
 * 重点: a case handled with priority (a 盾牌行动 complaint) says so in words, on a laptop and a phone
 * alike — not by its programme's name alone, nor only by a colour or an icon a screen reader skips.
 */
function priorityTag(i: Pick<WorklistItem, 'priority'>): HTMLElement | null {
  if (!(i.priority > 0)) return null;
  return h('span', { class: 'tag tag-priority', 'data-priority': String(i.priority) }, '重点', h('span', { class: 'visually-hidden' }, '（优先处理）'));
}

/** The countdown badge: calm while there is time, amber when due today or the next working day, red once breached. */
export function countdownBadge(c: Countdown | null, flags: { breached?: boolean; escalated?: boolean } = {}): HTMLElement {
  if (!c) return h('span', { class: 'muted' }, '—');
  // A payout's day (a monthly subsidy's 15th): the date it is paid on, with nothing counting down to it.
  if (c.counting === 'payout-date') return h('span', { class: 'countdown countdown-payout' }, h('span', { class: 'countdown-text' }, payoutDateTag(c.dueOn)));
  const breached = c.breached || flags.breached;
  // workingDaysLeft counts the working days after today: 0 on the due day, 1 the working day before it.
  // At most one left is what the queue's 今明到期 count (waiting.dueSoon) counts too.
  const urgent = !breached && (c.counting === 'calendar-days' ? c.calendarDaysLeft <= 1 : c.workingDaysLeft <= 1);
  return h(
    'span',
    { class: `countdown ${breached ? 'countdown-breached' : urgent ? 'countdown-urgent' : ''}` },
    h('span', { class: 'countdown-text' }, breached && !c.breached ? '已超期' : countdownText(c)),
    h('span', { class: 'countdown-date' }, dueByTag(c.dueOn)),
    flags.escalated ? h('span', { class: 'tag tag-danger' }, '已上报分管领导') : null,
  );
}

const SORT_NAMES: Record<SortKey, Record<Order, string>> = {
  deadline: { asc: '期限最近的在前', desc: '期限最远的在前' },
  submitted: { asc: '最早提交的在前', desc: '最新提交的在前' },
  reference: { asc: '编号从小到大', desc: '编号从大到小' },
  applicant: { asc: '申请人名称顺序', desc: '申请人名称倒序' },
  amount: { asc: '金额从小到大', desc: '金额从大到小' },
};
// The newest and the largest first: what someone sorting by them looks for first.
const firstOrder = (by: SortKey): Order => (by === 'submitted' || by === 'amount' ? 'desc' : 'asc');

/** Sortable columns: the list's query and how the view orders it when no sort is chosen. */
export interface Sorting {
  path: string;
  query: ListQuery;
  /** The column the view's own order follows (the queue: deadline, ascending). */
  natural: { by: SortKey; order: Order };
}

function sortableHeader(label: string, by: SortKey, sorting: Sorting | undefined, className = ''): HTMLElement {
  if (!sorting) return h('th', { scope: 'col', ...(className ? { class: className } : {}) }, label);
  const current = sorting.query.sort ? { by: sorting.query.sort, order: sorting.query.order ?? firstOrder(sorting.query.sort) } : sorting.natural;
  const active = current.by === by;
  const next: Order = active ? (current.order === 'asc' ? 'desc' : 'asc') : firstOrder(by);
  return h(
    'th',
    { scope: 'col', ...(active ? { 'aria-sort': current.order === 'asc' ? 'ascending' : 'descending' } : {}), class: `sortable ${className}`.trim() },
    h(
      'a',
      { href: listHash(sorting.path, { ...sorting.query, sort: by, order: next, page: 1, after: undefined }), title: `按${SORT_NAMES[by][next]}排列` },
      label,
      h('span', { class: 'sort-mark', 'aria-hidden': 'true' }, active ? (current.order === 'asc' ? ' ▲' : ' ▼') : ' ↕'),
    ),
  );
}

/** Claims the case from the list, and shows the list again (or why not, beside the button). */
function claimButton(item: WorklistItem): HTMLElement {
  const error = h('span', { class: 'claim-error', role: 'alert' });
  // A case someone else holds is taken over, not claimed: said on the button, and asked once more (an
  // outsider's supervisor took a reviewer's filing with one click, unaware).
  const holder = item.reviewer?.displayName;
  const verb = holder ? '接手' : '认领';
  const button = h('button', { type: 'button', class: 'button small-button', 'aria-label': `${verb} ${item.referenceNo}${holder ? `（现由${holder}审查）` : ''}` }, verb);
  let confirming = false;
  button.addEventListener('click', () => {
    if (holder && !confirming) {
      confirming = true;
      button.textContent = '确认接手';
      button.setAttribute('aria-label', `确认接手 ${item.referenceNo}`);
      error.textContent = `${holder}将不再审查本件，并收到通知。`;
      return;
    }
    button.disabled = true;
    error.textContent = '';
    // Confirmed: the take-over is said in the request, as the API asks of it.
    post(`/api/cases/${item.caseId}/claim`, { expectedVersion: item.version, ...(holder ? { takeOver: true } : {}) })
      .then(async () => {
        flash(holder ? `已接手 ${item.referenceNo}（原由${holder}审查），请在期限内反馈。` : `已认领 ${item.referenceNo}，请在期限内反馈。`);
        await refresh();
      })
      .catch(async (e: unknown) => {
        button.disabled = false;
        // No answer (network, server): beside the button, with 重试; a refusal says why.
        if (isFailure(e)) showFailure(button, e, () => button.click());
        else if (e instanceof ApiError && e.status === 409) {
          // Claimed by someone else meanwhile: the list is shown again as it now is, so the row says by whom.
          flash(`${item.referenceNo} 刚被其他人认领或已变更，列表已更新：${e.message}`);
          await refresh();
        } else error.textContent = `认领没有成功：${(e as Error).message}`;
      });
  });
  return h('span', { class: 'claim' }, button, error);
}

/** The most cases the API claims in one request (POST /api/worklist/claims): more chosen are sent in turns. */
const CLAIMS_PER_REQUEST = 50;

/** One case's result of a bulk claim, as the API answers it. */
interface BulkClaimResult {
  caseId: string;
  referenceNo: string | null;
  outcome: 'claimed' | 'refused';
  message: string;
}

/** 批量认领 on one page of the queue: a box on each line claimed in bulk, and the bar that claims those chosen. */
export interface BulkClaim {
  /** 全选可认领 and 认领所选（N 件）, with why a request was not taken beside them. */
  bar: HTMLElement;
  /** The box of a line, or null for a line not claimed in bulk. */
  boxFor(item: WorklistItem): HTMLElement | null;
}

/**
 * Whether a line is claimed in bulk: one the viewer may claim that nobody holds. A line a colleague
 * holds is claimable by the supervising official only as a take-over, which is asked once more on the
 * line's own 接手 button; a bulk claim never takes over (the API refuses it, naming who holds it).
 */
export const claimableInBulk = (item: WorklistItem): boolean => item.claimable && !item.reviewer;

/** The boxes and the bar of a page of the queue, or null when no line of it is claimed in bulk. */
export function bulkClaim(items: WorklistItem[]): BulkClaim | null {
  const eligible = items.filter(claimableInBulk);
  if (eligible.length === 0) return null;
  const chosen = new Set<string>();
  const boxes = new Map<string, HTMLInputElement>();
  const all = h('input', { type: 'checkbox', id: 'bulk-claim-all', class: 'bulk-box' });
  const send = h('button', { type: 'button', class: 'button primary bulk-claim-send', disabled: true }, '认领所选（0 件）');
  const problem = h('p', { class: 'claim-error bulk-claim-error', role: 'alert' });
  const bar = h(
    'div',
    { class: 'bulk-claim', role: 'group', 'aria-label': '批量认领' },
    h('label', { class: 'bulk-all', for: 'bulk-claim-all' }, all, h('span', {}, `全选可认领（本页 ${eligible.length} 件）`)),
    send,
    problem,
  );
  const update = () => {
    send.textContent = `认领所选（${chosen.size} 件）`;
    send.disabled = chosen.size === 0;
    all.checked = chosen.size === eligible.length;
    all.indeterminate = chosen.size > 0 && chosen.size < eligible.length;
  };
  all.addEventListener('change', () => {
    for (const item of eligible) {
      if (all.checked) chosen.add(item.caseId);
      else chosen.delete(item.caseId);
      const box = boxes.get(item.caseId);
      if (box) box.checked = all.checked;
    }
    update();
  });

  // One key per press of the button, kept with the cases chosen then for its 重试: a retry after a lost
  // answer claims nothing twice, and is the same request whatever was ticked meanwhile.
  const claimChosen = async (caseIds: string[], key: string) => {
    send.disabled = true;
    send.textContent = `正在认领 ${caseIds.length} 件…`;
    problem.textContent = '';
    try {
      const results: BulkClaimResult[] = [];
      for (let start = 0; start < caseIds.length; start += CLAIMS_PER_REQUEST) {
        const answer = await post<{ results: BulkClaimResult[] }>('/api/worklist/claims', { caseIds: caseIds.slice(start, start + CLAIMS_PER_REQUEST) }, { 'idempotency-key': `${key}-${start / CLAIMS_PER_REQUEST + 1}` });
        results.push(...answer.results);
      }
      keepBulkClaimSummary(results, items);
      await refresh();
    } catch (e: unknown) {
      update();
      // No answer (network, server): beside the button, with 重试 under the same key; a refusal says why.
      if (isFailure(e)) showFailure(send, e, () => void claimChosen(caseIds, key));
      else problem.textContent = `认领没有成功：${(e as Error).message}`;
    }
  };
  send.addEventListener('click', () => void claimChosen(eligible.filter((i) => chosen.has(i.caseId)).map((i) => i.caseId), `web-${crypto.randomUUID()}`));

  return {
    bar,
    boxFor(item) {
      if (!claimableInBulk(item)) return null;
      const box = h('input', { type: 'checkbox', class: 'bulk-box', 'aria-label': `选择 ${item.referenceNo}` });
      boxes.set(item.caseId, box);
      box.addEventListener('change', () => {
        if (box.checked) chosen.add(item.caseId);
        else chosen.delete(item.caseId);
        update();
      });
      // The word shows on a phone, where the line is a card; in a table the column's head says it.
      return h('label', { class: 'bulk-pick' }, box, h('span', { class: 'bulk-pick-text', 'aria-hidden': 'true' }, '选择'));
    },
  };
}

const BULK_SUMMARY_KEY = 'youchuang.bulk-claim';

/** What a bulk claim came to, kept for the list shown again after it: how many claimed, and each refused by its 申请编号 with why. */
function keepBulkClaimSummary(results: BulkClaimResult[], items: WorklistItem[]): void {
  // A case the API does not name (not one the viewer may see any more) is named as the list showed it.
  const shown = new Map(items.map((i) => [i.caseId, i.referenceNo]));
  const refused = results.filter((r) => r.outcome === 'refused').map((r) => ({ referenceNo: r.referenceNo ?? shown.get(r.caseId) ?? '', message: r.message }));
  sessionStorage.setItem(BULK_SUMMARY_KEY, JSON.stringify({ claimed: results.length - refused.length, refused }));
}

/** 已认领 N 件；未认领 M 件：each with its 申请编号 and why — once, on the list shown after the claim. */
export function takeBulkClaimSummary(): HTMLElement | null {
  const saved = sessionStorage.getItem(BULK_SUMMARY_KEY);
  sessionStorage.removeItem(BULK_SUMMARY_KEY);
  if (!saved) return null;
  const { claimed, refused } = JSON.parse(saved) as { claimed: number; refused: { referenceNo: string; message: string }[] };
  return h(
    'div',
    { class: `notice ${refused.length ? 'notice-info' : 'notice-ok'} bulk-claim-summary`, role: 'status' },
    h('p', {}, h('strong', {}, refused.length ? `已认领 ${claimed} 件；未认领 ${refused.length} 件：` : `已认领 ${claimed} 件。`)),
    refused.length ? h('ul', {}, ...refused.map((r) => h('li', { 'data-reference': r.referenceNo }, h('strong', {}, r.referenceNo), '：', r.message))) : null,
    claimed ? h('p', { class: 'small' }, '已认领的办件请在期限内反馈。') : null,
  );
}

/** Remembers how far down the list was scrolled when a case is opened from it, for the way back. */
const SCROLL_KEY = 'youchuang.list-scroll';
function rememberScroll(): void {
  sessionStorage.setItem(SCROLL_KEY, JSON.stringify({ hash: location.hash, y: window.scrollY }));
}
/** Back on the list it was left from: scrolls to where it was, once the page is shown. */
export function restoreListScroll(): void {
  const saved = sessionStorage.getItem(SCROLL_KEY);
  if (!saved) return;
  const { hash, y } = JSON.parse(saved) as { hash: string; y: number };
  if (hash !== location.hash) return;
  sessionStorage.removeItem(SCROLL_KEY);
  setTimeout(() => window.scrollTo(0, y), 0);
}

/** A list of cases as a table (cards on a phone): reference, name, step, who acts next, deadline. */
export function caseTable(
  items: WorklistItem[],
  options: {
    caption: string;
    linkTo?: (item: WorklistItem) => string;
    showApplicant?: boolean;
    showReviewer?: boolean;
    sorting?: Sorting;
    showClaim?: boolean;
    /** 批量认领: a box on each line claimed in bulk (bulkClaim). */
    bulk?: BulkClaim | null;
    /** Off in the queue: every case there waits for the viewer's own department. */
    showWaitingFor?: boolean;
    /** The viewer is the applicant of every case listed (我的办件): their own move is 您, not 申请人. */
    ownCases?: boolean;
  },
): HTMLElement {
  const showWaitingFor = options.showWaitingFor ?? true;
  const linkTo = options.linkTo ?? ((i: WorklistItem) => `#/cases/${i.caseId}`);
  const showClaim = options.showClaim && items.some((i) => i.claimable);
  return h(
    'table',
    { class: 'cases' },
    h('caption', {}, options.caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        options.bulk ? h('th', { scope: 'col', class: 'bulk-col' }, '选择') : null,
        sortableHeader('编号', 'reference', options.sorting),
        h('th', { scope: 'col' }, '名称与事项'),
        options.showApplicant ? sortableHeader('申请人', 'applicant', options.sorting) : null,
        h('th', { scope: 'col' }, '当前环节'),
        showWaitingFor ? h('th', { scope: 'col' }, '下一步办理') : null,
        options.showReviewer ? h('th', { scope: 'col' }, '认领人') : null,
        sortableHeader('提交日期', 'submitted', options.sorting),
        sortableHeader('期限', 'deadline', options.sorting),
        sortableHeader('金额', 'amount', options.sorting, 'num'),
        showClaim ? h('th', { scope: 'col' }, '操作') : null,
      ),
    ),
    h(
      'tbody',
      {},
      ...items.map((i) =>
        h(
          'tr',
          { class: i.breached ? 'row-breached' : '', 'data-case': i.caseId, 'data-reference': i.referenceNo },
          options.bulk ? h('td', { class: 'bulk-col' }, options.bulk.boxFor(i)) : null,
          h('th', { scope: 'row', 'data-label': '编号' }, h('a', { href: linkTo(i), onclick: rememberScroll }, i.referenceNo)),
          h('td', { 'data-label': '名称与事项' }, priorityTag(i), i.title ? h('span', { class: 'case-title block' }, i.title) : null, h('span', { class: i.title ? 'muted small block' : '' }, i.programme.zh)),
          options.showApplicant
            ? h(
                'td',
                { 'data-label': '申请人', class: 'applicant' },
                i.applicantName,
                // A filing's 制作机构 as filed, beside the account that filed it; a mismatch flagged for the reviewer.
                i.producer ? h('span', { class: 'muted small block producer' }, `制作机构：${i.producer}`) : null,
                i.producerNote ? h('span', { class: 'tag tag-warn block producer-note', title: i.producerNote }, '制作机构与申请人不符') : null,
              )
            : null,
          h('td', { 'data-label': '当前环节' }, h('span', { class: `status status-${i.status}` }, i.statusLabel)),
          showWaitingFor ? h('td', { 'data-label': '下一步办理' }, options.ownCases && i.waitingFor?.role === 'applicant' ? h('strong', {}, '您') : (i.waitingFor?.text ?? (i.finished ? '已办结' : '暂无'))) : null,
          options.showReviewer ? h('td', { 'data-label': '认领人' }, i.reviewer?.displayName ?? h('span', { class: 'muted' }, '未认领')) : null,
          h('td', { 'data-label': '提交日期', class: 'date' }, dateTag(shanghaiDate(i.openedAt))),
          h('td', { 'data-label': '期限' }, countdownBadge(i.countdown, i)),
          h(
            'td',
            { 'data-label': '金额', class: 'num' },
            // Once granted, the amount lent or awarded; what was asked for beside it where it differs.
            i.approvedAmountFen ? money(i.approvedAmountFen) : i.requestedAmountFen ? money(i.requestedAmountFen) : '—',
            // Each amount says what it is: a call's its budget, not an award (an outside tester's office read "¥2,000,000.00 核定"
            // above its awards); an amount not yet decided what was asked (申请), beside the decided ones' 核定.
            i.caseType === 'call'
              ? i.approvedAmountFen || i.requestedAmountFen
                ? h('span', { class: 'muted small block' }, i.approvedAmountFen ? '批次预算' : '批次预算（待审批）')
                : null
              : i.approvedAmountFen
                ? h('span', { class: 'muted small block' }, i.requestedAmountFen && i.requestedAmountFen !== i.approvedAmountFen ? `核定（申请 ${money(i.requestedAmountFen)}）` : '核定')
                : i.requestedAmountFen
                  ? h('span', { class: 'muted small block' }, '申请')
                  : null,
            i.outstandingFen ? h('span', { class: 'muted small block' }, `待还 ${money(i.outstandingFen)}`) : null,
          ),
          showClaim ? h('td', { 'data-label': '操作' }, i.claimable ? claimButton(i) : null) : null,
        ),
      ),
    ),
  );
}

/**
 * The search box and the filters of a list, in one form: sent, it puts the query in the address
 * (page 1), which shows the list again; 清除条件 goes back to the whole list.
 */
export function listFilters(
  path: string,
  query: ListQuery,
  page: WorklistPage,
  options: { searchLabel: string; assigned?: boolean; breached?: boolean; /** What else the box finds, after the reference: 企业名称 or 项目、剧目名称. */ searchFor: string },
): HTMLFormElement {
  const select = (name: keyof ListQuery, label: string, choices: [string, string][]) => {
    const id = `list-${name}`;
    // The sort choice is its column and its order (reference:asc), as the options name it.
    const current = name === 'sort' ? (query.sort ? `${query.sort}:${query.order ?? firstOrder(query.sort)}` : '') : String(query[name] ?? '');
    // A value from the address that the list no longer offers stays chosen, so that the form says what is shown.
    const all = current && !choices.some(([value]) => value === current) ? [...choices, [current, '地址中指定的条件'] as [string, string]] : choices;
    return h(
      'div',
      { class: 'field' },
      h('label', { for: id }, label),
      h('select', { id, name }, ...all.map(([value, text]) => h('option', { value, ...(value === current ? { selected: true } : {}) }, text))),
    );
  };
  const sortChoices: [string, string][] = [['', '默认顺序'], ...SORT_KEYS.flatMap((by) => (['asc', 'desc'] as const).map((order): [string, string] => [`${by}:${order}`, SORT_NAMES[by][order]]))];
  const sortSelect = select('sort', '排序', sortChoices);
  const sortControl = sortSelect.querySelector('select')!;
  sortControl.value = query.sort ? `${query.sort}:${query.order ?? firstOrder(query.sort)}` : '';
  const form = h(
    'form',
    { class: 'list-filters', role: 'search', 'aria-label': '搜索和筛选' },
    h(
      'div',
      { class: 'field list-search' },
      h('label', { for: 'list-q' }, options.searchLabel),
      h(
        'div',
        { class: 'search-row' },
        h('input', { id: 'list-q', type: 'search', name: 'q', value: query.q ?? '', maxlength: 100, autocomplete: 'off', placeholder: searchPlaceholder(page, options.searchFor) }),
        h('button', { type: 'submit', class: 'button primary' }, '查询'),
      ),
    ),
    filterPanel(
      query,
      h(
      'div',
      { class: 'filter-row' },
      select('status', '办理环节', [['', '全部环节'], ...page.facets.statuses.map((s): [string, string] => [s.status, `${s.label}（${s.count}）`])]),
      page.facets.programmes.length > 1 ? select('programmeId', '政策或事项', [['', '全部'], ...page.facets.programmes.map((p): [string, string] => [p.id, `${p.name}（${p.count}）`])]) : null,
      options.breached === false ? null : select('breached', '期限', [['', '全部'], ['true', '已超期'], ['false', '未超期']]),
      options.assigned ? select('assigned', '认领', [['', '全部'], ['mine', '我认领的'], ['unclaimed', '待认领']]) : null,
      sortSelect,
    ),
    h('p', { class: 'filter-actions' }, h('button', { type: 'submit', class: 'button' }, '应用筛选'), hasFilters(query) || query.sort ? h('a', { href: path, class: 'clear-filters' }, '清除全部条件') : null),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const value = (name: string) => String(data.get(name) ?? '').trim();
    const [sort = '', order = ''] = value('sort').split(':');
    const chosen = new URLSearchParams({ q: value('q'), status: value('status'), programmeId: value('programmeId'), breached: value('breached'), assigned: value('assigned'), sort, order });
    // 等您办理 is not a filter of the form: the search and filters narrow it, they do not leave it.
    void go(listHash(path, { ...listQueryOf(`?${chosen.toString()}`), page: 1, pageSize: query.pageSize, waiting: query.waiting }));
  });
  return form;
}

/** The phone's breakpoint (styles.css): below it the filters start folded, so that the first case is on the first screen. */
const NARROW = '(max-width: 720px)';

/** How many filters narrow the list (the search box is in sight and not counted). */
export const filterCount = (query: ListQuery) => [query.status, query.programmeId, query.breached, query.assigned].filter(Boolean).length;

/** The filters, folded on a phone and open on a laptop; the summary says how many are chosen. */
function filterPanel(query: ListQuery, ...content: (HTMLElement | null)[]): HTMLElement {
  const wide = !window.matchMedia(NARROW).matches;
  return h('details', { class: 'filter-panel', ...(wide ? { open: true } : {}) }, h('summary', {}, `筛选（已选 ${filterCount(query)} 项）`), ...content);
}

/** The search box's example: the reference prefixes of the cases the viewer has (CY-2026-… for 杨浦's fund, BA-2026-… for 市文旅局), then what else it finds. */
export function searchPlaceholder(page: Pick<WorklistPage, 'referencePrefixes'>, searchFor: string): string {
  // With this year's number, as references are written (CY-2026-000031): a prefix alone reads as a word.
  const year = shanghaiDate(Date.now()).slice(0, 4);
  const prefixes = (page.referencePrefixes ?? []).slice(0, 3).map((p) => `${p}-${year}-…`);
  return prefixes.length ? `例如 ${prefixes.join('、')} 或${searchFor}` : `编号或${searchFor}`;
}

/** A list of more than a few cases offers its search and filters; a short one is read at a glance (unless narrowed already). */
export function offersFilters(query: ListQuery, page: WorklistPage): boolean {
  const inView = page.facets.statuses.reduce((sum, s) => sum + s.count, 0);
  return inView > 10 || hasFilters(query) || Boolean(query.sort);
}

/**
 * 首页 · 上一页 · 第 N 页，共 M 页（共 T 件）· 下一页 · 末页, as links that keep the search, filters and
 * order; and the page size (每页 20 / 50 / 100 件), kept in the address too.
 */
export function pager(path: string, query: ListQuery, page: WorklistPage): HTMLElement | null {
  // One page of the smallest size says its count in the caption; the pager is for more.
  if (page.total === 0 || (page.pageCount === 1 && page.page === 1 && page.total <= PAGE_SIZE)) return null;
  const last = page.pageCount;
  // A step that goes nowhere stays in its place, greyed, so that the others do not move under the pointer.
  const step = (to: number, text: string, rel: string | null, enabled: boolean) =>
    enabled
      ? // 下一页 starts after this page's last case; any other step goes by the page's number.
        h('a', { href: listHash(path, { ...query, page: to, after: rel === 'next' ? (page.nextAfter ?? undefined) : undefined }), ...(rel ? { rel } : {}), class: 'button' }, text)
      : h('span', { class: 'button pager-off', 'aria-disabled': 'true' }, text);
  const size = query.pageSize ?? PAGE_SIZE;
  return h(
    'nav',
    { class: 'pager', 'aria-label': '分页' },
    h(
      'span',
      { class: 'pager-steps' },
      step(1, '首页', null, page.page > 1),
      step(Math.min(page.page - 1, last), '上一页', 'prev', page.page > 1),
      h('span', { class: 'pager-status', 'aria-current': 'page' }, `第 ${page.page} 页，共 ${last} 页（共 ${page.total} 件）`),
      step(page.page + 1, '下一页', 'next', page.page < last),
      step(last, '末页', null, page.page < last),
    ),
    last > 2 ? pageJump(path, query, page.page, last) : null,
    h(
      'span',
      { class: 'pager-sizes' },
      '每页',
      ...PAGE_SIZES.map((n) =>
        n === size
          ? h('span', { class: 'pager-size', 'aria-current': 'true' }, String(n))
          : h('a', { class: 'pager-size', href: listHash(path, { ...query, page: 1, pageSize: n, after: undefined }), 'aria-label': `每页 ${n} 件` }, String(n)),
      ),
      '件',
    ),
  );
}

/** 跳至第 [N] 页: a page typed in, kept between 1 and the last, with the search, filters and order. */
function pageJump(path: string, query: ListQuery, current: number, last: number): HTMLElement {
  const input = h('input', { type: 'number', name: 'page', min: '1', max: String(last), step: '1', inputmode: 'numeric', value: String(current), class: 'pager-jump-input', 'aria-label': `页码（1–${last}）` });
  // No browser validation bubble (in the browser's own language): an out-of-range page is clamped instead.
  const form = h('form', { class: 'pager-jump', novalidate: true }, h('label', {}, '跳至第 ', input, ' 页'), h('button', { type: 'submit', class: 'button' }, '跳转'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const typed = input.value.trim();
    const wanted = Math.trunc(Number(typed));
    // Nothing or no number typed stays on this page; anything else is kept within the pages there are.
    const to = typed && Number.isFinite(wanted) ? Math.min(Math.max(wanted, 1), last) : current;
    input.value = String(to);
    void go(listHash(path, { ...query, page: to, after: undefined }));
  });
  return form;
}

/** The result's caption: how many match, which page, in what order. */
export function resultCaption(query: ListQuery, page: WorklistPage, natural: string): string {
  const order = query.sort ? SORT_NAMES[query.sort][query.order ?? firstOrder(query.sort)] : natural;
  const what = hasFilters(query) ? `符合条件的共 ${page.total} 件` : `共 ${page.total} 件`;
  return `${what}，第 ${page.page} / ${page.pageCount} 页，${order}。`;
}

/**
 * What a list shows when nothing matches: with filters, the way back to the whole list; a search
 * of a list that holds only some cases (the queue: what waits for the department), the same search
 * where the rest are (全部案件) — an official searching the queue for a finished case was told only
 * that nothing matched.
 */
export function emptyList(path: string, query: ListQuery, page: WorklistPage, whenEmpty: string, searchElsewhere?: { path: string; words: string }): HTMLElement {
  if (page.total > 0 && page.page > page.pageCount) {
    return h('p', { class: 'empty' }, `第 ${page.page} 页没有案件（共 ${page.pageCount} 页）。`, h('a', { href: listHash(path, { ...query, page: page.pageCount, after: undefined }) }, '回到最后一页'));
  }
  if (hasFilters(query)) {
    return h(
      'p',
      { class: 'empty' },
      '没有符合条件的案件。',
      h('a', { href: path }, '清除全部条件'),
      ...(query.q && searchElsewhere ? [h('br'), searchElsewhere.words, h('a', { href: listHash(searchElsewhere.path, { page: 1, q: query.q }), 'data-search-elsewhere': '' }, `在全部案件中查找“${query.q}”`)] : []),
    );
  }
  return h('p', { class: 'empty' }, whenEmpty);
}
