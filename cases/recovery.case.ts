import { z } from 'zod';
import type { ApplicationState } from '../domain/applications/state.js';
import { DEPARTMENTS, isDirectorOf, isOfficialOf, type Actor, type Department } from '../domain/cases/actor.js';
import { letterForRecovery } from '../domain/decisions/case-letters.js';
import { DomainError, forbidden, illegalState, internalCheck, refusal as asRefusal, validationError, type Refusal } from '../domain/errors.js';
import { chineseAmount, formatFen, type Fen } from '../domain/money/fen.js';
import { chineseDate, chineseInstant, shanghaiDateOf, type LocalDate } from '../domain/time/local-date.js';
import { looseReferenceKey, recordedAtField, REFERENCE_FOLDING_IN_WORDS, sameReference } from '../domain/chuying/money.js';
import {
  breachThreshold,
  checkExtension,
  decideBreach,
  decideExtension,
  decideLimitRecomputed,
  describeDeadline,
  describeTimeLimit,
  evolveTimeLimit,
  extensionRefusal,
  limitDeadline,
  recountOf,
  runningLimit,
  startTimeLimit,
  STEP_TIME_LIMITS_PATCH,
  supervisorRefusal,
  TIME_LIMIT_EVENT_LABELS,
  timeLimitView,
  type ExtendTimeLimitCommand,
  type StepTimeLimit,
  type TimeLimitEvent,
  type TimeLimitView,
  type WorkingDayCount,
} from '../domain/time-limits/step-time-limit.js';
import { extendTimeLimitDeclaration } from './time-limit-action.js';
import { openStatuses, withAttachedDocuments } from './attach-documents-action.js';
import { holdAttachment, type HoldsAttachments, type OfficialDocumentsAttachedEvent } from '../domain/documents/official-attachments.js';
import type { CaseAction, CaseModule, CaseStateBase, NextStep } from './case-module.js';
import { fen, localDate, moneyField, reasonLines, bankReferenceText, text } from './fields.js';

/**
 * 追回 — recovery of public money. An official of the awarding department opens it against a case
 * with a recoverable amount (a rent subsidy paid for months after the applicant left 杨浦). The
 * applicant is told the amount and the reason and may object within 10 working days; an official
 * answers the objection (upheld: the recovery is withdrawn; dismissed: it goes on). Payments are
 * recorded, partial ones allowed, each bank reference once. A director may write off what is left,
 * with reasons. The awards ledger shows what was recovered and written off against the award.
 */

const OBJECTION_WORKING_DAYS = 10;
/**
 * Since issue 13: the department answers an objection within 10 working days of receiving it — the
 * same time the applicant had to raise it. No source sets one for a 追回; this mirrors the objection
 * period, and is shorter than the 20 working days a decision takes (行政许可法 Art. 42), since the
 * answer re-examines one decision already taken.
 */
const OBJECTION_ANSWER_WORKING_DAYS = 10;

type ActorRef = Pick<Actor, 'accountId' | 'displayName'>;

export interface RecoverySource {
  caseId: string;
  referenceNo: string;
  programmeId: string | null;
  programmeName: string;
}

export interface RecoveryInput {
  caseId: string;
  referenceNo: string;
  /** The applicant of the case recovered from: whose case this is. */
  applicant: Actor;
  /** The official who opened it. */
  openedBy: Actor;
  requestId: string;
  source: RecoverySource;
  department: Department;
  amountFen: Fen;
  reason: string;
}

interface ObjectionWindow {
  startedOn: LocalDate;
  workingDays: number;
  lastWorkingDay: LocalDate;
  deadlineAt: string;
  provisional: boolean;
}

interface RecoveryPayment {
  version: number;
  amountFen: Fen;
  paidOn: LocalDate;
  reference: string;
  recordedAt: string;
}

export type RecoveryEvent =
  | {
      type: 'RecoveryOpened';
      data: { caseId: string; referenceNo: string; applicant: ActorRef; openedBy: ActorRef; source: RecoverySource; department: Department; amountFen: Fen; reason: string; objectionWindow: ObjectionWindow; openedAt: string };
    }
  | { type: 'ObjectionRaised'; data: { by: ActorRef; statement: string; raisedAt: string } }
  | { type: 'ObjectionWindowClosed'; data: { closedAt: string } }
  | { type: 'ObjectionAnswered'; data: { by: ActorRef; outcome: 'upheld' | 'dismissed'; answer: string; answeredAt: string } }
  | { type: 'RecoveryPaymentRecorded'; data: { by: ActorRef; amountFen: Fen; paidOn: LocalDate; reference: string; recordedAt: string } }
  | { type: 'RecoveryWrittenOff'; data: { by: ActorRef; amountFen: Fen; reasons: string[]; writtenOffAt: string } }
  | { type: 'RecoveryClosed'; data: { outcome: 'recovered' | 'written-off' | 'withdrawn'; closedAt: string } }
  /** Since issue 14: an official's own documents (附加材料), which change nothing of the recovery's course. */
  | OfficialDocumentsAttachedEvent
  /** Since issue 13: the promised time limit of answering the objection (domain/time-limits). */
  | TimeLimitEvent;

export type RecoveryStatus = 'not-opened' | 'objection-period' | 'objection-review' | 'collecting' | 'recovered' | 'written-off' | 'withdrawn';

export interface RecoveryState extends CaseStateBase, HoldsAttachments {
  status: RecoveryStatus;
  version: number;
  caseId?: string;
  referenceNo?: string;
  applicant?: ActorRef;
  openedBy?: ActorRef;
  source?: RecoverySource;
  department?: Department;
  amountFen: Fen;
  reason?: string;
  openedOn?: LocalDate;
  objectionWindow?: ObjectionWindow;
  objection?: { statement: string; raisedAt: string; outcome?: 'upheld' | 'dismissed'; answer?: string; answeredBy?: ActorRef; answeredAt?: string };
  payments: RecoveryPayment[];
  recoveredFen: Fen;
  writtenOff?: { amountFen: Fen; reasons: string[]; by: ActorRef; writtenOffAt: string };
  closedAt?: string;
  /** The promised time limit of the official step the case is at (or was at last: see `runningLimit`). */
  timeLimit?: StepTimeLimit;
}

export type RecoveryCommand =
  | { type: 'RaiseObjection'; statement: string }
  | { type: 'AnswerObjection'; outcome: 'upheld' | 'dismissed'; answer: string }
  | { type: 'RecordRecoveryPayment'; amountFen: Fen; paidOn: LocalDate; reference: string }
  | { type: 'WriteOff'; reasons: string[] }
  | ExtendTimeLimitCommand;

const STATUS_LABELS: Record<RecoveryStatus, string> = {
  'not-opened': '未立案',
  'objection-period': '告知及异议期',
  'objection-review': '异议审查',
  collecting: '追缴中',
  recovered: '已追回',
  'written-off': '已核销',
  withdrawn: '已撤销追回',
};

const TERMINAL: readonly RecoveryStatus[] = ['recovered', 'written-off', 'withdrawn'];

const STEPS: Record<RecoveryCommand['type'], readonly RecoveryStatus[]> = {
  RaiseObjection: ['objection-period'],
  AnswerObjection: ['objection-review'],
  RecordRecoveryPayment: ['objection-period', 'objection-review', 'collecting'],
  WriteOff: ['collecting'],
  ExtendTimeLimit: ['objection-review'],
};

const initialState = (): RecoveryState => ({ status: 'not-opened', version: 0, amountFen: 0, payments: [], recoveredFen: 0 });

const outstanding = (state: RecoveryState): Fen => state.amountFen - state.recoveredFen - (state.writtenOff?.amountFen ?? 0);

function evolve(state: RecoveryState, event: RecoveryEvent): RecoveryState {
  const next = { ...state, version: state.version + 1 };
  switch (event.type) {
    case 'OfficialDocumentsAttached':
      return holdAttachment(next, event);
    case 'RecoveryOpened': {
      const d = event.data;
      return {
        ...next,
        status: 'objection-period',
        caseId: d.caseId,
        referenceNo: d.referenceNo,
        applicant: d.applicant,
        openedBy: d.openedBy,
        source: d.source,
        department: d.department,
        amountFen: d.amountFen,
        reason: d.reason,
        openedOn: shanghaiDateOf(Date.parse(d.openedAt)),
        objectionWindow: d.objectionWindow,
      };
    }
    case 'ObjectionRaised':
      return { ...next, status: 'objection-review', objection: { statement: event.data.statement, raisedAt: event.data.raisedAt } };
    case 'ObjectionWindowClosed':
      return { ...next, status: 'collecting' };
    case 'ObjectionAnswered':
      return {
        ...next,
        status: event.data.outcome === 'upheld' ? state.status : 'collecting',
        objection: { ...state.objection!, outcome: event.data.outcome, answer: event.data.answer, answeredBy: event.data.by, answeredAt: event.data.answeredAt },
      };
    case 'RecoveryPaymentRecorded': {
      const { amountFen, paidOn, reference, recordedAt } = event.data;
      return { ...next, payments: [...state.payments, { version: next.version, amountFen, paidOn, reference, recordedAt }], recoveredFen: state.recoveredFen + amountFen };
    }
    case 'RecoveryWrittenOff':
      return { ...next, writtenOff: { amountFen: event.data.amountFen, reasons: event.data.reasons, by: event.data.by, writtenOffAt: event.data.writtenOffAt } };
    case 'RecoveryClosed':
      return { ...next, status: event.data.outcome, closedAt: event.data.closedAt };
    case 'TimeLimitStarted':
    case 'TimeLimitExtended':
    case 'TimeLimitBreached':
    case 'TimeLimitEscalated':
    case 'TimeLimitRecomputed':
      return { ...next, timeLimit: evolveTimeLimit(state.timeLimit, event) };
  }
}

/** Who may take an action (the step aside), in the error the workflow refuses with and the reason the UI shows. */
function actorRefusal(state: RecoveryState, type: RecoveryCommand['type'], actor: Actor): Refusal | undefined {
  const department = state.department!;
  const departmentName = DEPARTMENTS[department];
  switch (type) {
    case 'RaiseObjection':
      if (actor.role === 'applicant' && actor.accountId === state.applicant?.accountId) return undefined;
      return asRefusal('forbidden', { code: 'applicant-only', zh: '只有被追回的申请人可以提出异议。', en: `only the applicant of case ${state.referenceNo} may object to the recovery`, params: { action: type } });
    case 'WriteOff':
      if (isDirectorOf(actor, department)) return undefined;
      return asRefusal('forbidden', { code: 'director-writes-off', zh: `核销由${departmentName}负责人决定。`, en: `a write-off is decided by a director of ${departmentName}`, params: { department } });
    case 'ExtendTimeLimit':
      // A director of the department, with the clock: extensionRefusal (the action's availability, check).
      return undefined;
    case 'AnswerObjection':
      if (isOfficialOf(actor, department)) return supervisorRefusal(runningLimit(state.timeLimit, state.status), actor, department);
      return departmentOnly(state, department);
    default:
      if (isOfficialOf(actor, department)) return undefined;
      return departmentOnly(state, department);
  }
}

function departmentOnly(state: RecoveryState, department: Department): Refusal {
  const departmentName = DEPARTMENTS[department];
  return asRefusal('forbidden', { code: 'department-official-only', zh: `此步骤由${departmentName}工作人员办理。`, en: `case ${state.referenceNo} is handled by ${departmentName}`, params: { department } });
}

/** What each action is called: the case page's label for it (the module's action reads it here) and the refusals that name it. */
const RECOVERY_ACTION_LABELS: Record<RecoveryCommand['type'], string> = {
  RaiseObjection: '提出异议',
  AnswerObjection: '答复异议',
  RecordRecoveryPayment: '登记退还款项',
  WriteOff: '核销',
  ExtendTimeLimit: '延长办理时限',
};

function stepRefusal(state: RecoveryState, type: RecoveryCommand['type']): DomainError | undefined {
  if (STEPS[type].includes(state.status)) return undefined;
  return illegalState({
    code: 'not-at-this-step',
    zh: `${state.referenceNo ? `追回办件 ${state.referenceNo} ` : '本追回办件'}目前处于“${STATUS_LABELS[state.status]}”，不能办理“${RECOVERY_ACTION_LABELS[type]}”：此项只在${STEPS[type].map((s) => `“${STATUS_LABELS[s]}”`).join('、')}时办理。`,
    en: `${type} is not allowed while recovery ${state.referenceNo} is at step "${state.status}" (${STATUS_LABELS[state.status]})`,
    params: { action: type, status: state.status, allowed: STEPS[type].join(',') },
  });
}

/**
 * Since 2026-12-05: a payment's reference that is one this recovery recorded but for its separators
 * (R1 after R-1, domain/chuying/money.ts looseReferenceKey) is refused as the same transaction, not recorded as a second one. Histories before
 * it, which may hold both, replay without.
 */
export const RECOVERY_REFERENCE_SEPARATORS_FOLDED_PATCH = 'recovery-reference-dashes-folded';

function paymentReferenceAlike(typed: string, first: RecoveryPayment): DomainError {
  const recorded = `${chineseDate(first.paidOn)}还款 ${chineseAmount(first.amountFen)}`;
  return new DomainError(
    'conflict',
    {
      code: 'bank-reference-used',
      zh: `银行流水号 ${typed} 即已登记为${recorded}的 ${first.reference}：同一笔银行交易只登记一次，${REFERENCE_FOLDING_IN_WORDS}。请核对银行回单上的流水号。`,
      en: `reference ${typed} is ${first.reference}, already recorded as a payment of ${formatFen(first.amountFen)} on ${first.paidOn}, but for hyphens or spaces`,
      params: { reference: typed, recordedAs: first.reference },
    },
    [{ field: 'reference', message: `已登记为${recorded}（登记时写作 ${first.reference}）`, code: 'bank-reference-used', english: `already recorded as ${first.reference}` }],
  );
}

/** The payment a case has already recorded under this bank reference: a repeat is answered with it, a conflict refused. */
function repeatOf(state: RecoveryState, command: RecoveryCommand) {
  if (command.type !== 'RecordRecoveryPayment') return undefined;
  const first = state.payments.find((p) => sameReference(p.reference, command.reference));
  if (!first) return undefined;
  if (first.amountFen === command.amountFen && first.paidOn === command.paidOn) {
    return { type: 'RecoveryPaymentRecorded', version: first.version, reference: first.reference, amountFen: first.amountFen, date: first.paidOn, recordedAt: first.recordedAt };
  }
  throw new DomainError(
    'conflict',
    {
      code: 'money-already-recorded',
      zh: `银行流水号 ${first.reference} 已于 ${chineseInstant(first.recordedAt)} 登记为${chineseDate(first.paidOn)}还款 ${chineseAmount(first.amountFen)}，与本次金额或日期不同：请核对流水号`,
      en: `reference ${first.reference} is recorded as a payment of ${formatFen(first.amountFen)} on ${first.paidOn}, not this amount or date: check the reference`,
      params: { reference: first.reference, amountFen: first.amountFen, date: first.paidOn },
    },
    [recordedAtField('reference', { type: 'RepaymentRecorded', amountFen: first.amountFen, date: first.paidOn, reference: first.reference })],
  );
}

function check(state: RecoveryState, command: RecoveryCommand, { actor, now }: { actor: Actor; now: number }): void {
  if (actor.role === 'auditor') throw forbidden({ code: 'auditor-read-only', zh: '审计人员只能查看案件，不能办理。', en: 'auditors read cases and change nothing' });
  const refusal = actorRefusal(state, command.type, actor);
  if (refusal) throw refusal.error;
  if (repeatOf(state, command)) return;
  const wrongStep = stepRefusal(state, command.type);
  if (wrongStep) throw wrongStep;
  const today = shanghaiDateOf(now);
  switch (command.type) {
    case 'RecordRecoveryPayment':
      if (!Number.isSafeInteger(command.amountFen) || command.amountFen <= 0) throw validationError('还款金额须为正整数（分）', [{ field: 'amountFen', message: '须大于 0' }]);
      if (command.amountFen > outstanding(state)) {
        throw validationError(`还款 ${formatFen(command.amountFen)} 元超过尚待追回的 ${formatFen(outstanding(state))} 元`, [{ field: 'amountFen', message: `不超过 ${formatFen(outstanding(state))} 元` }]);
      }
      if (command.paidOn > today) throw validationError(`还款日期 ${chineseDate(command.paidOn)} 晚于今天（${chineseDate(today)}）`, [{ field: 'paidOn', message: '不能晚于今天' }]);
      if (state.openedOn && command.paidOn < state.openedOn) {
        throw validationError(`还款日期 ${chineseDate(command.paidOn)} 早于追回立案日 ${chineseDate(state.openedOn!)}`, [{ field: 'paidOn', message: `不早于${chineseDate(state.openedOn!)}` }]);
      }
      return;
    case 'WriteOff':
      if (command.reasons.length === 0 || command.reasons.some((r) => r.trim() === '')) throw validationError('核销须写明理由', [{ field: 'reasons', message: '至少一条' }]);
      return;
    case 'AnswerObjection':
      if (command.answer.trim() === '') throw validationError('请写明对异议的答复', [{ field: 'answer', message: '必填' }]);
      return;
    case 'RaiseObjection':
      if (command.statement.trim() === '') throw validationError('请写明异议的事实和理由', [{ field: 'statement', message: '必填' }]);
      return;
    case 'ExtendTimeLimit':
      checkExtension(runningLimit(state.timeLimit, state.status), command, actor, now);
      return;
  }
}

/** What a recovery's decisions use beyond the actor and the clock: the look-ups of its time limits. */
interface RecoveryDecideContext {
  actor: Actor;
  now: number;
  /** For an objection, since issue 13: the working days to answer it, counted from today. */
  answerLimit?: WorkingDayCount;
  /** For an extension: the extra working days counted from the limit's last working day. */
  extension?: WorkingDayCount;
}

/** The objection-review step's limit: the department's officials answer it. */
function answerLimitStarted(state: RecoveryState, counted: WorkingDayCount | undefined, now: number): RecoveryEvent[] {
  if (!counted) return [];
  // Counted from the day the look-up ran, just before this decision (a decision across midnight keeps it).
  if (counted.workingDays !== OBJECTION_ANSWER_WORKING_DAYS || counted.startedOn > shanghaiDateOf(now)) {
    throw internalCheck(`the time to answer the objection must be counted for ${OBJECTION_ANSWER_WORKING_DAYS} working days, from no later than ${shanghaiDateOf(now)}`);
  }
  return [startTimeLimit({ step: 'objection-review', stepLabel: STATUS_LABELS['objection-review'], department: state.department! }, counted, now)];
}

function decide(command: RecoveryCommand, state: RecoveryState, context: RecoveryDecideContext): RecoveryEvent[] {
  check(state, command, context);
  const by = { accountId: context.actor.accountId, displayName: context.actor.displayName };
  const at = new Date(context.now).toISOString();
  switch (command.type) {
    case 'RaiseObjection':
      return [{ type: 'ObjectionRaised', data: { by, statement: command.statement, raisedAt: at } }, ...answerLimitStarted(state, context.answerLimit, context.now)];
    case 'ExtendTimeLimit':
      return decideExtension(runningLimit(state.timeLimit, state.status), command, context.actor, context.now, context.extension);
    case 'AnswerObjection':
      return [
        { type: 'ObjectionAnswered', data: { by, outcome: command.outcome, answer: command.answer, answeredAt: at } },
        ...(command.outcome === 'upheld' ? [{ type: 'RecoveryClosed' as const, data: { outcome: 'withdrawn' as const, closedAt: at } }] : []),
      ];
    case 'RecordRecoveryPayment': {
      const paid: RecoveryEvent = { type: 'RecoveryPaymentRecorded', data: { by, amountFen: command.amountFen, paidOn: command.paidOn, reference: command.reference, recordedAt: at } };
      const settled = command.amountFen === outstanding(state);
      return settled ? [paid, { type: 'RecoveryClosed', data: { outcome: 'recovered', closedAt: at } }] : [paid];
    }
    case 'WriteOff':
      return [
        { type: 'RecoveryWrittenOff', data: { by, amountFen: outstanding(state), reasons: command.reasons, writtenOffAt: at } },
        { type: 'RecoveryClosed', data: { outcome: 'written-off', closedAt: at } },
      ];
  }
}

function nextThreshold(state: RecoveryState): number | undefined {
  if (state.status === 'objection-period' && state.objectionWindow) return Date.parse(state.objectionWindow.deadlineAt);
  return breachThreshold(runningLimit(state.timeLimit, state.status));
}

function onThreshold(state: RecoveryState, now: number): RecoveryEvent[] {
  if (state.status === 'objection-period') {
    const at = nextThreshold(state);
    return at !== undefined && now >= at ? [{ type: 'ObjectionWindowClosed', data: { closedAt: new Date(at).toISOString() } }] : [];
  }
  return decideBreach(runningLimit(state.timeLimit, state.status), now);
}

function nextStep(state: RecoveryState): NextStep {
  const base = { status: state.status, label: STATUS_LABELS[state.status] };
  const department = state.department;
  switch (state.status) {
    case 'objection-period': {
      const window = state.objectionWindow!;
      return {
        ...base,
        waitingFor: { role: 'applicant', note: `申请人可于${chineseDate(window.lastWorkingDay)}（含）前提出异议，或按告知金额退还` },
        deadline: { kind: 'objection', dueOn: window.lastWorkingDay, at: window.deadlineAt, provisional: window.provisional },
      };
    }
    case 'objection-review': {
      const limit = runningLimit(state.timeLimit, state.status);
      const overdue = limit?.escalatedAt ? '；已超期，已上报分管领导' : '';
      return { ...base, waitingFor: { role: 'official', department, note: `${DEPARTMENTS[department!]}审查异议并答复${overdue}` }, ...(limit ? { deadline: limitDeadline(limit) } : {}) };
    }
    case 'collecting':
      return { ...base, waitingFor: { role: 'applicant', note: `退还尚待追回的 ${formatFen(outstanding(state))} 元` } };
    default:
      return { ...base, waitingFor: null };
  }
}

/** What a case can be asked to pay back: today, a rent subsidy paid for months after the applicant left 杨浦. */
function recoverableOf(source: { caseType: string; state: unknown }): Fen {
  return source.caseType === 'application' ? ((source.state as ApplicationState).stopped?.recoverableFen ?? 0) : 0;
}

type RecoveryAction = CaseAction<RecoveryState, RecoveryCommand>;

function action(type: RecoveryCommand['type'], declaration: Omit<RecoveryAction, 'type' | 'at' | 'availability'>): RecoveryAction {
  return {
    ...declaration,
    type,
    at: STEPS[type],
    availability: (state, actor, now) => {
      const refusal = actorRefusal(state, type, actor);
      if (refusal) return refusal.zh;
      if (type === 'RaiseObjection' && state.objectionWindow && now > Date.parse(state.objectionWindow.deadlineAt)) return '异议期已过。';
      if (type === 'ExtendTimeLimit') return extensionRefusal(runningLimit(state.timeLimit, state.status), actor, now)?.zh;
      return undefined;
    },
  };
}

const RECOVERY_ACTIONS: readonly RecoveryAction[] = [
  action('RaiseObjection', {
    name: 'raise-objection',
    update: 'raiseObjection',
    label: RECOVERY_ACTION_LABELS.RaiseObjection,
    done: '异议已提交，主管部门将审查并答复。',
    summary: 'Applicant: object to the recovery within 10 working days of being told, with the facts and reasons',
    body: z.strictObject({ statement: text(5000).meta({ title: '异议的事实和理由' }) }),
    toCommand: (b) => ({ type: 'RaiseObjection', statement: b.statement as string }),
    who: { applicant: true },
    explain: (state) => `追回金额 ${formatFen(state.amountFen)} 元，理由：${state.reason}。异议期至 ${state.objectionWindow?.lastWorkingDay} 24:00。`,
  }),
  action('AnswerObjection', {
    name: 'answer-objection',
    update: 'answerObjection',
    label: RECOVERY_ACTION_LABELS.AnswerObjection,
    done: '已答复异议。',
    summary: 'Official of the awarding department: answer the objection (upheld withdraws the recovery)',
    body: z.strictObject({
      outcome: z.enum(['dismissed', 'upheld']).meta({ title: '审查结论', description: '选择审查后的结论', enumLabels: { dismissed: '异议不成立，继续追回', upheld: '异议成立，撤销追回' } }),
      answer: text(5000).meta({ title: '答复意见' }),
    }),
    toCommand: (b) => ({ type: 'AnswerObjection', outcome: b.outcome as 'upheld' | 'dismissed', answer: b.answer as string }),
    // The supervising official takes an overdue answer over once it is escalated (the decider's rule).
    who: { official: { duties: ['reviewer', 'approver', 'director', 'supervisor'] } },
    explain: (state) => (state.objection ? `申请人异议：${state.objection.statement}` : undefined),
  }),
  action('RecordRecoveryPayment', {
    name: 'record-recovery-payment',
    asksFirst: true,
    update: 'recordRecoveryPayment',
    label: RECOVERY_ACTION_LABELS.RecordRecoveryPayment,
    done: '已登记退还款项。',
    summary: 'Official of the awarding department: record money paid back (partial payments allowed; a bank reference records once)',
    body: z.strictObject({
      amountFen: moneyField('退还金额（元）'),
      paidOn: localDate.meta({ title: '退还日期', format: 'date' }),
      reference: bankReferenceText(100).meta({ title: '银行流水号' }),
    }),
    toCommand: (b) => ({ type: 'RecordRecoveryPayment', amountFen: b.amountFen as Fen, paidOn: b.paidOn as LocalDate, reference: b.reference as string }),
    who: { official: { duties: ['reviewer', 'approver', 'director'] } },
    prefill: (state) => ({ amountFen: outstanding(state) }),
    explain: (state) => `尚待追回 ${formatFen(outstanding(state))} 元（已追回 ${formatFen(state.recoveredFen)} 元）。`,
  }),
  action('WriteOff', {
    name: 'write-off',
    update: 'writeOff',
    label: RECOVERY_ACTION_LABELS.WriteOff,
    done: '已核销剩余金额，追回办结。',
    tone: 'danger',
    summary: 'Director of the awarding department: write off what is left to recover, with reasons',
    body: z.strictObject({ reasons: reasonLines('核销理由') }),
    toCommand: (b) => ({ type: 'WriteOff', reasons: b.reasons as string[] }),
    who: { official: { duties: ['director'] } },
    explain: (state) => `将核销尚待追回的 ${formatFen(outstanding(state))} 元。`,
  }),
  action(
    'ExtendTimeLimit',
    extendTimeLimitDeclaration((state: RecoveryState) => {
      const limit = runningLimit(state.timeLimit, state.status);
      return limit ? `答复异议的办理时限至 ${limit.lastWorkingDay} 24:00（${limit.workingDays} 个工作日）；延长理由将告知申请人。` : undefined;
    }),
  ),
];

const recoveryModule: CaseModule<RecoveryState, RecoveryEvent, RecoveryCommand, RecoveryInput> = {
  caseType: 'recovery',
  streamTypes: ['recovery'],
  streamTypeOf: () => 'recovery',
  workflowType: 'recoveryWorkflow',
  stateQuery: 'recoveryState',
  name: '追回（公共资金）',

  initialState,
  evolve,
  isTerminal: (state) => TERMINAL.includes(state.status),

  async open(input, ask) {
    const now = ask.now();
    const window = await ask.lookups.computeWorkingDayWindow({ startedOn: shanghaiDateOf(now), workingDays: OBJECTION_WORKING_DAYS });
    const { caseId, referenceNo, applicant, openedBy, source, department, amountFen, reason } = input;
    return [
      {
        type: 'RecoveryOpened',
        data: {
          caseId,
          referenceNo,
          applicant: { accountId: applicant.accountId, displayName: applicant.displayName },
          openedBy: { accountId: openedBy.accountId, displayName: openedBy.displayName },
          source,
          department,
          amountFen,
          reason,
          objectionWindow: window,
          openedAt: new Date(now).toISOString(),
        },
      },
    ];
  },

  actions: RECOVERY_ACTIONS,
  check,
  decide: (command, state, { actor, now, prepared }) =>
    decide(command, state, { actor, now, answerLimit: prepared.answerLimit as WorkingDayCount | undefined, extension: prepared.extension as WorkingDayCount | undefined }),
  async prepare(command, state, ask) {
    if (command.type === 'RecordRecoveryPayment') {
      const alike = state.payments.find((p) => looseReferenceKey(p.reference) === looseReferenceKey(command.reference));
      if (alike && ask.patched(RECOVERY_REFERENCE_SEPARATORS_FOLDED_PATCH)) throw paymentReferenceAlike(command.reference, alike);
      return {};
    }
    if (command.type === 'RaiseObjection') {
      // Recorded histories before issue 13 looked nothing up here.
      if (!ask.patched(STEP_TIME_LIMITS_PATCH)) return {};
      return { answerLimit: await ask.lookups.computeWorkingDayWindow({ startedOn: shanghaiDateOf(ask.now()), workingDays: OBJECTION_ANSWER_WORKING_DAYS }) };
    }
    if (command.type === 'ExtendTimeLimit') {
      // The checks refused the command before this when there is no limit to extend.
      const limit = runningLimit(state.timeLimit, state.status)!;
      return { extension: await ask.lookups.computeWorkingDayWindow({ startedOn: limit.lastWorkingDay, workingDays: command.extraWorkingDays }) };
    }
    return {};
  },
  repeatOf,

  nextThreshold,
  onThreshold,
  calendar: {
    // Only a running limit due a recount (provisional, or counted through a corrected year) looks anything up.
    async recompute(state, reason, ask, corrections) {
      const limit = runningLimit(state.timeLimit, state.status);
      const recount = recountOf(limit, reason, corrections);
      return recount ? decideLimitRecomputed(limit, await ask.lookups.computeWorkingDayWindow(recount), reason, ask.now(), corrections) : [];
    },
  },

  statuses: STATUS_LABELS,
  eventLabels: {
    RecoveryOpened: '立案追回，告知金额和理由',
    ObjectionRaised: '申请人提出异议',
    ObjectionWindowClosed: '异议期届满',
    ObjectionAnswered: '答复异议',
    RecoveryPaymentRecorded: '登记退还款项',
    RecoveryWrittenOff: '核销剩余金额',
    RecoveryClosed: '追回办结',
    ...TIME_LIMIT_EVENT_LABELS,
  },
  nextStep,
  searchView: (state, input) => ({
    caseType: 'recovery',
    status: state.status,
    referenceNo: state.referenceNo ?? input.referenceNo,
    department: input.department,
    ...(input.source.programmeId ? { programmeId: input.source.programmeId } : {}),
    nextDeadline: nextThreshold(state),
  }),
  describe: (state) => ({ zh: `追回办件 ${state.referenceNo}`, en: `recovery ${state.referenceNo}` }),
  decisionLetter: letterForRecovery,

  opening: {
    who: { official: { duties: ['reviewer', 'approver', 'director'] } },
    summary: 'Official of the awarding department: open a recovery (追回) against a case with a recoverable amount; one recovery per case',
    body: z.strictObject({
      sourceCaseId: z.uuid('办件编号格式不对').meta({ title: '追回所涉案件' }),
      amountFen: fen.optional().meta({ title: '追回金额（元，不填则为可追回的全部金额）', unit: 'fen' }),
      reason: text(2000).meta({ title: '追回理由' }),
    }),
    referencePrefix: 'ZH',
    againstCaseField: 'sourceCaseId',
    oneCasePer: (body) => `recovery:${body.sourceCaseId as string}`,
    offer(source) {
      const recoverableFen = recoverableOf(source);
      if (recoverableFen <= 0) return undefined;
      return {
        label: '立案追回',
        explain: `本案停止发放后多发 ${formatFen(recoverableFen)} 元，可立案追回；申请人将被告知金额和理由，并可在 ${OBJECTION_WORKING_DAYS} 个工作日内提出异议。`,
        prefill: { sourceCaseId: source.caseId, amountFen: recoverableFen },
      };
    },
    toInput(body, { caseId, referenceNo, requestId, opener, source }) {
      const application = source?.caseType === 'application' ? (source.state as ApplicationState) : undefined;
      const recoverableFen = source ? recoverableOf(source) : 0;
      if (!source || !application || recoverableFen <= 0) {
        throw validationError(`案件 ${source?.referenceNo ?? ''} 没有可追回的金额：只有停止发放后多发的款项可以追回`, [{ field: 'sourceCaseId', message: '该案件没有可追回的金额' }]);
      }
      const department = application.terms!.department as Department;
      if (!isOfficialOf(opener, department)) throw forbidden(`追回由发放该笔资金的${DEPARTMENTS[department]}工作人员立案`);
      const amountFen = (body.amountFen as Fen | undefined) ?? recoverableFen;
      if (amountFen > recoverableFen) {
        throw validationError(`追回金额 ${formatFen(amountFen)} 元超过可追回的 ${formatFen(recoverableFen)} 元`, [{ field: 'amountFen', message: `不超过 ${formatFen(recoverableFen)} 元` }]);
      }
      return {
        caseId,
        referenceNo,
        requestId,
        applicant: { accountId: source.applicant.accountId, displayName: source.applicant.displayName, role: 'applicant' },
        openedBy: opener,
        source: { caseId: source.caseId, referenceNo: source.referenceNo, programmeId: source.programmeId, programmeName: application.terms!.name.zh },
        department,
        amountFen,
        reason: body.reason as string,
      };
    },
  },

  readModel(state) {
    const step = nextStep(state);
    return {
      referenceNo: state.referenceNo!,
      applicantAccountId: state.applicant!.accountId,
      applicantName: state.applicant!.displayName,
      status: state.status,
      statusLabel: STATUS_LABELS[state.status],
      waitingFor: step.waitingFor,
      requestedFen: state.amountFen,
      approvedFen: null,
      outstandingFen: TERMINAL.includes(state.status) ? 0 : outstanding(state),
      nextDeadlineAt: step.deadline?.at ?? null,
      programmeId: state.source!.programmeId,
      department: state.department!,
      departments: [state.department!],
      sourceCaseId: state.source!.caseId,
      decidedOn: state.closedAt ? shanghaiDateOf(Date.parse(state.closedAt)) : null,
      details: {
        source: state.source,
        reason: state.reason,
        amountFen: state.amountFen,
        recoveredFen: state.recoveredFen,
        writtenOff: state.writtenOff ?? null,
        objectionWindow: state.objectionWindow,
        objection: state.objection ?? null,
        payments: state.payments,
        openedBy: state.openedBy,
        next: step,
        timeLimit: timeLimitView(runningLimit(state.timeLimit, state.status)),
      },
      // The awards ledger: what has come back from the award, and what was written off.
      writes: [{ op: 'update', table: 'awards', key: ['case_id'], rows: [{ case_id: state.source!.caseId, recovered_fen: state.recoveredFen, written_off_fen: state.writtenOff?.amountFen ?? 0 }] }],
    };
  },

  view(row) {
    const d = row.details as {
      source: RecoverySource;
      reason: string;
      amountFen: Fen;
      recoveredFen: Fen;
      writtenOff: RecoveryState['writtenOff'] | null;
      objectionWindow: ObjectionWindow;
      objection: RecoveryState['objection'] | null;
      payments: RecoveryPayment[];
      next: NextStep;
      /** Absent in rows projected before issue 13. */
      timeLimit?: TimeLimitView | null;
    };
    const limit = d.timeLimit ?? null;
    return {
      source: d.source,
      reason: d.reason,
      amountFen: d.amountFen,
      recoveredFen: d.recoveredFen,
      writtenOff: d.writtenOff,
      objectionWindow: d.objectionWindow,
      objection: d.objection,
      payments: d.payments,
      waitingFor: d.next.waitingFor,
      deadline: d.next.deadline ?? null,
      timeLimit: limit,
      overview: [
        { label: '所涉案件', value: `${d.source.referenceNo}（${d.source.programmeName}）` },
        { label: '追回理由', value: d.reason },
        { label: '追回金额', value: `${formatFen(d.amountFen)} 元` },
        { label: '已追回', value: `${formatFen(d.recoveredFen)} 元` },
        ...(d.writtenOff ? [{ label: '已核销', value: `${formatFen(d.writtenOff.amountFen)} 元：${d.writtenOff.reasons.join('；')}` }] : []),
        { label: '尚待追回', value: `${formatFen(row.outstanding_fen)} 元` },
        { label: '异议期', value: `至 ${d.objectionWindow.lastWorkingDay} 24:00（${OBJECTION_WORKING_DAYS} 个工作日）` },
        ...(limit
          ? [{ label: '办理时限', value: describeTimeLimit(limit) }]
          : d.next.deadline
            ? [{ label: '办理时限', value: describeDeadline(d.next.deadline, d.next.deadline.kind === 'objection' ? '申请人提出异议或退还' : d.next.deadline.kind) }]
            : []),
        ...(d.objection ? [{ label: '申请人异议', value: d.objection.statement }] : []),
        ...(d.objection?.answer ? [{ label: '异议答复', value: `${d.objection.outcome === 'upheld' ? '异议成立，撤销追回' : '异议不成立，继续追回'}：${d.objection.answer}` }] : []),
        ...d.payments.map((p) => ({ label: `退还（${chineseDate(p.paidOn)}）`, value: `${formatFen(p.amountFen)} 元（流水号 ${p.reference}）` })),
      ],
    };
  },
};

/** 附加材料 (issue 14): officials of the awarding department, while the recovery is open. */
export const recoveryCase = withAttachedDocuments(recoveryModule, {
  at: openStatuses(STATUS_LABELS, [...TERMINAL, 'not-opened']),
  departmentsOf: (state) => (state.department ? [state.department] : []),
});
