import { get, post } from '../api.js';
import type { AvailableAction, CaseEvent, CaseView } from '../case-model.js';
import { h, mount, uid } from '../dom.js';
import { flash, takeFlash } from '../flash.js';
import { apiForm, controlOf, field, LocalIssues, plannedBody, plannedFields } from '../forms.js';
import { dateTimeInWords, isoDatesInWords, money, numberText, periodInWords, todayInShanghai } from '../format.js';
import { refresh } from '../nav.js';
import { planFields, type JsonSchema } from '../schema-form.js';
import type { SignedInAccount } from '../session.js';
import { actionBox, confirmation, decides } from './case-actions.js';
import { overviewValue } from './overview.js';
import { isInstant, ledgerList, type CallFacts, type CallLedger } from './calls.js';

/** The panel of a competitive call as GET /api/cases/:callId shows it (cases/call.case.ts `CallPanelDetails`). */
interface PanelView {
  status: 'not-named' | 'scoring' | 'list-proposed' | 'approved';
  statusLabel: string;
  members: { accountId: string; displayName: string; kind: 'expert' | 'official' }[];
  criteria: Criterion[];
  minScorers: number;
  referredCaseIds: string[];
  ranking: (RankedRow | MemberRow)[];
  list: {
    listId: string;
    summary: string;
    proposedBy: string;
    proposed: { caseId: string; referenceNo: string; rank: number; amountFen: number }[];
    /** Absent from a list read before it was written (an older API answer). */
    passedOver?: { caseId: string; referenceNo: string; rank: number; amountFen: number; reason: string }[];
  } | null;
  approval: { listId: string; by: string; approvedAt: string } | null;
}

interface Criterion {
  id: string;
  name: string;
  weightPercent: number;
  maxPoints: number;
}

/** A row of the ranking as an expert of the panel reads it: which application, and their own standing on it (api/views/panel-confidentiality.ts). */
interface MemberRow {
  caseId: string;
  referenceNo: string;
  applicantName: string;
  amountFen: number;
  /** Who may still score it: the office reads every member; an expert only themselves. */
  awaiting: string[];
  /** Who recused from it (回避): the office reads every member; an expert only themselves. */
  recused: string[];
  /** To an expert: they have declared no conflict with it (and may score it). */
  declaredNoConflict?: boolean;
}

/** A row of the ranking as the office reads it: with its figures. */
interface RankedRow extends MemberRow {
  /** Its place among the rankable applications; null for one short of scorers (暂不排名). */
  rank: number | null;
  scorers: number;
  method: 'mean' | 'trimmed-mean';
  /** Centi-points on the 0–100 scale of the weights. */
  aggregate: number;
  rankable: boolean;
}

export type CallCaseView = CaseView & { call: CallFacts; panel?: PanelView };

/** An application the panel reviews: referred to it already, or waiting for it (评审委员会评审). */
interface PanelApplication {
  caseId: string;
  referenceNo: string;
  applicantName: string;
  amountFen: number;
  title?: string;
}

/** What a panel member has done on one application, read from the call's events. */
type MemberStep =
  | { kind: 'none' }
  | { kind: 'no-conflict' }
  | { kind: 'conflict'; reason: string }
  | { kind: 'scored'; total: number }
  /** Without the call's events (an expert's view), the ranking's "who may still score" and "who recused" tell. */
  | { kind: 'open' }
  | { kind: 'recused' }
  | { kind: 'done' };

/** The actions taken on one application of the call: drawn per application, the application fixed. */
const PER_APPLICATION = ['declare-no-conflict', 'declare-conflict', 'submit-score'];
/** The actions that belong to the proposed list: shown with it. */
const WITH_LIST = ['approve-batch', 'return-list'];
const METHOD_WORDS = { mean: '平均分', 'trimmed-mean': '去掉一个最高分和一个最低分后的平均分' } as const;
/** The overview's lines this page shows in sections of their own. */
const SHOWN_ELSEWHERE = new Set(['评审组', '评分标准', '当前排名', '拟资助名单', '批量审批', '申报时间']);

/**
 * A call's case page (申报批次): its facts, its budget ledger, the panel, and — for a panel member —
 * the applications to declare conflicts on and score; then the ranking, the proposed list and the
 * director's batch approval. Every form comes from the actions the API offers this account
 * (`availableActions`), so who may act, and why not now, is the API's answer.
 */
export async function callDetailPage(main: HTMLElement, c: CallCaseView, events: readonly CaseEvent[] | null, me: SignedInAccount, timeline: HTMLElement | null): Promise<void> {
  const actions = c.availableActions ?? [];
  const panel = c.panel;
  const onPanel = !!panel && panel.members.some((m) => m.accountId === me.accountId);
  const [ledger, waiting] = await Promise.all([
    // Officials of the call's department and auditors read the ledger; anyone else is refused, and the page stands without it.
    me.role === 'official' || me.role === 'auditor' ? get<CallLedger>(`/api/calls/${c.caseId}/budget`).catch(() => null) : Promise.resolve(null),
    panel && panel.status !== 'not-named' && c.call.mode === 'competitive' ? waitingApplications(c.call) : Promise.resolve([]),
  ]);
  const applications = panelApplications(panel, waiting);
  const general = actions.filter((a) => !PER_APPLICATION.includes(a.name) && !WITH_LIST.includes(a.name) && a.name !== 'propose-list');
  mount(
    main,
    h('p', { class: 'breadcrumb' }, h('a', { href: me.role === 'official' ? '#/calls' : '#/cases' }, me.role === 'official' ? '← 申报批次' : me.role === 'expert' ? '← 评审任务' : '← 返回')),
    h('h1', {}, h('span', { class: 'muted small block' }, `申报批次 · ${c.call.programme.name}`), c.call.title),
    takeFlash(),
    statusCard(c),
    ledger ? ledgerCard(ledger) : null,
    general.length ? h('section', { class: 'card actions', 'aria-labelledby': 'call-actions-h' }, h('h2', { id: 'call-actions-h' }, '办理'), actionGroup(c, general, '目前没有需要您办理的事项。')) : null,
    panel && panel.status !== 'not-named' ? panelCard(panel) : null,
    onPanel && actions.some((a) => PER_APPLICATION.includes(a.name)) ? scoringCard(c, applications, actions, events, me) : null,
    // An expert reads no figures of the panel (the API sends their ranking without them): their scoring card says what is theirs to do.
    panel && panel.status !== 'not-named' && me.role !== 'expert' ? rankingCard(c, panel, applications, actions) : null,
    panel?.list || panel?.approval ? listCard(c, panel, actions) : null,
    factsCard(c),
    timeline,
  );
}

/**
 * The actions the API offers: those that may be taken now in full, those that may not (each with the
 * API's reason) folded away, so that a call's page leads with what is to be done.
 */
function actionGroup(c: CallCaseView, actions: readonly AvailableAction[], nothingNow?: string): HTMLElement {
  const box = (a: AvailableAction) => (a.name === 'name-panel' ? namePanelBox(c, a) : a.name === 'add-panel-member' ? withMemberPicker(c, actionBox(c, a)) : withInstants(a, actionBox(c, a)));
  const now = actions.filter((a) => a.enabled);
  const later = actions.filter((a) => !a.enabled);
  return h(
    'div',
    { class: 'action-group' },
    now.length ? h('div', { class: 'action-grid' }, ...now.map(box)) : nothingNow ? h('p', { class: 'muted' }, nothingNow) : null,
    later.length ? h('details', { class: 'later-actions' }, h('summary', {}, `暂不能办理的事项（${later.length} 项）：${later.map((a) => a.label).join('、')}`), h('div', { class: 'action-grid' }, ...later.map(box))) : null,
  );
}

/**
 * A call's instants are Shanghai wall-clock minutes (2026-09-20T09:00), which schema-form draws as
 * dates: typed here as date and time, starting from the call's own (the action's prefill).
 */
function withInstants(action: AvailableAction, box: HTMLElement): HTMLElement {
  for (const name of Object.keys(action.bodySchema.properties ?? {}).filter((n) => isInstant(action.bodySchema, n))) {
    const input = box.querySelector<HTMLInputElement>(`input[name="${name}"]`);
    if (!input) continue;
    input.type = 'datetime-local';
    input.value = typeof action.prefill[name] === 'string' ? (action.prefill[name] as string) : '';
    const hint = input.closest('.field')?.querySelector('.hint');
    if (hint) hint.textContent = '北京时间，精确到分钟';
  }
  return box;
}

function statusCard(c: CallCaseView): HTMLElement {
  return h(
    'section',
    { class: 'card progress', 'aria-labelledby': 'call-progress-h' },
    h('h2', { id: 'call-progress-h' }, '批次状态'),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, '当前环节'),
      h('dd', {}, h('span', { class: `status status-${c.status}` }, c.statusLabel)),
      h('dt', {}, '申报时间'),
      h('dd', {}, periodInWords(c.call.opensAt, c.call.closesAt), h('span', { class: 'muted block small' }, '北京时间')),
      h('dt', {}, '下一步'),
      h('dd', {}, c.waitingFor?.note ? isoDatesInWords(c.waitingFor.note) : '无需办理'),
      c.call.closed ? [h('dt', {}, '提前截止'), h('dd', {}, `${c.call.closed.by}于${dateTimeInWords(c.call.closed.closedAt)}截止：${c.call.closed.reason}`)] : null,
      h('dt', {}, '批次编号'),
      h('dd', {}, c.referenceNo),
    ),
  );
}

function ledgerCard(ledger: CallLedger): HTMLElement {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'ledger-h', 'data-ledger': '' },
    h('h2', { id: 'ledger-h' }, '预算台账'),
    ledgerList(ledger),
    h('p', { class: 'muted small' }, '已承诺：已批准的资助金额；已支付：其中已拨付的金额；已收回：追回或还款收回的金额；剩余 = 预算 − 已承诺，新的批准不能超过剩余金额。'),
  );
}

function panelCard(panel: PanelView): HTMLElement {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'panel-h' },
    h('h2', { id: 'panel-h' }, '评审组'),
    h('p', {}, h('span', { class: 'pill pill-due' }, panel.statusLabel), ` 每份申请至少 ${panel.minScorers} 人有效打分方可排名。`),
    h('h3', {}, '成员'),
    h('ul', { class: 'panel-members' }, ...panel.members.map((m) => h('li', { 'data-member': m.accountId }, m.displayName, ' ', h('span', { class: 'tag' }, m.kind === 'expert' ? '评审专家' : '工作人员')))),
    h('h3', {}, '评分标准'),
    h(
      'table',
      { class: 'criteria' },
      h('caption', { class: 'visually-hidden' }, '评分标准及权重'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '标准'), h('th', { scope: 'col', class: 'num' }, '权重'), h('th', { scope: 'col', class: 'num' }, '满分'))),
      h('tbody', {}, ...panel.criteria.map((cr) => h('tr', {}, h('th', { scope: 'row' }, cr.name), h('td', { class: 'num' }, `${cr.weightPercent}%`), h('td', { class: 'num' }, `${cr.maxPoints} 分`)))),
    ),
  );
}

/** The applications of this call waiting for its panel: the account's visible cases at that step, confirmed by each case's own call. */
async function waitingApplications(call: CallFacts): Promise<PanelApplication[]> {
  const { cases } = await get<{ cases: { caseId: string; caseType: string; programmeId: string | null }[] }>('/api/cases?status=panel-review&limit=100').catch(() => ({ cases: [] }));
  const candidates = cases.filter((x) => x.caseType === 'application' && x.programmeId === call.programme.id);
  const views = await Promise.all(candidates.map((x) => get<CaseView & { call?: { callId: string } }>(`/api/cases/${x.caseId}`).catch(() => null)));
  return views
    .filter((v): v is CaseView & { call: { callId: string } } => v?.call?.callId === call.callId)
    .map((v) => ({ caseId: v.caseId, referenceNo: v.referenceNo, applicantName: v.applicant.name, amountFen: v.requestedAmountFen ?? 0, ...(v.details?.title ? { title: v.details.title } : {}) }));
}

function panelApplications(panel: PanelView | undefined, waiting: PanelApplication[]): PanelApplication[] {
  const referred = (panel?.ranking ?? []).map((r) => ({ caseId: r.caseId, referenceNo: r.referenceNo, applicantName: r.applicantName, amountFen: r.amountFen }));
  const all = new Map<string, PanelApplication>();
  for (const a of [...waiting, ...referred]) all.set(a.caseId, { ...all.get(a.caseId), ...a });
  return [...all.values()].sort((a, b) => a.referenceNo.localeCompare(b.referenceNo));
}

function memberStep(events: readonly CaseEvent[], accountId: string, caseId: string): MemberStep {
  let step: MemberStep = { kind: 'none' };
  for (const e of events) {
    const data = e.data as { caseId?: string; member?: { accountId: string }; reason?: string; total?: number };
    if (data.caseId !== caseId || data.member?.accountId !== accountId) continue;
    if (e.type === 'NoConflictDeclared' && step.kind === 'none') step = { kind: 'no-conflict' };
    else if (e.type === 'ConflictDeclared') step = { kind: 'conflict', reason: data.reason ?? '' };
    else if (e.type === 'ScoreSubmitted' && step.kind !== 'conflict') step = { kind: 'scored', total: data.total ?? 0 };
  }
  return step;
}

/**
 * An expert may not read the call's events: the ranking's `awaiting` (members who may still score
 * an application: not recused, not yet scored) and `recused` are what tell them apart. Done and not
 * recused means scored.
 */
function stepFromRanking(panel: PanelView | undefined, me: SignedInAccount, caseId: string): MemberStep {
  const row = panel?.ranking.find((r) => r.caseId === caseId);
  if (!row) return { kind: 'none' };
  if (row.awaiting.includes(me.displayName)) return 'declaredNoConflict' in row && row.declaredNoConflict ? { kind: 'no-conflict' } : { kind: 'open' };
  return row.recused.includes(me.displayName) ? { kind: 'recused' } : { kind: 'done' };
}

const points = (centi: number) => `${(centi / 100).toFixed(2)} 分`;

/** 评审打分: each application with what this member has done on it, and the next move the API allows. */
function scoringCard(c: CallCaseView, applications: PanelApplication[], actions: readonly AvailableAction[], events: readonly CaseEvent[] | null, me: SignedInAccount): HTMLElement {
  const byName = (name: string) => actions.find((a) => a.name === name);
  return h(
    'section',
    { class: 'card scoring', 'aria-labelledby': 'scoring-h' },
    h('h2', { id: 'scoring-h' }, '评审打分'),
    h('p', { class: 'muted' }, '请先对每份申请声明是否存在利益冲突：存在的申请回避，不为其打分；不存在的，按每项评分标准打分并写评语，提交后不能修改。'),
    applications.length === 0
      ? h('p', { class: 'empty' }, '目前没有待评审的申请。')
      : h(
          'ol',
          { class: 'scoring-list' },
          ...applications.map((app) => {
            const step = events ? memberStep(events, me.accountId, app.caseId) : stepFromRanking(c.panel, me, app.caseId);
            return h(
              'li',
              { class: 'scoring-item', 'data-application': app.referenceNo },
              h('h3', {}, h('a', { href: `#/cases/${app.caseId}` }, app.referenceNo), ` · ${app.applicantName}`),
              h('p', { class: 'muted small' }, [app.title, `申请金额 ${money(app.amountFen)}`].filter(Boolean).join(' · ')),
              h('p', { class: `member-step step-${step.kind}` }, stepWords(step)),
              ...nextMoves(c, app, step, byName),
            );
          }),
        ),
  );
}

function stepWords(step: MemberStep): string {
  switch (step.kind) {
    case 'none':
      return '尚未声明是否存在利益冲突。';
    case 'no-conflict':
      return '已声明无利益冲突，待打分。';
    case 'conflict':
      return `已回避：${step.reason}`;
    case 'scored':
      return `已打分：加权总分 ${points(step.total)}。`;
    case 'open':
      return '待您声明并打分：尚未声明的请先声明是否存在利益冲突；已声明无利益冲突的可直接打分。';
    case 'recused':
      return '您已回避该申请，不为其打分。';
    case 'done':
      return '您已为该申请打分，提交后不能修改。';
  }
}

function nextMoves(c: CallCaseView, app: PanelApplication, step: MemberStep, byName: (name: string) => AvailableAction | undefined): HTMLElement[] {
  if (step.kind === 'conflict' || step.kind === 'scored' || step.kind === 'recused' || step.kind === 'done') return [];
  const noConflict = byName('declare-no-conflict');
  const conflict = byName('declare-conflict');
  const score = byName('submit-score');
  const recuse = conflict ? h('details', { class: 'recuse' }, h('summary', {}, conflict.label.includes('回避') ? conflict.label : `${conflict.label}（回避）`), rowActionForm(c, conflict, app)) : null;
  const declare = h('div', { class: 'row-actions' }, noConflict ? rowActionForm(c, noConflict, app) : null);
  if (step.kind === 'none') return [declare, ...(recuse ? [recuse] : [])];
  if (step.kind === 'open') return [declare, ...(score ? [scoreForm(c, score, app)] : []), ...(recuse ? [recuse] : [])];
  return [...(score ? [scoreForm(c, score, app)] : []), ...(recuse ? [recuse] : [])];
}

/**
 * One action on one application: the fields its body schema asks for besides the application
 * itself (a reason to recuse), and the application fixed. Sent without expectedVersion: members act
 * on different applications at once, and the decider checks each move against the call as it is.
 */
function rowActionForm(c: CallCaseView, action: AvailableAction, app: PanelApplication): HTMLElement {
  const plan = planFields(action.bodySchema, { ...action.prefill, caseId: app.caseId }, { today: todayInShanghai() }).filter((f) => f.name !== 'caseId');
  const form = apiForm({
    label: `${action.label}：${app.referenceNo}`,
    submitText: action.submit || action.label,
    className: action.tone === 'danger' ? 'danger' : '',
    fields: plannedFields(plan),
    ...(decides(action) ? { confirm: { text: confirmation(action), check: (f: HTMLFormElement) => void plannedBody(f, plan) } } : {}),
    async action(f) {
      await post(`/api/cases/${c.caseId}/${encodeURIComponent(action.name)}`, { ...plannedBody(f, plan), caseId: app.caseId });
      flash(`${app.referenceNo}：${action.done}`);
      await refresh();
    },
  });
  form.dataset.action = action.name;
  return disabledUnlessAllowed(action, form);
}

/** Every criterion of the call: points within its maximum and a comment, checked all at once before sending. */
function scoreForm(c: CallCaseView, action: AvailableAction, app: PanelApplication): HTMLElement {
  const criteria = c.panel?.criteria ?? [];
  const item = scoreItemSchema(action.bodySchema);
  const pointsTitle = item?.properties?.points?.title ?? '得分';
  const commentTitle = item?.properties?.comment?.title ?? '评语';
  const commentMax = item?.properties?.comment?.maxLength ?? 500;
  const fields = criteria.map((cr, i) =>
    h(
      'fieldset',
      { class: 'criterion' },
      h('legend', {}, `${cr.name}（权重 ${cr.weightPercent}%，满分 ${cr.maxPoints}）`),
      field({ name: `scores.${i}.points`, label: `${cr.name}${pointsTitle}`, required: true, hint: `0 到 ${cr.maxPoints} 的整数`, attrs: { inputmode: 'numeric' } }),
      field({ name: `scores.${i}.comment`, label: `${cr.name}${commentTitle}`, type: 'textarea', required: true, hint: `不超过 ${commentMax} 字` }),
    ),
  );
  const form = apiForm({
    label: `${action.label}：${app.referenceNo}`,
    submitText: action.submit || action.label,
    fields,
    async action(f) {
      const issues: { field: string; message: string }[] = [];
      const scores = criteria.map((cr, i) => {
        const pointsText = numberText(controlOf(f, `scores.${i}.points`).value);
        const comment = controlOf(f, `scores.${i}.comment`).value.trim();
        const n = Number(pointsText);
        if (pointsText === '') issues.push({ field: `scores.${i}.points`, message: `请填写${cr.name}的得分` });
        else if (!/^\d{1,4}$/.test(pointsText) || n > cr.maxPoints) issues.push({ field: `scores.${i}.points`, message: `请填写 0 到 ${cr.maxPoints} 的整数` });
        if (comment === '') issues.push({ field: `scores.${i}.comment`, message: `请写${cr.name}的评语` });
        else if (comment.length > commentMax) issues.push({ field: `scores.${i}.comment`, message: `评语不超过 ${commentMax} 字` });
        return { criterionId: cr.id, points: n, comment };
      });
      if (issues.length) throw new LocalIssues('请检查填写的内容', issues);
      await post(`/api/cases/${c.caseId}/${encodeURIComponent(action.name)}`, { caseId: app.caseId, scores });
      flash(`${app.referenceNo}：${action.done}`);
      await refresh();
    },
  });
  // Blanks are checked with the ranges, so one submit shows every problem.
  for (const control of form.querySelectorAll('[required]')) control.removeAttribute('required');
  form.dataset.action = action.name;
  return h('div', { class: 'score-form' }, h('h4', {}, action.label), action.explain ? h('p', { class: 'muted small' }, isoDatesInWords(action.explain)) : null, disabledUnlessAllowed(action, form));
}

function scoreItemSchema(schema: JsonSchema): JsonSchema | undefined {
  const items = schema.properties?.scores?.items;
  if (!items?.$ref) return items;
  const key = items.$ref.replace(/^#\/(\$defs|definitions)\//, '');
  return schema.$defs?.[key] ?? schema.definitions?.[key];
}

/** A form the API says may not be sent now: its controls disabled, with the API's reason beside them. */
function disabledUnlessAllowed(action: AvailableAction, form: HTMLFormElement): HTMLElement {
  if (action.enabled) return form;
  const id = uid('why');
  for (const control of form.querySelectorAll<HTMLInputElement | HTMLButtonElement | HTMLTextAreaElement | HTMLSelectElement>('input, textarea, select, button')) {
    control.disabled = true;
    control.setAttribute('aria-describedby', `${control.getAttribute('aria-describedby') ?? ''} ${id}`.trim());
  }
  return h('div', {}, h('p', { class: 'constraint', id }, action.disabledReason ? isoDatesInWords(action.disabledReason) : '当前不能办理。'), form);
}

/** Who may be named to the panel, as GET /api/calls/:callId/panel-member-choices answers. */
interface MemberChoice {
  accountId: string;
  displayName: string;
  kind: 'official' | 'expert';
  kindLabel: string;
}

/** Who may sit on the call's panel, by name: its department's reviewers, then the experts. */
const choicesFor = (c: CallCaseView) => get<{ members: MemberChoice[] }>(`/api/calls/${c.caseId}/panel-member-choices`);

/**
 * 评审组成员, ticked by name from the department's reviewers and the experts (an official does not
 * know account ids). Where the list cannot be read, the account ids are typed, one a line.
 */
function memberChoices(c: CallCaseView): { fieldset: HTMLElement; chosen: (f: HTMLFormElement) => string[] } {
  const list = h('div', { class: 'member-choices' }, h('p', { class: 'muted' }, '正在读取可选的评审组成员…'));
  let typed: HTMLElement | null = null;
  const fieldset = h(
    'fieldset',
    { class: 'field', 'data-field': 'memberAccountIds' },
    h('legend', {}, '评审组成员', h('span', { class: 'required', 'aria-hidden': 'true' }, ' *')),
    h('p', { class: 'hint' }, '勾选本部门承担评审职责的工作人员或评审专家'),
    list,
    h('p', { class: 'field-error', hidden: true }),
  );
  void choicesFor(c).then(
    ({ members }) =>
      list.replaceChildren(
        ...(members.length
          ? members.map((m) =>
              h('label', { class: 'member-choice', 'data-member': m.accountId }, h('input', { type: 'checkbox', name: `member:${m.accountId}`, value: m.accountId }), m.displayName, ' ', h('span', { class: 'tag' }, m.kindLabel)),
            )
          : [h('p', { class: 'muted' }, '本部门没有承担评审职责的工作人员，也没有评审专家账户：请先由管理员设立。')]),
      ),
    (error: unknown) => {
      typed = field({ name: 'memberAccountIds', label: '评审组成员的账户编号（每行一个）', type: 'textarea', hint: `未能读取可选的评审组成员（${error instanceof Error ? error.message : '原因不明'}）` });
      list.replaceChildren(typed);
    },
  );
  const chosen = (f: HTMLFormElement) =>
    typed
      ? controlOf(f, 'memberAccountIds')
          .value.split(/[\s,，、]+/)
          .map((s) => s.trim())
          .filter(Boolean)
      : [...f.querySelectorAll<HTMLInputElement>('.member-choice input:checked')].map((box) => box.value);
  return { fieldset, chosen };
}

/** 增补评审组成员: the member chosen by name from those not yet on the panel; the typed id stays where the list cannot be read. */
function withMemberPicker(c: CallCaseView, box: HTMLElement): HTMLElement {
  const typed = box.querySelector<HTMLInputElement>('input[name="accountId"]');
  if (!typed) return box;
  const onPanel = new Set((c.panel?.members ?? []).map((m) => m.accountId));
  void choicesFor(c).then(
    ({ members }) => {
      const select = h(
        'select',
        { id: typed.id, name: 'accountId', 'aria-describedby': typed.getAttribute('aria-describedby') ?? '', ...(typed.disabled ? { disabled: true } : {}) },
        h('option', { value: '' }, '请选择'),
        ...members.filter((m) => !onPanel.has(m.accountId)).map((m) => h('option', { value: m.accountId }, `${m.displayName}（${m.kindLabel}）`)),
      );
      typed.replaceWith(select);
      // The label named the typed form (账户编号); chosen by name, it is the member.
      const label = box.querySelector(`label[for="${select.id}"]`);
      if (label?.firstChild) label.firstChild.textContent = '增补的成员';
    },
    () => undefined,
  );
  return box;
}

/** 组建评审组: members ticked by name, the weighted criteria row by row, and how many scores an application needs. */
function namePanelBox(c: CallCaseView, action: AvailableAction): HTMLElement {
  const schema = action.bodySchema;
  const members = memberChoices(c);
  const rows = [0, 1, 2];
  const criteriaFields = rows.map((i) =>
    h(
      'fieldset',
      { class: 'criterion-row' },
      h('legend', {}, `评分标准 ${i + 1}${i === 0 ? '' : '（可选）'}`),
      field({ name: `criteria.${i}.name`, label: '标准名称', required: i === 0 }),
      field({ name: `criteria.${i}.weightPercent`, label: '权重（%）', required: i === 0, attrs: { inputmode: 'numeric' } }),
      field({ name: `criteria.${i}.maxPoints`, label: '满分', value: '100', required: i === 0, attrs: { inputmode: 'numeric' } }),
    ),
  );
  const form = apiForm({
    label: action.label,
    submitText: action.submit || action.label,
    fields: [
      members.fieldset,
      // The weights' sum is the group's own problem: said under its legend, marking the weights only (not every empty optional row).
      h('fieldset', { class: 'criteria-group', 'data-field': 'criteria', 'data-invalid-marks': 'input[name$=".weightPercent"]' }, h('legend', {}, '评分标准'), h('p', { class: 'field-error', hidden: true }), ...criteriaFields),
      field({ name: 'minScorers', label: schema.properties?.minScorers?.title ?? '每份申请最少有效打分人数', hint: '不填则为 3 人', attrs: { inputmode: 'numeric' } }),
    ],
    async action(f) {
      const issues: { field: string; message: string }[] = [];
      const memberAccountIds = members.chosen(f);
      if (memberAccountIds.length === 0) issues.push({ field: 'memberAccountIds', message: '请至少选择一名评审组成员' });
      const criteria = rows.flatMap((i) => {
        const [name, weight, max] = ['name', 'weightPercent', 'maxPoints'].map((k) => (k === 'name' ? controlOf(f, `criteria.${i}.${k}`).value.trim() : numberText(controlOf(f, `criteria.${i}.${k}`).value)));
        if (!name && !weight && i > 0) return [];
        if (!name) issues.push({ field: `criteria.${i}.name`, message: '请填写标准名称' });
        if (!/^\d{1,3}$/.test(weight!) || Number(weight) < 1 || Number(weight) > 100) issues.push({ field: `criteria.${i}.weightPercent`, message: '请填写 1 到 100 的整数' });
        if (!/^\d{1,4}$/.test(max!) || Number(max) < 1 || Number(max) > 1000) issues.push({ field: `criteria.${i}.maxPoints`, message: '请填写 1 到 1000 的整数' });
        return [{ id: `c${i + 1}`, name: name!, weightPercent: Number(weight), maxPoints: Number(max) }];
      });
      const total = criteria.reduce((sum, cr) => sum + (Number.isFinite(cr.weightPercent) ? cr.weightPercent : 0), 0);
      // Only once every weight is a number: with one missing, its own field says so, and a sum of the rest would mislead.
      if (criteria.length && !issues.some((i) => i.field.endsWith('.weightPercent')) && total !== 100) issues.push({ field: 'criteria', message: `各项权重之和须为 100%，现为 ${total}%` });
      const minText = numberText(controlOf(f, 'minScorers').value);
      if (minText && (!/^\d{1,2}$/.test(minText) || Number(minText) < 1 || Number(minText) > 50)) issues.push({ field: 'minScorers', message: '请填写 1 到 50 的整数' });
      if (issues.length) throw new LocalIssues('请检查填写的内容', issues);
      await post(`/api/cases/${c.caseId}/${encodeURIComponent(action.name)}`, { expectedVersion: c.version, memberAccountIds, criteria, ...(minText ? { minScorers: Number(minText) } : {}) });
      flash(action.done);
      await refresh();
    },
  });
  for (const control of form.querySelectorAll('[required]')) control.removeAttribute('required');
  return h('div', { class: 'action', 'data-action': action.name }, h('h3', {}, action.label), action.explain ? h('p', { class: 'muted explain' }, isoDatesInWords(action.explain)) : null, disabledUnlessAllowed(action, form));
}

/** The ranking as it fills: aggregate, how it was taken, how many scored, and who may still score. */
function rankingCard(c: CallCaseView, panel: PanelView, applications: PanelApplication[], actions: readonly AvailableAction[]): HTMLElement {
  const propose = actions.find((a) => a.name === 'propose-list');
  const unreferred = applications.filter((a) => !panel.ranking.some((r) => r.caseId === a.caseId));
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'ranking-h' },
    h('h2', { id: 'ranking-h' }, '评审排名'),
    panel.ranking.length === 0
      ? h('p', { class: 'empty' }, '还没有评审组成员开始评审。')
      : h(
          'div',
          { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': '评审排名表（可左右滚动）' },
          h(
            'table',
            { class: 'cases ranking' },
            h('caption', {}, `五人及以上有效打分时去掉一个最高分和一个最低分；少于 ${panel.minScorers} 人有效打分的暂不排名`),
            h('thead', {}, h('tr', {}, ...['名次', '申请', '申请金额', '综合得分', '有效打分', '尚待打分'].map((t, i) => h('th', { scope: 'col', class: i >= 2 && i <= 4 ? 'num' : null }, t)))),
            h(
              'tbody',
              {},
              ...panel.ranking.filter((r): r is RankedRow => 'aggregate' in r).map((r) =>
                h(
                  'tr',
                  { 'data-ranked': r.referenceNo },
                  h('td', { 'data-label': '名次' }, r.rankable && r.rank !== null ? `第 ${r.rank} 名` : h('span', { class: 'muted' }, '待评分，暂不排名')),
                  h('th', { scope: 'row', 'data-label': '申请' }, h('a', { href: `#/cases/${r.caseId}` }, r.referenceNo), h('span', { class: 'muted block small' }, r.applicantName)),
                  h('td', { class: 'num', 'data-label': '申请金额' }, money(r.amountFen)),
                  h('td', { class: 'num', 'data-label': '综合得分' }, r.scorers ? points(r.aggregate) : '—', r.scorers ? h('span', { class: 'muted block small' }, METHOD_WORDS[r.method]) : null),
                  h('td', { class: 'num', 'data-label': '有效打分' }, `${r.scorers} 人`),
                  h('td', { 'data-label': '尚待打分' }, r.awaiting.length ? r.awaiting.join('、') : '—'),
                ),
              ),
            ),
          ),
        ),
    unreferred.length ? h('p', { class: 'muted' }, `另有 ${unreferred.length} 份申请等待评审：${unreferred.map((a) => a.referenceNo).join('、')}`) : null,
    propose ? actionGroup(c, [propose]) : null,
  );
}

/** The proposed list, and the director's batch approval of it (or its return). */
function listCard(c: CallCaseView, panel: PanelView, actions: readonly AvailableAction[]): HTMLElement {
  const list = panel.list;
  const moves = actions.filter((a) => WITH_LIST.includes(a.name));
  return h(
    'section',
    { class: `card ${panel.approval ? '' : 'highlight'}`, 'aria-labelledby': 'list-h' },
    h('h2', { id: 'list-h' }, '拟资助名单'),
    list ? h('p', {}, `${list.summary}（${list.proposedBy}提出）`) : null,
    list
      ? h(
          'table',
          { class: 'cases proposed' },
          h('caption', { class: 'visually-hidden' }, '拟资助名单'),
          h('thead', {}, h('tr', {}, ...['名次', '申请', '资助金额'].map((t, i) => h('th', { scope: 'col', class: i === 2 ? 'num' : null }, t)))),
          h(
            'tbody',
            {},
            ...list.proposed.map((p) =>
              h('tr', { 'data-proposed': p.referenceNo }, h('td', { 'data-label': '名次' }, `第 ${p.rank} 名`), h('th', { scope: 'row', 'data-label': '申请' }, h('a', { href: `#/cases/${p.caseId}` }, p.referenceNo)), h('td', { class: 'num', 'data-label': '资助金额' }, money(p.amountFen))),
            ),
          ),
        )
      : null,
    // Who is not on it, and why: the director weighs these before approving the list.
    list?.passedOver?.length
      ? h(
          'table',
          { class: 'cases passed-over' },
          h('caption', {}, '未列入名单的申请'),
          h('thead', {}, h('tr', {}, ...['名次', '申请', '申请金额', '未列入原因'].map((t, i) => h('th', { scope: 'col', class: i === 2 ? 'num' : null }, t)))),
          h(
            'tbody',
            {},
            ...list.passedOver.map((p) =>
              h(
                'tr',
                { 'data-passed-over': p.referenceNo },
                h('td', { 'data-label': '名次' }, `第 ${p.rank} 名`),
                h('th', { scope: 'row', 'data-label': '申请' }, h('a', { href: `#/cases/${p.caseId}` }, p.referenceNo)),
                h('td', { class: 'num', 'data-label': '申请金额' }, money(p.amountFen)),
                h('td', { 'data-label': '未列入原因' }, p.reason),
              ),
            ),
          ),
        )
      : null,
    panel.approval ? h('p', { class: 'notice notice-ok', role: 'status' }, `${panel.approval.by}已于${dateTimeInWords(panel.approval.approvedAt)}批准名单；名单内的申请已记录批量审批决定，进入公示。`) : null,
    moves.length ? actionGroup(c, moves) : null,
  );
}

function factsCard(c: CallCaseView): HTMLElement {
  const rows = (c.overview ?? []).filter((line) => !SHOWN_ELSEWHERE.has(line.label));
  return h('section', { class: 'card', 'aria-labelledby': 'call-facts-h' }, h('h2', { id: 'call-facts-h' }, '批次信息'), h('dl', { class: 'facts' }, ...rows.flatMap((line) => [h('dt', {}, line.label), h('dd', {}, overviewValue(c, line.value))])));
}
