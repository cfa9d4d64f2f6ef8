import { get } from '../api.js';
import type { CaseView } from '../case-model.js';
import { h, mount } from '../dom.js';
import { dateTag } from '../date-tags.js';
import { dateTimeInWords, departmentName } from '../format.js';
import type { SignedInAccount } from '../session.js';
import { FILING_TYPES, numberLabel } from './apply-filing.js';
import { PROVISIONAL_DAY_NOTE } from '../worklist.js';

/** What the first deadline of a new case is for, by its kind (the case's step says the rest). */
const DEADLINE_WORK: Record<string, string> = {
  'completeness-check': '完成材料审查；逾期未告知补正的，视为材料齐全',
  'filing-review': '反馈审查结果',
};

export const submittedPath = (caseId: string) => `#/submitted/${caseId}`;

interface TermsDetail {
  current: { terms: { timeLimits: { contentReviewWorkingDays: number; decisionWorkingDays: number } } };
}

/**
 * The confirmation after an application or a filing is sent (GOV.UK confirmation page): its 申请编号
 * — not 受理编号, for 受理 (accepted) comes only after the completeness check — the 查询码, what
 * happens next and by when, from the case as the API shows it.
 */
export async function submittedPage(main: HTMLElement, [caseId]: string[], _account: SignedInAccount | undefined): Promise<void> {
  const c = await get<CaseView>(`/api/cases/${caseId}`);
  const filing = FILING_TYPES[c.caseType];
  const programmeId = c.programme?.id ?? c.caseType;
  // The promised limits of the later steps, in words; the page stands without them.
  const [terms, programme] = filing
    ? [null, null]
    : await Promise.all([get<TermsDetail>(`/api/programme-terms/${programmeId}`).catch(() => null), get<{ requiresContentReview?: boolean }>(`/api/programmes/${programmeId}`).catch(() => null)]);
  const what = filing ? '备案' : '申请';
  const who = c.waitingFor?.role === 'official' ? departmentName(c.waitingFor.department) || '受理部门' : '';
  const dueOn = c.deadline?.dueOn ?? c.deadline?.lastWorkingDay;
  const number = numberLabel(c.caseType);
  document.title = `${what}已提交 · ${number} ${c.referenceNo} · 优创`;
  mount(
    main,
    h(
      'div',
      { class: 'panel-confirm' },
      h('h1', {}, `${what}已提交`),
      h('p', {}, c.programme?.zh ?? ''),
      h('p', { class: 'panel-reference' }, number, h('strong', { class: 'reference-no' }, c.referenceNo)),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'next-h' },
      h('h2', { id: 'next-h' }, '接下来会怎样'),
      h(
        'ol',
        { class: 'next-steps' },
        h('li', {}, `${dateTimeInWords(c.openedAt)} 提交。`, `现在：${c.statusLabel}${who ? `，由${who}办理` : ''}。`),
        dueOn
          ? h(
              'li',
              { class: 'next-deadline' },
              `${who || '经办部门'}应在 `,
              h('strong', {}, dateTag(dueOn)),
              `（含）前${DEADLINE_WORK[c.deadline?.kind ?? ''] ?? `办完“${c.statusLabel}”`}。`,
              c.deadline?.provisional ? h('span', { class: 'muted block small' }, PROVISIONAL_DAY_NOTE) : null,
            )
          : null,
        filing
          ? h('li', {}, dueOn ? `市文旅局在 ${filing.days} 个工作日内审查反馈（工作日按国务院节假日安排计算，含调休）。` : '重点微短剧沪8条未承诺审查时限，请留意办理进度。')
          : h('li', {}, '材料不齐或需要说明的，受理部门会一次告知需要补正的全部内容，请留意“消息”和“我的办件”。材料齐全即予受理，申请编号也就是受理编号。'),
        terms ? h('li', {}, limitsInWords(terms.current.terms.timeLimits, programme?.requiresContentReview === true)) : null,
        h('li', {}, '办理结果会在“消息”中通知您，也可以随时在“我的办件”中查看。'),
      ),
    ),
    c.progressCode
      ? h(
          'section',
          { class: 'card', 'aria-labelledby': 'lookup-h' },
          h('h2', { id: 'lookup-h' }, '不登录也能查进度'),
          h('p', {}, '凭申请编号和查询码，可以在“办件进度查询”中查看办理进度，无需登录。查询码：', h('code', { class: 'progress-code' }, c.progressCode)),
          h('p', {}, h('a', { href: `#/progress?ref=${encodeURIComponent(c.referenceNo)}` }, '办件进度查询')),
        )
      : null,
    h('p', { class: 'confirm-actions' }, h('a', { class: 'button primary', href: `#/cases/${c.caseId}` }, '查看办件'), h('a', { class: 'button', href: '#/cases' }, '我的办件')),
  );
}

/** The working days the measure promises for the steps after 受理, in words. */
function limitsInWords(limits: { contentReviewWorkingDays: number; decisionWorkingDays: number }, contentReview: boolean): string {
  const review = contentReview ? `市委网信办在 ${limits.contentReviewWorkingDays} 个工作日内完成内容审查，` : '';
  return `受理后，${review}经办部门在 ${limits.decisionWorkingDays} 个工作日内作出决定（工作日按国务院节假日安排计算）。`;
}
