import { get, post } from '../api.js';
import { h, mount } from '../dom.js';
import { flash, takeFlash } from '../flash.js';
import { apiForm, field, valueOf } from '../forms.js';
import { departmentName, shanghaiDate } from '../format.js';
import { refresh } from '../nav.js';
import type { SignedInAccount } from '../session.js';
import { caseTable, type WorklistItem } from '../worklist.js';

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
}

/** The department's work queue, most urgent deadline first, breaches highlighted; and 差评 follow-ups. */
export async function queuePage(main: HTMLElement, _params: string[], account: SignedInAccount | undefined): Promise<void> {
  const [{ cases }, tasks] = await Promise.all([
    get<{ cases: WorklistItem[] }>('/api/worklist?view=queue&limit=200'),
    get<{ canClose: boolean; tasks: FollowUpTask[] }>('/api/follow-up-tasks'),
  ]);
  const breached = cases.filter((c) => c.breached).length;
  const dueSoon = cases.filter((c) => !c.breached && c.countdown && c.countdown.workingDaysLeft <= 1).length;
  const openTasks = tasks.tasks.filter((t) => t.status === 'open');
  mount(
    main,
    h('h1', {}, `待办队列 · ${departmentName(account?.department)}`),
    takeFlash(),
    h(
      'p',
      { class: 'summary-line' },
      `待办 ${cases.length} 件`,
      breached ? h('span', { class: 'tag tag-danger' }, `已超期 ${breached} 件`) : null,
      dueSoon ? h('span', { class: 'tag tag-warn' }, `今明到期 ${dueSoon} 件`) : null,
    ),
    cases.length === 0
      ? h('p', { class: 'empty' }, '队列已清空，没有等待本部门办理的案件。')
      : caseTable(cases, { caption: '按期限排序：最紧急的在前，超期的标红。倒计时按工作日（含调休）计算。', showApplicant: true, showReviewer: cases.some((c) => c.caseType.startsWith('drama-')) }),
    tasks.tasks.length ? followUps(tasks.tasks, tasks.canClose, openTasks.length) : null,
  );
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
          h('p', {}, h('a', { href: `#/cases/${t.caseId}` }, t.referenceNo), ` · ${shanghaiDate(t.openedAt)} · `, h('span', { class: `pill ${t.status === 'open' ? 'pill-overdue' : 'pill-paid'}` }, t.status === 'open' ? '待跟进' : '已办结')),
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
