import { post } from '../api.js';
import { type CaseEvent, type CaseView, isApplication, isFiling, reviewersOf } from '../case-model.js';
import { h, uid } from '../dom.js';
import { flash } from '../flash.js';
import { apiForm, field, LocalIssues, valueOf } from '../forms.js';
import { departmentName, money, parseYuan, todayInShanghai, yuanInput } from '../format.js';
import { refresh } from '../nav.js';
import type { SignedInAccount } from '../session.js';
import { filingBody, filingFields } from './apply-filing.js';

interface ActionSpec {
  name: string;
  label: string;
  /** What the button says. */
  submit: string;
  department: string;
  statuses: string[];
  fields: (c: CaseView) => HTMLElement[];
  body: (form: HTMLElement, c: CaseView) => Record<string, unknown>;
  tone?: 'danger';
  done: string;
}

const lines = (text: string) =>
  text
    .split(/\n+/)
    .map((s) => s.trim())
    .filter(Boolean);

const listField = (name: string, label: string, hint: string) => field({ name, label, type: 'textarea', required: true, hint });

function amount(form: HTMLElement, name: string): number {
  const fen = parseYuan(valueOf(form, name));
  if (fen === undefined || fen <= 0) throw new LocalIssues('金额填写有误', [{ field: name, message: '请填写金额，例如 360000 或 13888.89' }]);
  return fen;
}

/** The 雏鹰 loan's official actions, by step and department (the workflow enforces the same). */
const CHUYING_ACTIONS: ActionSpec[] = [
  {
    name: 'request-supplement',
    label: '要求补正',
    submit: '发出补正通知',
    department: 'yangpu-fund',
    statuses: ['completeness-check'],
    fields: () => [listField('missingItems', '需补正的材料', '每行一项，例如：营业执照副本')],
    body: (f) => ({ missingItems: lines(valueOf(f, 'missingItems')) }),
    done: '已发出补正通知，申请人有 30 天答复。',
  },
  {
    name: 'accept-materials',
    label: '材料齐全，转网信审查',
    submit: '确认材料齐全',
    department: 'yangpu-fund',
    statuses: ['completeness-check'],
    fields: () => [],
    body: () => ({}),
    done: '材料审查通过，已转市委网信办内容合规审查。',
  },
  {
    name: 'pass-compliance-review',
    label: '内容合规审查通过',
    submit: '审查通过',
    department: 'cac',
    statuses: ['compliance-review'],
    fields: () => [field({ name: 'notes', label: '审查意见（可选）', type: 'textarea' })],
    body: (f) => ({ notes: valueOf(f, 'notes') }),
    done: '内容合规审查通过，已转基金评审决策。',
  },
  {
    name: 'fail-compliance-review',
    label: '内容合规审查不通过',
    submit: '审查不通过',
    department: 'cac',
    statuses: ['compliance-review'],
    fields: () => [listField('reasons', '不通过的理由', '每行一条')],
    body: (f) => ({ reasons: lines(valueOf(f, 'reasons')) }),
    tone: 'danger',
    done: '已记录审查不通过及理由。',
  },
  {
    name: 'approve-funding',
    label: '同意资助',
    submit: '同意资助',
    department: 'yangpu-fund',
    statuses: ['funding-decision'],
    fields: (c) => [
      field({ name: 'approvedAmountFen', label: '核定金额（元）', required: true, value: yuanInput(c.requestedAmountFen ?? 0), hint: `不超过申请金额 ${money(c.requestedAmountFen)}` }),
      field({ name: 'notes', label: '决策意见（可选）', type: 'textarea' }),
    ],
    body: (f) => ({ approvedAmountFen: amount(f, 'approvedAmountFen'), notes: valueOf(f, 'notes') }),
    done: '已同意资助，待登记放款。',
  },
  {
    name: 'reject-funding',
    label: '不予资助',
    submit: '不予资助',
    department: 'yangpu-fund',
    statuses: ['funding-decision'],
    fields: () => [listField('reasons', '不予资助的理由', '每行一条')],
    body: (f) => ({ reasons: lines(valueOf(f, 'reasons')) }),
    tone: 'danger',
    done: '已记录不予资助及理由。',
  },
  {
    name: 'record-disbursement',
    label: '登记放款',
    submit: '登记放款',
    department: 'yangpu-fund',
    statuses: ['awaiting-disbursement'],
    fields: (c) => [
      h('p', { class: 'muted' }, `放款金额为核定金额 ${money(c.approvedAmountFen)}；登记后生成 36 期还款计划。`),
      field({ name: 'disbursedOn', label: '放款日期', type: 'date', required: true, value: todayInShanghai() }),
      field({ name: 'bankReference', label: '银行流水号', required: true }),
    ],
    body: (f) => ({ disbursedOn: valueOf(f, 'disbursedOn'), bankReference: valueOf(f, 'bankReference') }),
    done: '已登记放款，还款计划已生成。',
  },
  {
    name: 'record-repayment',
    label: '登记还款',
    submit: '登记还款',
    department: 'yangpu-fund',
    statuses: ['repaying'],
    fields: (c) => {
      const next = c.schedule?.find((i) => i.paidFen < i.amountFen);
      return [
        field({ name: 'amountFen', label: '还款金额（元）', required: true, value: next ? yuanInput(next.amountFen - next.paidFen) : '', hint: `尚欠 ${money(c.outstandingFen)}；先冲抵最早未还的一期` }),
        field({ name: 'paidOn', label: '还款日期', type: 'date', required: true, value: todayInShanghai() }),
        field({ name: 'reference', label: '还款凭证号', required: true }),
      ];
    },
    body: (f) => ({ amountFen: amount(f, 'amountFen'), paidOn: valueOf(f, 'paidOn'), reference: valueOf(f, 'reference') }),
    done: '已登记还款。',
  },
];

/** Awards and services of the catalogue: the department is the one the case waits for ('*'). */
const APPLICATION_ACTIONS: ActionSpec[] = [
  ...CHUYING_ACTIONS.filter((a) => ['request-supplement', 'accept-materials', 'pass-compliance-review', 'fail-compliance-review'].includes(a.name)).map((a) => ({
    ...a,
    department: a.department === 'cac' ? 'cac' : '*',
    done: a.name === 'accept-materials' ? '材料审查通过。' : a.name === 'pass-compliance-review' ? '内容审查通过，已转评审。' : a.done,
  })),
  {
    name: 'score-application',
    label: '评审打分',
    submit: '提交打分',
    department: '*',
    statuses: ['review'],
    fields: () => [field({ name: 'score', label: '分数（0–100）', required: true, attrs: { inputmode: 'numeric' } }), field({ name: 'comments', label: '评审意见（可选）', type: 'textarea' })],
    body: (f) => {
      const score = valueOf(f, 'score');
      if (!/^\d{1,3}$/.test(score)) throw new LocalIssues('分数填写有误', [{ field: 'score', message: '请填写 0 到 100 的整数' }]);
      return { score: Number(score), comments: valueOf(f, 'comments') };
    },
    done: '已提交评审打分。',
  },
  {
    name: 'approve-application',
    label: '给予支持',
    submit: '同意',
    department: '*',
    statuses: ['review'],
    fields: (c) => [
      field({ name: 'approvedAmountFen', label: '核定金额（元，可选）', value: c.requestedAmountFen ? yuanInput(c.requestedAmountFen) : '', hint: c.maxAmountFen ? `上限 ${money(c.maxAmountFen)}` : '不涉及资金的服务可不填' }),
      field({ name: 'notes', label: '决定意见（可选）', type: 'textarea' }),
    ],
    body: (f) => ({ ...(valueOf(f, 'approvedAmountFen') ? { approvedAmountFen: amount(f, 'approvedAmountFen') } : {}), notes: valueOf(f, 'notes') }),
    done: '已决定给予支持。',
  },
  {
    name: 'reject-application',
    label: '不予支持',
    submit: '不予支持',
    department: '*',
    statuses: ['review'],
    fields: () => [listField('reasons', '不予支持的理由', '每行一条')],
    body: (f) => ({ reasons: lines(valueOf(f, 'reasons')) }),
    tone: 'danger',
    done: '已记录不予支持及理由。',
  },
  {
    name: 'report-left-yangpu',
    label: '报告迁离杨浦',
    submit: '登记迁离',
    department: '*',
    statuses: ['paying'],
    fields: () => [field({ name: 'leftOn', label: '迁离日期', type: 'date', required: true, value: todayInShanghai() }), field({ name: 'note', label: '说明（可选）', type: 'textarea' })],
    body: (f) => ({ leftOn: valueOf(f, 'leftOn'), note: valueOf(f, 'note') }),
    tone: 'danger',
    done: '已登记迁离，停止后续发放。',
  },
];

const FILING_ACTIONS: ActionSpec[] = [
  {
    name: 'claim',
    label: '认领审查',
    submit: '认领',
    department: 'culture-tourism',
    statuses: ['awaiting-claim', 'in-review'],
    fields: () => [],
    body: () => ({}),
    done: '已认领，请在期限内反馈。',
  },
  {
    name: 'approve',
    label: '备案通过',
    submit: '通过',
    department: 'culture-tourism',
    statuses: ['in-review'],
    fields: () => [field({ name: 'notes', label: '审查意见（可选）', type: 'textarea' })],
    body: (f) => ({ notes: valueOf(f, 'notes') }),
    done: '备案已通过。',
  },
  {
    name: 'return-for-revision',
    label: '退回修改',
    submit: '退回修改',
    department: 'culture-tourism',
    statuses: ['in-review'],
    fields: () => [listField('reasons', '需修改的内容', '每行一条')],
    body: (f) => ({ reasons: lines(valueOf(f, 'reasons')) }),
    done: '已退回修改。',
  },
  {
    name: 'reject',
    label: '不予备案',
    submit: '不予备案',
    department: 'culture-tourism',
    statuses: ['in-review'],
    fields: () => [listField('reasons', '不予备案的理由', '每行一条')],
    body: (f) => ({ reasons: lines(valueOf(f, 'reasons')) }),
    tone: 'danger',
    done: '已记录不予备案及理由。',
  },
];

/**
 * Why this official may not take this action now, derived from the case's events before anything
 * is sent (the workflow refuses the same): the four-eyes rule, and who may decide a filing.
 */
function constraint(spec: ActionSpec, c: CaseView, events: readonly CaseEvent[], me: SignedInAccount): string | undefined {
  if (['approve-funding', 'reject-funding', 'approve-application', 'reject-application'].includes(spec.name)) {
    const reviewers = reviewersOf(events);
    if (reviewers.has(me.accountId)) {
      return `四眼原则：您（${me.displayName}）审查过本案，不能再作资助决定。请由基金其他未参与审查的评审人员决策。`;
    }
  }
  if (isFiling(c)) {
    const round = c.rounds?.at(-1);
    const reviewer = round?.reviewer;
    const escalated = Boolean(round?.escalatedAt);
    if (spec.name === 'claim' && c.status === 'in-review') {
      if (reviewer?.accountId === me.accountId) return '您已认领本备案。';
      if (!escalated) return `本备案由 ${reviewer?.displayName ?? '其他审查人'} 审查中；超期上报后，仅分管领导可以接手。`;
    }
    if (spec.name !== 'claim' && reviewer?.accountId !== me.accountId && !escalated) {
      return reviewer ? `本备案由 ${reviewer.displayName} 认领，只有认领人（或超期上报后的分管领导）可以作出决定。` : '请先认领，再作出决定。';
    }
  }
  return undefined;
}

/** The actions the signed-in official may take now, each with its reasons form, or why not. */
export function officialActions(c: CaseView, events: readonly CaseEvent[], me: SignedInAccount): HTMLElement | null {
  const waitingDepartment = c.waitingFor?.role === 'official' ? c.waitingFor.department : undefined;
  const specs = (isFiling(c) ? FILING_ACTIONS : isApplication(c) ? APPLICATION_ACTIONS : CHUYING_ACTIONS)
    .filter((s) => s.statuses.includes(c.status))
    .map((s) => (s.department === '*' ? { ...s, department: waitingDepartment ?? c.programme?.department ?? '' } : s));
  if (specs.length === 0) return null;
  const mine = specs.filter((s) => s.department === me.department);
  if (mine.length === 0) {
    const who = [...new Set(specs.map((s) => departmentName(s.department)))].join('、');
    return h('section', { class: 'card', 'aria-labelledby': 'actions-h' }, h('h2', { id: 'actions-h' }, '办理'), h('p', {}, `当前环节由${who}办理，您所在部门无需操作。`));
  }
  return h(
    'section',
    { class: 'card actions', 'aria-labelledby': 'actions-h' },
    h('h2', { id: 'actions-h' }, '办理'),
    h('div', { class: 'action-grid' }, ...mine.map((spec) => actionForm(spec, c, events, me))),
  );
}

function actionForm(spec: ActionSpec, c: CaseView, events: readonly CaseEvent[], me: SignedInAccount): HTMLElement {
  const why = constraint(spec, c, events, me);
  const form = apiForm({
    label: spec.label,
    submitText: spec.submit,
    className: spec.tone === 'danger' ? 'danger' : '',
    fields: spec.fields(c),
    async action(f) {
      await post(`/api/cases/${c.caseId}/${spec.name}`, { expectedVersion: c.version, ...spec.body(f, c) });
      flash(spec.done);
      await refresh();
    },
  });
  const box = h('div', { class: `action ${spec.tone ?? ''}`, 'data-action': spec.name }, h('h3', {}, spec.label), form);
  if (why) {
    const id = uid('why');
    box.insertBefore(h('p', { class: 'constraint', id }, why), form);
    for (const control of form.querySelectorAll<HTMLInputElement | HTMLButtonElement | HTMLTextAreaElement>('input, textarea, select, button')) {
      control.disabled = true;
      control.setAttribute('aria-describedby', `${control.getAttribute('aria-describedby') ?? ''} ${id}`.trim());
    }
  }
  return box;
}

/** The applicant's move: answer the 补正 request item by item, in place. */
export function supplementForm(c: CaseView): HTMLElement | null {
  if (c.status !== 'awaiting-supplement' || !c.supplement) return null;
  const items = c.supplement.missingItems;
  const form = apiForm({
    label: '提交补正材料',
    submitText: '提交补正',
    fields: items.map((item, i) => field({ name: `responses.${i}`, label: item, type: 'textarea', required: true, hint: '填写说明或材料的文件名' })),
    async action(f) {
      await post(`/api/cases/${c.caseId}/provide-supplement`, { expectedVersion: c.version, responses: items.map((item, i) => ({ item, response: valueOf(f, `responses.${i}`) })) });
      flash('补正材料已提交，基金工作人员将继续审查。');
      await refresh();
    },
  });
  return h(
    'section',
    { class: 'card highlight', 'aria-labelledby': 'supplement-h' },
    h('h2', { id: 'supplement-h' }, '请补正材料'),
    h('p', {}, `第 ${c.supplement.round} 次补正：请逐项答复，于 ${c.supplement.replyDueOn} 24:00 前提交；逾期未提交视为撤回申请。`),
    form,
  );
}

/** The producer's move after a return: change the filing and resubmit (a new review clock starts). */
export function resubmitForm(c: CaseView): HTMLElement | null {
  if (c.status !== 'returned' || !c.filing) return null;
  const f0 = c.filing;
  const form = apiForm({
    label: '修改后重新提交',
    submitText: '重新提交',
    fields: [
      ...filingFields({
        title: f0.title,
        producer: f0.producer,
        episodeCount: String(f0.episodeCount),
        episodeLengthMinutes: String(f0.episodeLengthMinutes),
        platform: f0.platform,
        synopsis: f0.synopsis,
        aiGenerated: String(f0.aiGenerated),
      }),
      field({ name: 'changeNote', label: '修改说明', type: 'textarea' }),
    ],
    async action(f) {
      await post(`/api/cases/${c.caseId}/resubmit`, { expectedVersion: c.version, filing: filingBody(f), changeNote: valueOf(f, 'changeNote') });
      flash('已重新提交，新的审查期限已开始计算。');
      await refresh();
    },
  });
  return h(
    'section',
    { class: 'card highlight', 'aria-labelledby': 'resubmit-h' },
    h('h2', { id: 'resubmit-h' }, '退回修改'),
    c.reasons?.length ? h('ul', {}, ...c.reasons.map((r) => h('li', {}, r))) : null,
    form,
  );
}

/** Steps at which the applicant may still withdraw (before the decision). */
const WITHDRAWABLE = ['completeness-check', 'awaiting-supplement', 'compliance-review', 'funding-decision', 'review'];

/** The applicant withdraws a loan application or an application under the catalogue, with a reason. */
export function withdrawForm(c: CaseView): HTMLElement | null {
  if (isFiling(c) || !WITHDRAWABLE.includes(c.status)) return null;
  const form = apiForm({
    label: '撤回申请',
    submitText: '撤回申请',
    className: 'danger',
    fields: [field({ name: 'reason', label: '撤回原因（可选）', type: 'textarea' })],
    async action(f) {
      await post(`/api/cases/${c.caseId}/withdraw`, { expectedVersion: c.version, reason: valueOf(f, 'reason') });
      flash('申请已撤回。');
      await refresh();
    },
  });
  return h('details', { class: 'card withdraw' }, h('summary', {}, '不再需要？撤回申请'), h('p', { class: 'muted' }, '撤回后本案办结，如需支持可重新申请。'), form);
}
