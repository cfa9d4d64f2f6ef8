import { z } from 'zod';
import { CALL_CLOSE_REACHES_APPLICATIONS_PATCH } from '../domain/applications/in-call.js';
import type { Actor } from '../domain/cases/actor.js';
import { DEPARTMENTS } from '../domain/cases/actor.js';
import type { CallCommand, CallCommandType, CallPanelCommand, OpenCall } from '../domain/calls/commands.js';
import {
  CALL_CLOSED_BEFORE_OPENING_PATCH,
  CALL_STEPS,
  callActorRefusal,
  callCloseCame,
  callPeriodTooFar,
  closesTooLateMessage,
  callPeriodInWords,
  decideCall,
  decideCallOpening,
  decideCallTimeElapsed,
  DEFAULT_PUBLICITY_WORKING_DAYS,
  ensureCallCommandAllowed,
  nextCallThreshold,
  oneYearAfter,
  periodTooFarError,
  quotaRaisedBy,
} from '../domain/calls/decide.js';
import type { ActorRef, CallEvent, CallMode } from '../domain/calls/events.js';
import { isCallPanelCommand, PANEL_WITHDRAWALS_PATCH, PROPOSE_AFTER_EVERY_CHECK_PATCH, PROPOSE_AFTER_FACTS_VERIFIED_PATCH, type PanelPrepared } from '../domain/calls/panel.js';
import { formatShanghaiMinute, isShanghaiDateTime, parseShanghaiDateTime } from '../domain/calls/shanghai-time.js';
import { CALL_CLOSED_EMPTY_ENDS_PATCH, CALL_ENDED_EMPTY_ENDS_PATCH, CALL_STATUS_LABELS, EARLY_CLOSE_FENCES_INTAKE_PATCH, closedBeforeOpening, closedWithNothingToReview, evolveCall, initialCallState, isCallTerminal, type CallState } from '../domain/calls/state.js';
import { formatFen, type Fen } from '../domain/money/fen.js';
import { CATALOGUE_VERSION } from '../domain/programmes/catalogue.js';
import { applicationRecordsOf, notSelectedBecause } from '../domain/panels/application-record.js';
import { describeList, rankingView } from '../domain/panels/decide.js';
import { PANEL_EVENT_LABELS, type Criterion, type PanelMember } from '../domain/panels/events.js';
import { formatPoints } from '../domain/panels/scoring.js';
import { PANEL_STATUS_LABELS, type PanelStatus } from '../domain/panels/state.js';
import { shanghaiDateOf } from '../domain/time/local-date.js';
import { callLimitOnArrival, runningCallLimit } from '../domain/calls/time-limits.js';
import {
  decideLimitRecomputed,
  describeTimeLimit,
  limitDeadline,
  recountOf,
  STEP_LIMIT_ON_ARRIVAL_PATCH,
  TIME_LIMIT_EVENT_LABELS,
  timeLimitView,
  type TimeLimitView,
  type WorkingDayCount,
} from '../domain/time-limits/step-time-limit.js';
import { extendTimeLimitDeclaration } from './time-limit-action.js';
import type { ActionGrant, CaseAction, CaseModule, CaseReadModel, CaseRow, DecisionSupport, NextStep } from './case-module.js';
import { callBudgetField, dateText, reasons, text, yuan } from './fields.js';

/**
 * A quota lowered below the places approvals have taken is refused (the ledger is asked first). A
 * call that lowered its quota before this recorded the change without asking: it replays so.
 */
export const QUOTA_NOT_BELOW_PLACES_TAKEN_PATCH = 'quota-not-below-places-taken';
/**
 * Since 2026-12-05: a quota raised or removed needs the budget's approval again, as a budget change
 * does (the call takes no application and commits no award until another official approves it).
 * Before, the official who opened a call could lift its places alone. Histories before replay without.
 */
export const QUOTA_RAISE_NEEDS_APPROVAL_PATCH = 'quota-raise-needs-approval';

/**
 * 申报批次 — a call for applications to one award or loan programme: its open and close instants
 * (Shanghai time), its budget (approved by a second official of the department, again after every
 * change of it), an optional quota, the catalogue version it runs under, whether it is competitive
 * or first-come, and the days of 公示. The call ends when its close instant passes, or earlier when
 * the office closes it with a reason. What it has committed, paid and recovered is its budget
 * ledger (db/budget-ledger.ts), moved by the cases decided under it.
 */

export const CALL_STREAM_TYPE = 'call';

export interface CallInput {
  caseId: string;
  referenceNo: string;
  /** The official who opens the call: the case's "applicant" in the read model (whose case it is). */
  applicant: Actor;
  openedBy: Actor;
  requestId: string;
  call: Omit<OpenCall, 'type' | 'callId' | 'referenceNo'>;
}

/** A Shanghai wall-clock minute in a form field. */
const shanghaiDateTime = (title: string) =>
  dateText('应为北京时间，写作“年-月-日T时:分”，如 2026-12-02T09:30')
    // A date without its time is told once, as a missing time, not again as a day that does not exist.
    .regex(/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}$/, { message: '应为北京时间，写作“年-月-日T时:分”，如 2026-12-02T09:30', abort: true })
    .refine(isShanghaiDateTime, '不是真实存在的日期和时间')
    .meta({ title, description: '北京时间，例如 2026-09-20T09:00' });

const quotaField = z.int('应为整数').positive('必须大于 0').max(100_000, '不能大于 100,000');

const officials = (...duties: ('reviewer' | 'approver' | 'director')[]) => ({ official: { duties } });

/**
 * Panel members: officials with a reviewer duty, and external experts (the `expert` role). The
 * action grant gains `expert` with the panel (cases/case-module.ts `ActionGrant`); which calls an
 * expert acts on is the panel's own rule (only the calls whose panel names them).
 */
const panelMembers: ActionGrant = { official: { duties: ['reviewer'] }, expert: true };


const caseIdField = z.uuid('办件编号格式不对').meta({ title: '申请（案件编号）' });
const criterionField = z.strictObject({
  id: text(50).meta({ title: '标准编号' }),
  name: text(100).meta({ title: '标准名称' }),
  weightPercent: z.int('应为整数').min(1, '至少 1%').max(100, '不能大于 100%').meta({ title: '权重（%）', description: '各项权重之和为 100' }),
  maxPoints: z.int('应为整数').min(1, '至少 1 分').max(1000, '不能大于 1000 分').meta({ title: '满分' }),
});
const scoreField = z.strictObject({
  criterionId: text(50).meta({ title: '标准编号' }),
  points: z.int('应为整数').min(0, '不能小于 0 分').max(1000, '不能大于 1000 分').meta({ title: '得分' }),
  comment: text(500).meta({ title: '评语' }),
});

type CallAction = CaseAction<CallState, CallCommand>;

function action(type: CallCommandType, declaration: Omit<CallAction, 'type' | 'at' | 'availability'>): CallAction {
  return {
    ...declaration,
    type,
    at: CALL_STEPS[type],
    availability: (state, actor, now) => callActorRefusal(state, type, actor, now)?.zh,
  };
}

export const CALL_ACTIONS: readonly CallAction[] = [
  action('ApproveCallBudget', {
    name: 'approve-budget',
    update: 'approveCallBudget',
    label: '审批预算',
    submit: '批准预算',
    done: '预算已批准；申报期内开始受理申报。',
    summary: "Approver or director of the programme's department, not the official who opened or last changed the call: approve its budget",
    body: z.strictObject({}),
    toCommand: () => ({ type: 'ApproveCallBudget' }),
    who: officials('approver', 'director'),
    explain: (state) => `预算 ${formatFen(state.budgetFen)} 元${state.quota ? `，名额 ${state.quota} 个` : ''}；申报时间 ${callPeriodInWords(state)}。`,
  }),
  action('ChangeCall', {
    name: 'change-call',
    update: 'changeCall',
    label: '修改批次',
    submit: '保存修改',
    done: '已修改；如调整了预算，或增加、取消了名额，须重新审批。',
    summary: "Official of the programme's department: change the title, dates, budget or quota (a budget change, or a quota raised or removed, needs approval again; neither may drop below what is committed)",
    body: z.strictObject({
      title: text(200).optional().meta({ title: '批次名称' }),
      opensAt: shanghaiDateTime('申报开始时间').optional(),
      closesAt: shanghaiDateTime('申报截止时间').optional(),
      budgetFen: callBudgetField('预算（元）').optional(),
      quota: quotaField.nullable().optional().meta({ title: '名额（个，可选）' }),
    }),
    toCommand: (b) => ({
      type: 'ChangeCall',
      ...(b.title !== undefined ? { title: b.title as string } : {}),
      ...(b.opensAt !== undefined ? { opensAt: parseShanghaiDateTime(b.opensAt as string) } : {}),
      ...(b.closesAt !== undefined ? { closesAt: parseShanghaiDateTime(b.closesAt as string) } : {}),
      ...(b.budgetFen !== undefined ? { budgetFen: b.budgetFen as Fen } : {}),
      ...(b.quota !== undefined ? { quota: b.quota as number | null } : {}),
    }),
    who: officials('reviewer', 'approver', 'director'),
    prefill: (state) => ({
      title: state.title,
      opensAt: state.opensAt ? formatShanghaiMinute(Date.parse(state.opensAt)).replace(' ', 'T') : undefined,
      closesAt: state.closesAt ? formatShanghaiMinute(Date.parse(state.closesAt)).replace(' ', 'T') : undefined,
      budgetFen: state.budgetFen,
      ...(state.quota !== null ? { quota: state.quota } : {}),
    }),
    explain: () => '调整预算，或增加、取消名额后，须由另一名工作人员重新审批，审批前不受理申报；预算不能少于已核定的金额，名额不能少于已核定的项数。',
  }),
  action('CloseCall', {
    name: 'close-call',
    update: 'closeCall',
    label: '提前截止',
    done: '本批次已提前截止，不再受理申报。',
    tone: 'danger',
    summary: "Approver or director of the programme's department: close the call early, with the reason",
    body: z.strictObject({ reason: text(1000).meta({ title: '提前截止的理由' }) }),
    toCommand: (b) => ({ type: 'CloseCall', reason: b.reason as string }),
    who: officials('approver', 'director'),
    legacyBeforePatch: CALL_CLOSED_BEFORE_OPENING_PATCH,
    // Read at the page's moment: a call not yet open ends with the close, with no panel after it.
    explain: (state) =>
      state.mode === 'competitive'
        ? '申报开始前截止的，本批次即告结束，不评审；申报开始后截止的，已受理的申报仍由评审组评审。'
        : '截止后不再受理申报，已受理的申报照常办理。',
  }),
  action('NamePanel', {
    name: 'name-panel',
    update: 'namePanel',
    label: '组建评审组',
    done: '评审组已组建，评审专家可以开始声明回避和打分。',
    summary: "Official of the programme's department: name the competitive call's panel (officials with a reviewer duty, or external experts), its weighted criteria and the minimum number of scorers per application",
    body: z.strictObject({
      memberAccountIds: z.array(text(100)).min(1, '请至少指定一位评审组成员').max(50).meta({ title: '评审组成员（账户编号）', description: '承担评审职责的工作人员或评审专家' }),
      criteria: z.array(criterionField).min(1, '请至少列一项评分标准').max(20).meta({ title: '评分标准' }),
      minScorers: z.int('应为整数').min(1, '至少 1 人').max(50, '不超过 50 人').optional().meta({ title: '每份申请最少有效打分人数', description: '默认 3 人' }),
    }),
    toCommand: (b) => ({ type: 'NamePanel', memberAccountIds: b.memberAccountIds as string[], criteria: b.criteria as Criterion[], ...(b.minScorers !== undefined ? { minScorers: b.minScorers as number } : {}) }),
    who: officials('reviewer', 'approver', 'director'),
    explain: () => '评审组成员须为本部门承担评审职责的工作人员或评审专家；回避的成员不为该申请打分。',
  }),
  action('AddPanelMember', {
    name: 'add-panel-member',
    update: 'addPanelMember',
    label: '增补评审专家',
    done: '已增补评审组成员。',
    summary: "Official of the programme's department: add a member to the panel while it scores (a reviewer official or an external expert)",
    body: z.strictObject({ accountId: text(100).meta({ title: '成员（账户编号）' }) }),
    toCommand: (b) => ({ type: 'AddPanelMember', accountId: b.accountId as string }),
    who: officials('reviewer', 'approver', 'director'),
  }),
  action('DeclareNoConflict', {
    name: 'declare-no-conflict',
    update: 'declareNoConflict',
    label: '声明无利益冲突',
    done: '已声明与该申请无利益冲突，可以打分。',
    summary: 'Panel member: declare no conflict of interest with an application of the call (before scoring it)',
    body: z.strictObject({ caseId: caseIdField }),
    toCommand: (b) => ({ type: 'DeclareNoConflict', caseId: b.caseId as string }),
    who: panelMembers,
  }),
  action('DeclareConflict', {
    name: 'declare-conflict',
    update: 'declareConflict',
    label: '申请回避',
    done: '已回避：您不为该申请打分，已打的分不再计入。',
    tone: 'danger',
    summary: 'Panel member: declare a conflict of interest with an application (回避), with the reason; they are excluded from it',
    body: z.strictObject({ caseId: caseIdField, reason: text(500).meta({ title: '回避事由' }) }),
    toCommand: (b) => ({ type: 'DeclareConflict', caseId: b.caseId as string, reason: b.reason as string }),
    who: panelMembers,
  }),
  action('SubmitScore', {
    name: 'submit-score',
    update: 'submitScore',
    label: '评审打分',
    submit: '提交评分',
    done: '评分已提交。',
    summary: "Panel member who declared no conflict: score an application against every one of the call's criteria, each with a comment (once)",
    body: z.strictObject({ caseId: caseIdField, scores: z.array(scoreField).min(1).max(20).meta({ title: '各项得分' }) }),
    toCommand: (b) => ({ type: 'SubmitScore', caseId: b.caseId as string, scores: b.scores as { criterionId: string; points: number; comment: string }[] }),
    who: panelMembers,
    explain: (state) => (state.panel.criteria.length ? `评分标准：${state.panel.criteria.map((c) => `${c.name}（权重 ${c.weightPercent}%，满分 ${c.maxPoints}）`).join('；')}。` : undefined),
  }),
  action('ProposeList', {
    name: 'propose-list',
    update: 'proposeList',
    label: '提出拟资助名单',
    done: '拟资助名单已提出，等待处长审批。',
    summary: "Official of the programme's department, once the call is closed: propose the list in rank order within the call's quota and the budget remaining in its ledger",
    body: z.strictObject({}),
    toCommand: () => ({ type: 'ProposeList' }),
    who: officials('reviewer', 'approver', 'director'),
    explain: (state) => {
      const rule = `按评审排名在名额（${state.quota === null ? '不限' : `${state.quota} 个`}）和预算余额内依次入选；预算余额不足的顺延下一名。`;
      // Said before anyone sends it: an application short of scorers is not ranked, and a list is not proposed while one is.
      const short = state.panel.criteria.length ? rankingView(state.panel).filter((r) => !r.rankable) : [];
      return short.length ? `${rule}以下申请有效打分不足 ${state.panel.minScorers} 人，暂不排名，须待评分后才能提出名单：${short.map((r) => `${r.referenceNo}（${r.scorers} 人有效打分）`).join('、')}。` : rule;
    },
  }),
  action('ReturnList', {
    name: 'return-list',
    update: 'returnList',
    label: '退回拟资助名单',
    done: '名单已退回，评审组可继续评审后重新提出。',
    tone: 'danger',
    summary: "Director of the programme's department, not on the panel and not the proposer: return the proposed list with reasons",
    body: z.strictObject({ reasons: reasons.meta({ title: '退回理由' }) }),
    toCommand: (b) => ({ type: 'ReturnList', reasons: b.reasons as string[] }),
    who: officials('director'),
  }),
  action('ApproveBatch', {
    name: 'approve-batch',
    update: 'approveBatch',
    label: '批准拟资助名单',
    submit: '批准名单',
    done: '名单已批准：每份申请都记录了评审结果和批量审批决定。',
    summary: "Director of the programme's department, not on the panel and not the proposer: approve the list as one batch decision, recorded by every application ranked in it",
    body: z.strictObject({}),
    toCommand: () => ({ type: 'ApproveBatch' }),
    who: officials('director'),
    explain: (state) => describeList(state.panel),
  }),
  action(
    'ExtendTimeLimit',
    extendTimeLimitDeclaration((state: CallState) => {
      const limit = runningCallLimit(state);
      return limit ? `${limit.stepLabel}的办理时限至 ${limit.lastWorkingDay} 24:00（${limit.workingDays} 个工作日）；延长理由记入本批次的办理记录。` : undefined;
    }, { applicantTold: false }),
  ),
];

function callNextStep(state: CallState): NextStep {
  const base = { status: state.status, label: CALL_STATUS_LABELS[state.status] };
  const department = state.department;
  // The step's promised limit is its deadline (a draft's budget approval comes before its close).
  const limit = runningCallLimit(state);
  const limited = limit ? { deadline: limitDeadline(limit) } : {};
  const overdue = limit?.escalatedAt ? '；已超期，已上报分管领导' : '';
  switch (state.status) {
    case 'draft':
      return {
        ...base,
        waitingFor: { role: 'official', ...(department ? { department } : {}), note: `${department ? DEPARTMENTS[department] : ''}另一名审批人员审批预算 ${formatFen(state.budgetFen)} 元${overdue}` },
        ...(limit ? limited : closing(state)),
      };
    case 'approved':
      // Nobody owes the call an action once its budget stands: it waits in no one's work queue.
      return { ...base, waitingFor: null, ...closing(state) };
    default: {
      if (closedBeforeOpening(state)) return { ...base, label: '申报开始前已截止：本批次不受理申报，不评审', waitingFor: null };
      if (closedWithNothingToReview(state)) return { ...base, label: '已截止：没有待评审的申报，不评审', waitingFor: null };
      if (state.mode !== 'competitive') return { ...base, waitingFor: null };
      // Done: how it closed alone (已提前截止) read as still pending to an outsider.
      if (state.panel.status === 'approved') return { ...base, label: `${base.label}，${PANEL_STATUS_LABELS.approved}`, waitingFor: null };
      const panelStep = state.panel.status;
      return {
        ...base,
        label: `${base.label}，${PANEL_STATUS_LABELS[panelStep]}`,
        waitingFor: { role: 'official', ...(department ? { department } : {}), note: `${PANEL_NEXT[panelStep]}${overdue}` },
        ...limited,
      };
    }
  }
}

/** Who owes a closed competitive call its next move, by the panel's step. */
const PANEL_NEXT: Record<Exclude<PanelStatus, 'approved'>, string> = {
  'not-named': '组建评审组，评审本批次的申请',
  scoring: '评审组声明回避并打分；打分完成后提出拟资助名单',
  'list-proposed': '处长审批拟资助名单',
};

function closing(state: CallState): Pick<NextStep, 'deadline'> {
  if (!state.closesAt) return {};
  const at = Date.parse(state.closesAt);
  return { deadline: { kind: 'call-closes', dueOn: shanghaiDateOf(at - 1), at: state.closesAt, provisional: false } };
}

/** What people see of a call: its `details` in the read model. */
export interface CallDetails {
  callId: string;
  programme: { id: string; name: string; catalogueVersion: string };
  title: string;
  mode: CallMode;
  opensAt: string;
  closesAt: string;
  period: string;
  budgetFen: Fen;
  budgetApproved: boolean;
  budgetApproval: { budgetFen: Fen; by: string; approvedAt: string } | null;
  quota: number | null;
  publicityWorkingDays: number;
  openedBy: ActorRef;
  lastChangedBy: ActorRef;
  closed: { by: string; reason: string; closedAt: string } | null;
  endedAt: string | null;
  next: NextStep;
  panel: CallPanelDetails;
  /** The promised limit of the step the call is at (budget approval, the panel's review), or null. */
  timeLimit: TimeLimitView | null;
}

/**
 * The panel as people see it. `memberAccountIds` and `referredCaseIds` are also what the access
 * rule reads (api/authorization/case-access.ts): an expert sees the calls whose panel names them
 * and the applications referred to them.
 */
type RankingRow = ReturnType<typeof rankingView>[number];

/** A row of the ranking as an expert of the panel keeps it: which application, and whether they may still score it or recused from it. */
export type MemberRankingRow = Pick<RankingRow, 'caseId' | 'referenceNo' | 'applicantName' | 'amountFen' | 'awaiting' | 'recused'> & {
  /** The expert reading it has declared no conflict with it and may score it: the page offers the score, not the declaration again. */
  declaredNoConflict?: boolean;
};

export interface CallPanelDetails {
  status: PanelStatus;
  statusLabel: string;
  members: PanelMember[];
  memberAccountIds: string[];
  criteria: Criterion[];
  minScorers: number;
  referredCaseIds: string[];
  /** As the office reads it; as an expert of the panel reads the call, each row without its figures (api/views/panel-confidentiality.ts). */
  ranking: (RankingRow | MemberRankingRow)[];
  list: {
    listId: string;
    summary: string;
    proposedBy: string;
    proposed: { caseId: string; referenceNo: string; rank: number; amountFen: Fen }[];
    /** Those ranked but not on the list, each with why: what the director weighs before approving it (an outside tester's director saw only a count). */
    passedOver: { caseId: string; referenceNo: string; rank: number; amountFen: Fen; reason: string }[];
  } | null;
  approval: { listId: string; by: string; approvedAt: string } | null;
}

function panelDetails(state: CallState): CallPanelDetails {
  const { panel } = state;
  return {
    status: panel.status,
    statusLabel: PANEL_STATUS_LABELS[panel.status],
    members: panel.members,
    memberAccountIds: panel.members.map((m) => m.accountId),
    criteria: panel.criteria,
    minScorers: panel.minScorers,
    referredCaseIds: panel.applications.map((a) => a.caseId),
    ranking: panel.criteria.length ? rankingView(panel) : [],
    list: panel.list
      ? {
          listId: panel.list.listId,
          summary: describeList(panel) ?? '',
          proposedBy: panel.list.by.displayName,
          proposed: panel.list.proposed,
          passedOver: panel.list.passedOver.map((p) => ({ caseId: p.caseId, referenceNo: p.referenceNo, rank: p.rank, amountFen: p.amountFen, reason: notSelectedBecause(p) })),
        }
      : null,
    approval: panel.approval ? { listId: panel.approval.listId, by: panel.approval.by.displayName, approvedAt: panel.approval.approvedAt } : null,
  };
}

export function callReadModel(state: CallState): CaseReadModel {
  const step = callNextStep(state);
  const details: CallDetails = {
    callId: state.callId!,
    programme: { id: state.programmeId!, name: state.programmeName!, catalogueVersion: state.catalogueVersion! },
    title: state.title,
    mode: state.mode!,
    opensAt: state.opensAt!,
    closesAt: state.closesAt!,
    period: callPeriodInWords(state),
    budgetFen: state.budgetFen,
    budgetApproved: state.budgetApproved,
    budgetApproval: state.budgetApproval ? { budgetFen: state.budgetApproval.budgetFen, by: state.budgetApproval.by.displayName, approvedAt: state.budgetApproval.approvedAt } : null,
    quota: state.quota,
    publicityWorkingDays: state.publicityWorkingDays!,
    openedBy: state.openedBy!,
    lastChangedBy: state.lastChangedBy!,
    closed: state.closed ? { by: state.closed.by.displayName, reason: state.closed.reason, closedAt: state.closed.closedAt } : null,
    endedAt: state.endedAt ?? null,
    next: step,
    panel: panelDetails(state),
    timeLimit: timeLimitView(runningCallLimit(state)),
  };
  const finishedAt = state.closed?.closedAt ?? state.endedAt;
  return {
    referenceNo: state.referenceNo!,
    applicantAccountId: state.applicant!.accountId,
    // Nobody applies to a call: the lists name the department that runs it where they name an applicant (who opened it is in its details).
    applicantName: DEPARTMENTS[state.department!] ?? state.applicant!.displayName,
    status: state.status,
    statusLabel: step.label,
    waitingFor: step.waitingFor,
    requestedFen: state.budgetFen,
    approvedFen: state.budgetApproved ? state.budgetFen : null,
    outstandingFen: 0,
    nextDeadlineAt: step.deadline?.at ?? null,
    programmeId: state.programmeId!,
    department: state.department!,
    departments: [state.department!],
    sourceCaseId: null,
    decidedOn: finishedAt ? shanghaiDateOf(Date.parse(finishedAt)) : null,
    details: { ...details },
  };
}

const MODE_WORDS: Record<CallMode, string> = { competitive: '竞争性评审（按批次排序）', 'first-come': '先到先审（额度用完为止）' };

function callView(row: CaseRow): Record<string, unknown> {
  const d = row.details as unknown as CallDetails;
  return {
    call: {
      callId: d.callId,
      programme: d.programme,
      title: d.title,
      mode: d.mode,
      opensAt: d.opensAt,
      closesAt: d.closesAt,
      budgetFen: d.budgetFen,
      budgetApproved: d.budgetApproved,
      quota: d.quota,
      publicityWorkingDays: d.publicityWorkingDays,
      closed: d.closed,
      endedAt: d.endedAt,
    },
    ...(d.panel ? { panel: d.panel } : {}),
    waitingFor: d.next.waitingFor,
    deadline: d.next.deadline ?? null,
    timeLimit: d.timeLimit ?? null,
    overview: [
      { label: '批次名称', value: d.title },
      { label: '扶持项目', value: `${d.programme.name}（目录版本 ${d.programme.catalogueVersion}）` },
      { label: '申报时间', value: d.period },
      { label: '评审方式', value: MODE_WORDS[d.mode] },
      { label: '预算', value: `${yuan(d.budgetFen)}${d.budgetApproved ? `（已由${d.budgetApproval?.by ?? ''}批准）` : '（待审批）'}` },
      { label: '名额', value: d.quota === null ? '不限' : `${d.quota} 个` },
      { label: '公示期', value: `${d.publicityWorkingDays} 个工作日` },
      { label: '设立人', value: d.openedBy.displayName },
      ...(d.closed ? [{ label: '提前截止', value: `${d.closed.by}：${d.closed.reason}` }] : []),
      ...(d.timeLimit ? [{ label: '办理时限', value: describeTimeLimit(d.timeLimit) }] : []),
      ...(d.panel && d.panel.status !== 'not-named' ? panelOverview(d.panel) : []),
    ],
  };
}

/** What a panel command needs looked up before it is decided. */
async function preparePanel(command: CallPanelCommand, state: CallState, ask: DecisionSupport): Promise<PanelPrepared> {
  const lookups = ask.lookups;
  switch (command.type) {
    case 'NamePanel':
      return { memberAccounts: await lookups.lookUpMemberAccounts({ accountIds: command.memberAccountIds }) };
    case 'AddPanelMember':
      return { memberAccounts: await lookups.lookUpMemberAccounts({ accountIds: [command.accountId] }) };
    case 'DeclareNoConflict':
    case 'DeclareConflict':
    case 'SubmitScore':
      // An application enters the panel when a member first touches it: it must be this call's, waiting for the panel.
      if (state.panel.applications.some((a) => a.caseId === command.caseId)) return {};
      return { candidate: await lookups.panelCandidate({ callId: ask.caseId, caseId: command.caseId }) };
    case 'ProposeList': {
      const ledger = await lookups.callBudget({ callId: ask.caseId });
      const candidates = await lookups.panelCandidates({ callId: ask.caseId });
      const withdrawalsChecked = ask.patched(PANEL_WITHDRAWALS_PATCH);
      const listId = ask.uuid();
      // Those still on their way to the panel (材料审查, 补正, 网信): while any is, no list is ranked without them.
      const beforePanel = ask.patched(PROPOSE_AFTER_EVERY_CHECK_PATCH) ? { beforePanel: await lookups.applicationsBeforePanel({ callId: ask.caseId }) } : {};
      const unverified = ask.patched(PROPOSE_AFTER_FACTS_VERIFIED_PATCH) ? { unverified: await lookups.applicationsWithUnverifiedFacts({ callId: ask.caseId }) } : {};
      return { ...(ledger ? { remainingFen: ledger.remainingFen, budgetApproved: ledger.budgetApproved } : {}), candidates, listId, withdrawalsChecked, ...beforePanel, ...unverified };
    }
    case 'ApproveBatch':
      // Every application on the list must still wait for the panel: one withdrawn since is refused before the decision is recorded.
      return ask.patched(PANEL_WITHDRAWALS_PATCH) ? { candidates: await lookups.panelCandidates({ callId: ask.caseId }), withdrawalsChecked: true } : {};
    default:
      return {};
  }
}

function panelOverview(panel: CallPanelDetails): { label: string; value: string }[] {
  // The figures, where this reader has them: an expert's rows carry none.
  const ranked = panel.ranking.filter((r): r is RankingRow => 'aggregate' in r);
  return [
    { label: '评审组', value: `${panel.statusLabel}：${panel.members.map((m) => `${m.displayName}（${m.kind === 'expert' ? '评审专家' : '工作人员'}）`).join('、')}` },
    { label: '评分标准', value: panel.criteria.map((c) => `${c.name} ${c.weightPercent}%`).join('、') },
    ...(ranked.length
      ? [
          {
            label: '当前排名',
            // An application with fewer valid scores than the panel needs has no place yet: 暂不排名, never a number.
            value: ranked
              .map((r) => (r.rankable && r.rank !== null ? `${r.rank}. ${r.referenceNo} ${formatPoints(r.aggregate)} 分（${r.scorers} 人有效打分）` : `${r.referenceNo} 暂不排名（待评分：${r.scorers} 人有效打分，须 ${panel.minScorers} 人）`))
              .join('；'),
          },
        ]
      : []),
    ...(panel.list ? [{ label: '拟资助名单', value: `${panel.list.summary}（${panel.list.proposedBy}提出）` }] : []),
    ...(panel.approval ? [{ label: '批量审批', value: `${panel.approval.by}已批准` }] : []),
  ];
}

/** A call's event that moves its close, as its applications are told it; none for any other (or a close before it opened: no applications). */
function closeMoveOf(event: CallEvent): { closesAt: string; closedEarly: boolean } | undefined {
  if (event.type === 'CallClosed') return event.data.beforeOpening ? undefined : { closesAt: event.data.closedAt, closedEarly: true };
  if (event.type === 'CallChanged' && event.data.changes.closesAt !== undefined) return { closesAt: event.data.changes.closesAt, closedEarly: false };
  return undefined;
}

export const callCase: CaseModule<CallState, CallEvent, CallCommand, CallInput> = {
  caseType: 'call',
  // Nobody applies to a call: its "applicant" is the official who opened it, who goes on acting on it.
  appliedFor: false,
  streamTypes: [CALL_STREAM_TYPE],
  streamTypeOf: () => CALL_STREAM_TYPE,
  workflowType: 'callWorkflow',
  stateQuery: 'callState',
  name: '申报批次',

  initialState: initialCallState,
  evolve: evolveCall,
  isTerminal: isCallTerminal,

  async open(input, ask) {
    return decideCallOpening({ type: 'OpenCall', callId: input.caseId, referenceNo: input.referenceNo, ...input.call }, { actor: input.openedBy, now: ask.now() });
  },

  actions: CALL_ACTIONS,
  check: (state, command, { actor, now, patched }) => ensureCallCommandAllowed(state, command, { actor, now, ...(patched ? { patched } : {}) }),
  decide: (command, state, { actor, now, legacy, prepared, patched }) =>
    decideCall(command, state, {
      actor,
      now,
      legacy,
      ...(patched ? { patched } : {}),
      committedFen: prepared.committedFen as Fen | undefined,
      placesTaken: prepared.placesTaken as number | undefined,
      panel: prepared.panel as PanelPrepared | undefined,
      extension: prepared.extension as WorkingDayCount | undefined,
      openApplications: prepared.openApplications as number | undefined,
      quotaNeedsApproval: prepared.quotaNeedsApproval === true,
    }),
  async prepare(command, state, ask) {
    if (isCallPanelCommand(command)) return { panel: await preparePanel(command, state, ask) };
    // A competitive call closed once open: with no application open, no panel is owed.
    if (command.type === 'CloseCall' && state.mode === 'competitive' && ask.now() >= Date.parse(state.opensAt!) && ask.patched(CALL_CLOSED_EMPTY_ENDS_PATCH)) {
      // The count fences the intake, as the planned close's does: an application recorded at this
      // moment is counted, or told the call closed. The close is recorded in the same turn: the
      // checks that could refuse it ran before this, on the state nothing else can change meanwhile.
      if (ask.patched(EARLY_CLOSE_FENCES_INTAKE_PATCH)) {
        return { openApplications: await ask.lookups.closeIntakeAndCount({ callId: ask.caseId, closedAt: new Date(ask.now()).toISOString() }) };
      }
      return { openApplications: await ask.lookups.openApplicationCount({ callId: ask.caseId }) };
    }
    if (command.type === 'ExtendTimeLimit') {
      // Counted from the limit's last working day; the checks refused the command before this when no limit runs.
      const limit = runningCallLimit(state)!;
      return { extension: await ask.lookups.computeWorkingDayWindow({ startedOn: limit.lastWorkingDay, workingDays: command.extraWorkingDays }) };
    }
    if (command.type !== 'ChangeCall') return {};
    const quotaRaised = quotaRaisedBy(state, command.quota) && ask.patched(QUOTA_RAISE_NEEDS_APPROVAL_PATCH) ? { quotaNeedsApproval: true } : {};
    // Only a budget cut or a quota lowered needs the ledger: neither may drop below what approvals have taken.
    const budgetCut = command.budgetFen !== undefined && command.budgetFen < state.budgetFen;
    const quotaLowered = typeof command.quota === 'number' && (state.quota === null || command.quota < state.quota) && ask.patched(QUOTA_NOT_BELOW_PLACES_TAKEN_PATCH);
    if (!budgetCut && !quotaLowered) return quotaRaised;
    const ledger = await ask.lookups.callBudget({ callId: ask.caseId });
    return { committedFen: ledger?.committedFen ?? 0, ...(quotaLowered ? { placesTaken: ledger?.placesTaken ?? 0 } : {}), ...quotaRaised };
  },
  async afterRecorded(events, stateAfter, ask) {
    for (const [index, event] of events.entries()) {
      // The close moved (closed early, or changed): each application of it counts its panel limit from the close it has.
      const move = closeMoveOf(event);
      if (move && ask.patched(CALL_CLOSE_REACHES_APPLICATIONS_PATCH)) {
        await ask.lookups.deliverCallClose({ callId: ask.caseId, ...move, callVersion: stateAfter.version - (events.length - 1 - index) });
      }
      if (event.type !== 'BatchApproved') continue;
      // Every application ranked in the list records the panel's result and the decision in its own case.
      const deliveries = applicationRecordsOf(stateAfter.panel, event).map(({ caseId, events: records }) => ({ caseId, records }));
      if (deliveries.length > 0) await ask.lookups.deliverBatchDecision({ callId: ask.caseId, batchId: event.data.listId, deliveries });
    }
  },

  nextThreshold: nextCallThreshold,
  onThreshold: (state, now, prepared) => decideCallTimeElapsed(state, now, prepared?.openApplications as number | undefined),
  prepareThreshold(state, now, ask) {
    // A competitive call reaching its planned close with no application open owes no panel (as one closed early).
    if (state.mode !== 'competitive' || !callCloseCame(state, now) || !ask.patched(CALL_ENDED_EMPTY_ENDS_PATCH)) return undefined;
    // The count fences the intake: an application recorded at this moment is counted, or told the call closed.
    return ask.lookups.closeIntakeAndCount({ callId: ask.caseId, closedAt: state.closesAt! }).then((openApplications) => ({ openApplications }));
  },
  limitOnArrival: callLimitOnArrival,
  calendar: {
    // Calls were signalled on a loaded year only once their steps had limits.
    sincePatch: STEP_LIMIT_ON_ARRIVAL_PATCH,
    async recompute(state, reason, ask, corrections) {
      const limit = runningCallLimit(state);
      const recount = recountOf(limit, reason, corrections);
      return recount ? decideLimitRecomputed(limit, await ask.lookups.computeWorkingDayWindow(recount), reason, ask.now(), corrections) : [];
    },
  },

  statuses: CALL_STATUS_LABELS,
  // Officials run a call; nobody applies to it, so nobody follows it by 查询码.
  progressLookup: false,
  eventLabels: {
    ...PANEL_EVENT_LABELS,
    ...TIME_LIMIT_EVENT_LABELS,
    CallOpened: '设立申报批次',
    CallBudgetApproved: '审批预算',
    CallChanged: '修改申报批次',
    CallClosed: '提前截止',
    CallEnded: '申报期结束',
  },
  nextStep: callNextStep,
  searchView: (state, input) => ({
    caseType: CALL_STREAM_TYPE,
    status: state.status,
    referenceNo: state.referenceNo ?? input.referenceNo,
    ...(state.department ? { department: state.department } : {}),
    programmeId: input.call.programmeId,
    nextDeadline: nextCallThreshold(state),
  }),
  describe: (state) => ({ zh: `申报批次 ${state.referenceNo}`, en: `call ${state.referenceNo}` }),

  opening: {
    who: officials('reviewer', 'approver', 'director'),
    summary: "Official of the programme's department: open a call (申报批次) for an award or loan programme; its budget then awaits a second official's approval",
    body: z.strictObject({
      programmeId: text(100).meta({ title: '扶持项目' }),
      title: text(200).meta({ title: '批次名称', description: '例如：2026 年度杨浦优质内容评选' }),
      opensAt: shanghaiDateTime('申报开始时间'),
      closesAt: shanghaiDateTime('申报截止时间'),
      budgetFen: callBudgetField('预算（元）'),
      quota: quotaField.optional().meta({ title: '名额（个，可选）' }),
      mode: z.enum(['competitive', 'first-come']).meta({ title: '评审方式', enumLabels: { competitive: MODE_WORDS.competitive, 'first-come': MODE_WORDS['first-come'] } }),
      publicityWorkingDays: z.int().min(1).max(30).optional().meta({ title: '公示期（工作日）', description: `默认 ${DEFAULT_PUBLICITY_WORKING_DAYS} 个工作日` }),
    })
      // A period the wrong way round is told with the fields' other problems (一次告知), not on the next try.
      .superRefine(
        (body, ctx) => {
          const opensAt = parseShanghaiDateTime(body.opensAt);
          const closesAt = parseShanghaiDateTime(body.closesAt);
          if (opensAt >= closesAt) {
            ctx.addIssue({ code: 'custom', path: ['closesAt'], message: '须晚于开始时间', params: { code: 'closes-before-opening', english: 'must be after opensAt' } });
          }
          // The opening instant against now is the toInput's: the schema has no clock.
          if (closesAt > oneYearAfter(opensAt)) {
            ctx.addIssue({ code: 'custom', path: ['closesAt'], message: closesTooLateMessage(opensAt), params: { code: 'period-too-long', english: 'must be at most one year after opensAt' } });
          }
        },
        {
          when: (payload) => {
            const value = payload.value as { opensAt?: unknown; closesAt?: unknown } | undefined;
            return [value?.opensAt, value?.closesAt].every((at) => typeof at === 'string' && isShanghaiDateTime(at) && /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}$/.test(at));
          },
        },
      ),
    referencePrefix: 'PC',
    toInput(body, { caseId, referenceNo, requestId, opener, now }) {
      const call: CallInput['call'] = {
        programmeId: body.programmeId as string,
        catalogueVersion: CATALOGUE_VERSION,
        title: body.title as string,
        opensAt: parseShanghaiDateTime(body.opensAt as string),
        closesAt: parseShanghaiDateTime(body.closesAt as string),
        budgetFen: body.budgetFen as Fen,
        mode: body.mode as CallMode,
        ...(body.quota !== undefined ? { quota: body.quota as number } : {}),
        ...(body.publicityWorkingDays !== undefined ? { publicityWorkingDays: body.publicityWorkingDays as number } : {}),
      };
      // The same rules the workflow opens by, before a workflow is started: a refusal opens nothing.
      decideCallOpening({ type: 'OpenCall', callId: caseId, referenceNo, ...call }, { actor: opener, now });
      // Here, not in the decider: an opening the workflow recorded before the bound replays as it was.
      const tooFar = callPeriodTooFar(call.opensAt, call.closesAt, now);
      if (tooFar.length > 0) throw periodTooFarError(tooFar);
      return { caseId, referenceNo, requestId, applicant: opener, openedBy: opener, call };
    },
  },

  readModel: callReadModel,
  view: callView,
};

