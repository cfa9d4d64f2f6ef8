import { get, post } from '../api.js';
import { h, mount } from '../dom.js';
import { flash, takeFlash } from '../flash.js';
import { apiForm, field, valueOf } from '../forms.js';
import { dateTag } from '../date-tags.js';
import { dateInWords, departmentName, shanghaiDate, todayInShanghai } from '../format.js';
import { daysBetween, type LocalDate } from '../../../domain/time/local-date.js';
import { refresh } from '../nav.js';
import type { SignedInAccount } from '../session.js';
import { bulkClaim, caseTable, emptyList, offersFilters, listFilters, listHash, listQueryOf, listTitle, pager, restoreListScroll, resultCaption, takeBulkClaimSummary, worklistPage, type ListQuery, type WorklistPage } from '../worklist.js';

interface FollowUpTask {
  taskId: string;
  caseId: string;
  referenceNo: string;
  departmentName: string | null;
  score: number;
  reason: string;
  status: string;
  openedAt: string;
  closedAt: string | null;
  closedBy: string | null;
  note: string | null;
  applicantName?: string | null;
  programme?: string | null;
  caseStatusLabel?: string | null;
  decidedOn?: string | null;
}

/** The department's work queue: searched, filtered, sorted and paged, the query in the address; what waits counted; claims from the list. */
export async function queuePage(main: HTMLElement, _params: string[], account: SignedInAccount | undefined): Promise<void> {
  const path = '#/queue';
  const query = listQueryOf(location.hash);
  const heading = `待办队列 · ${departmentName(account?.department)}`;
  document.title = listTitle('待办队列', query);
  const [page, tasks] = await Promise.all([worklistPage('queue', query), get<{ canClose: boolean; tasks: FollowUpTask[] }>('/api/follow-up-tasks')]);
  const waiting = page.waiting ?? { total: page.total, breached: 0, dueSoon: 0 };
  const openTasks = tasks.tasks.filter((t) => t.status === 'open');
  // The counts link to the cases they count.
  const countLink = (text: string, filter: Partial<ListQuery>, className: string) => h('a', { class: `tag ${className}`, href: listHash(path, { page: 1, ...filter }) }, text);
  // 批量认领: the unclaimed lines of this page the official may claim, chosen and claimed at once.
  const bulk = bulkClaim(page.cases);
  mount(
    main,
    h('h1', {}, heading),
    takeFlash(),
    takeBulkClaimSummary(),
    h(
      'p',
      { class: 'summary-line' },
      `待办 ${waiting.total} 件`,
      waiting.breached ? countLink(`已超期 ${waiting.breached} 件`, { breached: 'true' }, 'tag-danger') : null,
      waiting.dueSoon ? h('span', { class: 'tag tag-warn' }, `今明到期 ${waiting.dueSoon} 件`) : null,
    ),
    waiting.total === 0
      ? h('p', { class: 'empty' }, '队列已清空，没有等待本部门办理的案件。')
      : [
          offersFilters(query, page) && listFilters(path, query, page, { searchLabel: '搜索编号、申请人或项目名称', searchFor: '申请人、项目名称', assigned: claimsInQueue(page) || Boolean(query.assigned) }),
          page.cases.length === 0 ? null : bulk?.bar,
          page.cases.length === 0
            ? emptyList(path, query, page, '队列已清空，没有等待本部门办理的案件。', { path: '#/cases', words: '待办队列只列出等待本部门办理的案件；已办结或等待他人的案件：' })
            : caseTable(page.cases, {
                // A loan waiting for the fund to check a reported repayment keeps its instalment's day, counted in days.
                caption: `${resultCaption(query, page, '优先办理的在前，其余按期限排列')}超期的标红；倒计时按工作日（含调休）计算${page.cases.some((c) => c.countdown?.counting === 'calendar-days') ? '，借款的应还日按自然日计算' : ''}。`,
                showApplicant: true,
                showReviewer: page.cases.some((c) => c.caseType.startsWith('drama-')),
                showClaim: true,
                bulk,
                // Everything here waits for this department: 下一步办理 would repeat its name on every row.
                showWaitingFor: false,
                sorting: { path, query, natural: { by: 'deadline', order: 'asc' } },
              }),
          pager(path, query, page),
        ],
    tasks.tasks.length ? followUps(tasks.tasks, tasks.canClose, openTasks.length) : null,
  );
  restoreListScroll();
}

/** Whether the queue holds cases that are claimed before review (drama filings), so that 我认领的 / 待认领 mean something. */
function claimsInQueue(page: WorklistPage): boolean {
  return page.facets.programmes.some((p) => /^drama-[a-z]+-filing$/.test(p.id));
}

function followUps(tasks: FollowUpTask[], canClose: boolean, open: number): HTMLElement {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'tasks-h' },
    h('h2', { id: 'tasks-h' }, `差评跟进（待办 ${open} 件）`),
    h('p', { class: 'muted' }, '申请人给出 1 分或 2 分的评价时，转部门分管领导跟进。'),
    h(
      'ul',
      { class: 'tasks' },
      ...tasks.map((t) =>
        h(
          'li',
          { class: `task task-${t.status}`, 'data-task': t.taskId },
          h('p', {}, h('a', { href: `#/cases/${t.caseId}` }, t.referenceNo), ' · ', dateTag(shanghaiDate(t.openedAt)), ' · ', h('span', { class: `pill ${t.status === 'open' ? 'pill-overdue' : 'pill-paid'}` }, t.status === 'open' ? '待跟进' : '已办结')),
          // Whose case, under which measure, where it ended, and how long the task has waited: what the supervisor follows up on.
          h('p', { class: 'muted small', 'data-task-case': '' }, [t.applicantName, t.programme, t.caseStatusLabel, t.decidedOn ? `${dateInWords(t.decidedOn)}作出决定` : null, t.status === 'open' ? `已等待跟进 ${daysBetween(shanghaiDate(t.openedAt) as LocalDate, todayInShanghai() as LocalDate)} 天` : null].filter(Boolean).join(' · ')),
          h('p', {}, t.reason),
          t.status === 'closed' ? h('p', { class: 'muted' }, `${t.closedBy ?? ''}：${t.note ?? ''}`) : null,
          t.status === 'open' && canClose
            ? apiForm({
                label: `办结 ${t.referenceNo} 的差评跟进`,
                submitText: '办结',
                fields: [field({ name: 'note', label: '跟进情况', type: 'textarea', required: true })],
                async action(f) {
                  await post(`/api/cases/${t.caseId}/rating/follow-up/close`, { note: valueOf(f, 'note') });
                  flash('差评跟进已办结。');
                  await refresh();
                },
              })
            : null,
        ),
      ),
    ),
  );
}
