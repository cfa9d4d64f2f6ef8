import { h } from './dom.js';
import { countdownText, money, shanghaiDate, type Countdown } from './format.js';

export interface WorklistItem {
  caseId: string;
  referenceNo: string;
  caseType: string;
  programme: { zh: string; en: string };
  status: string;
  statusLabel: string;
  applicantName: string;
  waitingFor: { role: string; department: string | null; text: string | null } | null;
  deadlineAt: string | null;
  countdown: Countdown | null;
  reviewer: { accountId: string; displayName: string | null } | null;
  breached: boolean;
  escalated: boolean;
  requestedAmountFen: number;
  outstandingFen: number;
  version: number;
  openedAt: string;
  updatedAt: string;
}

/** The countdown badge: calm while there is time, amber on the last day, red once breached. */
export function countdownBadge(c: Countdown | null, flags: { breached?: boolean; escalated?: boolean } = {}): HTMLElement {
  if (!c) return h('span', { class: 'muted' }, '—');
  const breached = c.breached || flags.breached;
  const urgent = !breached && c.workingDaysLeft <= 1;
  return h(
    'span',
    { class: `countdown ${breached ? 'countdown-breached' : urgent ? 'countdown-urgent' : ''}` },
    h('span', { class: 'countdown-text' }, breached && !c.breached ? '已超期' : countdownText(c)),
    h('span', { class: 'countdown-date' }, `截止 ${c.dueOn}`),
    flags.escalated ? h('span', { class: 'tag tag-danger' }, '已上报分管领导') : null,
  );
}

/** A list of cases as a table (cards on a phone): reference, step, who acts next, deadline. */
export function caseTable(items: WorklistItem[], options: { caption: string; linkTo?: (item: WorklistItem) => string; showApplicant?: boolean; showReviewer?: boolean }): HTMLElement {
  const linkTo = options.linkTo ?? ((i: WorklistItem) => `#/cases/${i.caseId}`);
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
        h('th', { scope: 'col' }, '受理编号'),
        h('th', { scope: 'col' }, '事项'),
        options.showApplicant ? h('th', { scope: 'col' }, '申请人') : null,
        h('th', { scope: 'col' }, '当前环节'),
        h('th', { scope: 'col' }, '下一步办理'),
        options.showReviewer ? h('th', { scope: 'col' }, '认领人') : null,
        h('th', { scope: 'col' }, '期限'),
        h('th', { scope: 'col' }, '金额'),
      ),
    ),
    h(
      'tbody',
      {},
      ...items.map((i) =>
        h(
          'tr',
          { class: i.breached ? 'row-breached' : '', 'data-case': i.caseId, 'data-reference': i.referenceNo },
          h('th', { scope: 'row', 'data-label': '受理编号' }, h('a', { href: linkTo(i) }, i.referenceNo)),
          h('td', { 'data-label': '事项' }, i.programme.zh, h('span', { class: 'muted small block' }, `受理于 ${shanghaiDate(i.openedAt)}`)),
          options.showApplicant ? h('td', { 'data-label': '申请人' }, i.applicantName) : null,
          h('td', { 'data-label': '当前环节' }, h('span', { class: `status status-${i.status}` }, i.statusLabel)),
          h('td', { 'data-label': '下一步办理' }, i.waitingFor?.text ?? '已办结'),
          options.showReviewer ? h('td', { 'data-label': '认领人' }, i.reviewer?.displayName ?? h('span', { class: 'muted' }, '未认领')) : null,
          h('td', { 'data-label': '期限' }, countdownBadge(i.countdown, i)),
          h(
            'td',
            { 'data-label': '金额', class: 'num' },
            i.requestedAmountFen ? money(i.requestedAmountFen) : '—',
            i.outstandingFen ? h('span', { class: 'muted small block' }, `待还 ${money(i.outstandingFen)}`) : null,
          ),
        ),
      ),
    ),
  );
}
