import { z } from 'zod';
import type { Actor } from '../domain/cases/actor.js';
import { DEPARTMENTS } from '../domain/cases/actor.js';
import type { CallCommand, CallCommandType, OpenCall } from '../domain/calls/commands.js';
import {
  CALL_STEPS,
  callActorRefusal,
  callPeriodInWords,
  decideCall,
  decideCallOpening,
  decideCallTimeElapsed,
  DEFAULT_PUBLICITY_WORKING_DAYS,
  ensureCallCommandAllowed,
  nextCallThreshold,
} from '../domain/calls/decide.js';
import type { ActorRef, CallEvent, CallMode } from '../domain/calls/events.js';
import { formatShanghaiMinute, isShanghaiDateTime, parseShanghaiDateTime } from '../domain/calls/shanghai-time.js';
import { CALL_STATUS_LABELS, evolveCall, initialCallState, isCallTerminal, type CallState } from '../domain/calls/state.js';
import { formatFen, type Fen } from '../domain/money/fen.js';
import { CATALOGUE_VERSION } from '../domain/programmes/catalogue.js';
import { shanghaiDateOf } from '../domain/time/local-date.js';
import type { CaseAction, CaseModule, CaseReadModel, CaseRow, NextStep } from './case-module.js';
import { fen, moneyField, text, yuan } from './fields.js';

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
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}$/, 'must be a Shanghai date-time written YYYY-MM-DDTHH:mm')
    .refine(isShanghaiDateTime, 'must be a real date-time')
    .meta({ title, description: '北京时间，例如 2026-09-20T09:00' });

const quotaField = z.int('must be a whole number').positive('must be more than 0').max(100_000);

const officials = (...duties: ('reviewer' | 'approver' | 'director')[]) => ({ official: { duties } });

type CallAction = CaseAction<CallState, CallCommand>;

function action(type: CallCommandType, declaration: Omit<CallAction, 'type' | 'at' | 'availability'>): CallAction {
  return {
    ...declaration,
    type,
    at: CALL_STEPS[type],
    availability: (state, actor) => callActorRefusal(state, type, actor)?.zh,
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
    done: '已修改；如调整了预算，须重新审批。',
    summary: "Official of the programme's department: change the title, dates, budget or quota (a budget change needs approval again; it may not drop below what is committed)",
    body: z.strictObject({
      title: text(200).optional().meta({ title: '批次名称' }),
      opensAt: shanghaiDateTime('申报开始时间').optional(),
      closesAt: shanghaiDateTime('申报截止时间').optional(),
      budgetFen: fen.optional().meta({ title: '预算（元）', unit: 'fen' }),
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
    explain: () => '调整预算后须由另一名工作人员重新审批，审批前不受理申报；预算不能少于已核定的金额。',
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
  }),
];

function callNextStep(state: CallState): NextStep {
  const base = { status: state.status, label: CALL_STATUS_LABELS[state.status] };
  const department = state.department;
  switch (state.status) {
    case 'draft':
      return {
        ...base,
        waitingFor: { role: 'official', ...(department ? { department } : {}), note: `${department ? DEPARTMENTS[department] : ''}另一名审批人员审批预算 ${formatFen(state.budgetFen)} 元` },
        ...closing(state),
      };
    case 'approved':
      // Nobody owes the call an action once its budget stands: it waits in no one's work queue.
      return { ...base, waitingFor: null, ...closing(state) };
    default:
      return { ...base, waitingFor: null };
  }
}

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
  };
  const finishedAt = state.closed?.closedAt ?? state.endedAt;
  return {
    referenceNo: state.referenceNo!,
    applicantAccountId: state.applicant!.accountId,
    applicantName: state.applicant!.displayName,
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
    waitingFor: d.next.waitingFor,
    deadline: d.next.deadline ?? null,
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
    ],
  };
}

export const callCase: CaseModule<CallState, CallEvent, CallCommand, CallInput> = {
  caseType: 'call',
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
  check: (state, command, { actor, now }) => ensureCallCommandAllowed(state, command, { actor, now }),
  decide: (command, state, { actor, now, prepared }) => decideCall(command, state, { actor, now, committedFen: prepared.committedFen as Fen | undefined }),
  async prepare(command, state, ask) {
    // Only a budget cut needs the ledger: it may not drop below what approvals have committed.
    if (command.type !== 'ChangeCall' || command.budgetFen === undefined || command.budgetFen >= state.budgetFen) return {};
    const ledger = await ask.lookups.callBudget({ callId: ask.caseId });
    return { committedFen: ledger?.committedFen ?? 0 };
  },

  nextThreshold: nextCallThreshold,
  onThreshold: decideCallTimeElapsed,

  statuses: CALL_STATUS_LABELS,
  eventLabels: {
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
  describe: (state) => `call ${state.referenceNo}`,

  opening: {
    who: officials('reviewer', 'approver', 'director'),
    summary: "Official of the programme's department: open a call (申报批次) for an award or loan programme; its budget then awaits a second official's approval",
    body: z.strictObject({
      programmeId: text(100).meta({ title: '扶持项目' }),
      title: text(200).meta({ title: '批次名称', description: '例如：2026 年度杨浦优质内容评选' }),
      opensAt: shanghaiDateTime('申报开始时间'),
      closesAt: shanghaiDateTime('申报截止时间'),
      budgetFen: moneyField('预算（元）'),
      quota: quotaField.optional().meta({ title: '名额（个，可选）' }),
      mode: z.enum(['competitive', 'first-come']).meta({ title: '评审方式', enumLabels: { competitive: MODE_WORDS.competitive, 'first-come': MODE_WORDS['first-come'] } }),
      publicityWorkingDays: z.int().min(1).max(30).optional().meta({ title: '公示期（工作日）', description: `默认 ${DEFAULT_PUBLICITY_WORKING_DAYS} 个工作日` }),
    }),
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
      return { caseId, referenceNo, requestId, applicant: opener, openedBy: opener, call };
    },
  },

  readModel: callReadModel,
  view: callView,
};

