import { ApiError, get, post } from '../api.js';
import { h, mount, notice } from '../dom.js';
import { dateTimeInWords, isoDatesInWords } from '../format.js';
import { isFailure, showFailure } from '../forms.js';
import type { SignedInAccount } from '../session.js';

/** One notice as GET /api/inbox lists it. */
interface InboxNotice {
  noticeId: string;
  kind: string;
  title: string;
  body: string;
  caseId: string | null;
  referenceNo: string | null;
  /** The project's or drama's name, where the case has one. */
  caseTitle?: string | null;
  forDepartment: boolean;
  createdAt: string;
  readAt: string | null;
}

interface Inbox {
  notices: InboxNotice[];
  unreadCount: number;
  total: number;
  page: number;
  pageSize: number;
}

const KIND_TAGS: Record<string, [string, string]> = {
  'supplement-requested': ['需补正', 'tag-warn'],
  'returned-for-revision': ['需修改', 'tag-warn'],
  'instalment-due-soon': ['还款提醒', 'tag-warn'],
  'instalment-overdue': ['已逾期', 'tag-danger'],
  'deadline-approaching': ['期限将到', 'tag-danger'],
  'materials-accepted': ['已受理', ''],
  decision: ['决定', ''],
  'publicity-started': ['公示', ''],
  'money-recorded': ['资金', ''],
  'reply-received': ['待办理', 'tag-warn'],
  'claim-taken-over': ['已被接手', ''],
  'claim-released': ['交回待认领', 'tag-warn'],
  objection: ['异议', 'tag-warn'],
  recovery: ['追回', 'tag-warn'],
  'payouts-stopped': ['停止发放', ''],
  'deadline-moved': ['期限变更', ''],
  'repayment-declared': ['还款待核对', 'tag-warn'],
  'repayment-declaration-withdrawn': ['还款申报撤回', ''],
  'repayment-declaration-rejected': ['还款申报退回', 'tag-warn'],
  'loan-declined': ['放弃借款', ''],
  'account-security': ['账户安全', 'tag-warn'],
};

const PAGE_SIZE = 20;

/** The 消息 link's text: with the number of unread notices, so it is read out too. */
export function inboxLinkText(unread: number): string {
  return unread > 0 ? `消息（${unread}条未读）` : '消息';
}

/** The inbox page's sentence about unread notices. */
function unreadSentence(unread: number): string {
  return unread > 0 ? ` 您有${unread}条未读消息。` : ' 没有未读消息。';
}

/**
 * Puts the unread count on the header's 消息 link once it is known, and on the inbox page's own
 * sentence when it is shown (after a notice is marked read there); a failure leaves both as they were.
 */
export async function showUnreadCount(header: Element | null): Promise<void> {
  const link = header?.querySelector<HTMLAnchorElement>('a[href="#/inbox"]');
  const sentence = document.querySelector<HTMLElement>('[data-unread-sentence]');
  if (!link && !sentence) return;
  const inbox = await get<Inbox>('/api/inbox?pageSize=1').catch(() => undefined);
  if (!inbox) return;
  if (link) link.textContent = inboxLinkText(inbox.unreadCount);
  if (sentence) sentence.textContent = unreadSentence(inbox.unreadCount);
}

/** #/inbox: what the signed-in person has been told, newest first; opening one marks it read. */
export async function inboxPage(main: HTMLElement, params: string[], _account: SignedInAccount | undefined): Promise<void> {
  const query = new URLSearchParams(params[0] ?? '');
  const page = Math.max(1, Number(query.get('page')) || 1);
  const unreadOnly = query.get('unread') === 'true';
  const inbox = await get<Inbox>(`/api/inbox?page=${page}&pageSize=${PAGE_SIZE}${unreadOnly ? '&unread=true' : ''}`);
  const pages = Math.max(1, Math.ceil((unreadOnly ? inbox.unreadCount : inbox.total) / PAGE_SIZE));
  const hrefOf = (p: number, unread = unreadOnly) => `#/inbox?page=${p}${unread ? '&unread=true' : ''}`;
  mount(
    main,
    h('h1', { tabindex: -1 }, '消息'),
    h(
      'p',
      { class: 'lead' },
      '需要您办理的事项和对您的案件作出的决定，都会在这里通知您；留有电子邮箱的，同时发送邮件。',
      h('span', { 'data-unread-sentence': '' }, unreadSentence(inbox.unreadCount)),
    ),
    h('p', {}, unreadOnly ? h('a', { href: hrefOf(1, false), class: 'filter-link' }, '查看全部消息') : h('a', { href: hrefOf(1, true), class: 'filter-link' }, '只看未读')),
    inbox.notices.length === 0 ? h('p', { class: 'empty' }, unreadOnly ? '没有未读消息。' : '还没有消息。') : h('ol', { class: 'inbox-list', 'aria-label': '消息列表' }, ...inbox.notices.map(noticeCard)),
    pages > 1
      ? h(
          'nav',
          { 'aria-label': '翻页' },
          page > 1 ? h('a', { class: 'button', href: hrefOf(page - 1) }, '上一页') : null,
          h('span', { class: 'muted' }, ` 第${page}页，共${pages}页 `),
          page < pages ? h('a', { class: 'button', href: hrefOf(page + 1) }, '下一页') : null,
        )
      : null,
  );
}

/**
 * What the notice is about, by the case's 申请编号 and its project or drama name: 请补正材料：CY-2026-000001
 * · 城市漫游短视频. The notice's own title names the kind of case, which fifty cases share.
 */
export function headingOf(n: Pick<InboxNotice, 'title' | 'referenceNo' | 'caseTitle'>): string {
  const what = n.title.includes('：') ? n.title.slice(0, n.title.indexOf('：')) : '';
  if (!what || !n.referenceNo) return n.title;
  return `${what}：${n.referenceNo}${n.caseTitle ? ` · ${n.caseTitle}` : ''}`;
}

function noticeCard(n: InboxNotice): HTMLElement {
  const [tag, tagClass] = KIND_TAGS[n.kind] ?? ['通知', ''];
  const status = h('span', { class: 'small muted' }, n.readAt ? '已读' : '未读');
  const markRead = async (button: HTMLButtonElement | undefined) => {
    try {
      await post(`/api/inbox/${n.noticeId}/read`);
      status.textContent = '已读';
      card.classList.remove('highlight');
      button?.remove();
      // The header's count and the page's sentence, as the server now counts them.
      void showUnreadCount(document.getElementById('site-header'));
    } catch (error) {
      if (button && isFailure(error)) showFailure(button, error, () => button.click());
      else card.append(notice('error', error instanceof ApiError ? error.message : '标记已读失败，请稍后重试。'));
    }
  };
  const readButton = n.readAt ? null : h('button', { type: 'button', class: 'button link', onclick: (e: Event) => void markRead(e.currentTarget as HTMLButtonElement) }, '标为已读');
  const card = h(
    'li',
    { class: `card${n.readAt ? '' : ' highlight'}`, 'data-notice': n.noticeId },
    h('p', { class: 'tags' }, h('span', { class: `tag ${tagClass}` }, tag), n.forDepartment ? h('span', { class: 'tag' }, '本部门') : null, status),
    h('h2', {}, isoDatesInWords(headingOf(n))),
    // Notices are written by the server with ISO dates ("请于 2027-01-04 24:00 前"): read in words.
    h('p', {}, isoDatesInWords(n.body)),
    h(
      'p',
      { class: 'small muted' },
      dateTimeInWords(n.createdAt),
      n.caseId ? [' · ', h('a', { href: `#/cases/${n.caseId}`, onclick: () => void (n.readAt ? undefined : markRead(undefined)) }, `查看案件 ${n.referenceNo ?? ''}`)] : null,
      readButton ? [' · ', readButton] : null,
    ),
  );
  return card;
}
