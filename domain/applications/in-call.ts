import { SYSTEM_ACTOR, type Actor } from '../cases/actor.js';
import type { BudgetMovement } from '../calls/ledger.js';
import type { CallMode } from '../calls/events.js';
import { illegalState, INTERNAL_CHECK_ZH, validationError } from '../errors.js';
import type { Fen } from '../money/fen.js';
import type { ApplicationPanelEvent } from '../panels/application-record.js';
import type { AwardForPublicity, PublicityCommand } from '../publicity/commands.js';
import type { Recipient } from '../publicity/masking.js';
import type { ApplicationCallCommand } from './commands.js';
import type { ApplicationCall, ApplicationEvent } from './events.js';
import type { ApplicationState } from './state.js';
import { pickCount, runningLimit, type WorkingDayCount } from '../time-limits/step-time-limit.js';
import { shanghaiDateOf, type LocalDate } from '../time/local-date.js';

/**
 * What an application in a call (申报批次) decides beyond today's lifecycle (issue 13): which call
 * it belongs to, the money its events move against the call's budget, the director's batch
 * decision of a competitive call, and the award's 公示.
 */

/** Since issue 13: an application asks which call it belongs to. Histories before it asked nothing. */
export const APPLICATION_CALLS_PATCH = 'application-calls';

/** The call look-up's answer, as the submission reads it (activities/calls.activities.ts answers it). */
export type OpenCallAnswer =
  | { runByCalls: false }
  | { runByCalls: true; call: { callId: string; title: string; mode: CallMode; publicityWorkingDays: number; closesAt?: string } }
  | { runByCalls: true; call: null; refusal: string };

/**
 * The call a submission belongs to, undefined for a programme never run by calls; outside an open
 * call the application is refused with the call's own words (its dates), and nothing is recorded.
 */
export function callOfSubmission(answer: OpenCallAnswer, programmeName: string): ApplicationCall | undefined {
  if (!answer.runByCalls) return undefined;
  if (!answer.call) throw illegalState(`${programmeName}按申报批次受理：${answer.refusal || '现在没有开放的申报批次'}。`);
  const { callId, title, mode, publicityWorkingDays, closesAt } = answer.call;
  return { callId, title, mode, publicityWorkingDays, ...(closesAt ? { closesAt } : {}) };
}

/**
 * An application in a competitive call waits for the call's panel and the director's batch
 * decision: its promised limit is the decision's (Art. 42), counted from the call's close, when all
 * of the call's applications are in and the panel can rank them — or from the day it reached the
 * panel, if that is later. Started on arrival (the driver's `limitOnArrival`), for cases whose
 * terms promise limits.
 */
export function panelReviewLimitOnArrival(state: ApplicationState, now: number) {
  const terms = state.terms;
  if (state.status !== 'panel-review' || !terms?.timeLimits || runningLimit(state.timeLimit, state.status)) return undefined;
  const closesAt = state.call?.closesAt ? Date.parse(state.call.closesAt) : undefined;
  return {
    step: { step: 'panel-review', stepLabel: '评审委员会评审', department: terms.department },
    workingDays: terms.timeLimits.decisionWorkingDays,
    // The close instant's own day: a call closing at 17:00 is counted from that day, as an acceptance on it would be.
    ...(closesAt !== undefined && closesAt > now ? { startedOn: shanghaiDateOf(closesAt - 1) } : {}),
  };
}

/** Since this change a call whose close moves (closed early, or changed) tells its open applications (the call module's afterRecorded). */
export const CALL_CLOSE_REACHES_APPLICATIONS_PATCH = 'call-close-reaches-applications';

type RecordCallClose = Extract<ApplicationCallCommand, { type: 'RecordCallClose' }>;

/** The close a delivery carries, checked against the case: its own call, at a real instant. */
export function callCloseOf(state: ApplicationState, command: RecordCallClose): { closesAt: number } {
  const closesAt = Date.parse(command.closesAt);
  // The system delivers it (a person is refused before this): a malformed one is the system's own fault.
  if (!Number.isFinite(closesAt)) {
    throw validationError({ code: 'call-close-malformed', zh: INTERNAL_CHECK_ZH, en: `a call's close is an instant; got ${command.closesAt}` }, [{ field: 'closesAt', message: INTERNAL_CHECK_ZH, code: 'call-close-malformed', english: 'an ISO instant' }]);
  }
  if (command.callId !== state.call?.callId) throw illegalState(`案件 ${state.referenceNo} 属于申报批次 ${state.call?.callId ?? '（无）'}，不属于批次 ${command.callId}。`);
  return { closesAt };
}

/** The day a panel limit counts from when the call closes at `closesAt`: the close instant's own day, as panelReviewLimitOnArrival counts. */
const closeDayOf = (closesAt: number): LocalDate => shanghaiDateOf(closesAt - 1);

/**
 * The panel limit a moved close counts again: one running, not breached, and counted from the
 * previous close's day — from the new close's day, with the same working days. A limit counted from
 * the day the application itself reached the panel stays as it is.
 */
export function panelLimitRecountOnClose(state: ApplicationState, command: RecordCallClose): { startedOn: LocalDate; workingDays: number } | undefined {
  const limit = runningLimit(state.timeLimit, 'panel-review');
  const previous = state.call?.closesAt ? Date.parse(state.call.closesAt) : undefined;
  const closesAt = Date.parse(command.closesAt);
  if (state.status !== 'panel-review' || !limit || limit.breachedAt || previous === undefined || !Number.isFinite(closesAt)) return undefined;
  if (limit.startedOn !== closeDayOf(previous) || closeDayOf(closesAt) === limit.startedOn) return undefined;
  return { startedOn: closeDayOf(closesAt), workingDays: limit.workingDays };
}

/**
 * The call's close moved, as the case records it: nothing when the case already has this close (a
 * repeated delivery); otherwise the new close, and the panel limit counted again from it where
 * `recounted` (panelLimitRecountOnClose, counted by the calendar) moves it.
 */
export function decideCallClose(state: ApplicationState, command: RecordCallClose, now: number, recounted: WorkingDayCount | undefined): ApplicationEvent[] {
  const { closesAt } = callCloseOf(state, command);
  const previous = state.call?.closesAt;
  if (previous !== undefined && Date.parse(previous) === closesAt) return [];
  const limit = runningLimit(state.timeLimit, state.status);
  const moved = limit && recounted && (recounted.lastWorkingDay !== limit.lastWorkingDay || recounted.deadlineAt !== limit.deadlineAt || recounted.startedOn !== limit.startedOn);
  return [
    {
      type: 'CallCloseRecorded',
      data: {
        callId: command.callId,
        closesAt: new Date(closesAt).toISOString(),
        ...(previous !== undefined ? { previousClosesAt: previous } : {}),
        closedEarly: command.closedEarly === true,
        ...(moved ? { limit: { previous: pickCount(limit), current: recounted } } : {}),
        at: new Date(now).toISOString(),
      },
    },
  ];
}

/** Who lodges an objection without signing in: the public. The 公示 records no one for them. */
export const PUBLIC_OBJECTOR: Actor = { accountId: 'public', displayName: '公众', role: 'public' };

export const isPublicObjector = (actor: Actor): boolean => actor.accountId === PUBLIC_OBJECTOR.accountId;

export const isSystemActor = (actor: Actor): boolean => actor.role === 'system' && actor.accountId === SYSTEM_ACTOR.accountId;

/** `budgetMovements` for an event's data: a movement against the case's call, or nothing outside a call (today's events unchanged). */
export function moves(state: Pick<ApplicationState, 'call' | 'committedFen'>, kind: BudgetMovement['kind'], amountFen: Fen): { budgetMovements?: BudgetMovement[] } {
  if (!state.call || amountFen <= 0) return {};
  // Payments and releases move a commitment: a case in a call committed at its approval.
  if (kind !== 'commit' && !state.committedFen) return {};
  // An approval takes one of the call's places (名额): the ledger counts them as it commits (db/budget-ledger.ts).
  return { budgetMovements: [{ callId: state.call.callId, kind, amountFen, ...(kind === 'commit' ? { withinQuota: true as const } : {}) }] };
}

/** How the 公示 names the recipient: a person (an individual creator) masked, anyone else by the name they applied under. */
export function recipientOf(state: ApplicationState): Recipient {
  const name = state.applicant?.displayName ?? '';
  return state.facts.applicantKind === 'individual-creator' ? { kind: 'person', name } : { kind: 'company', name };
}

export function awardForPublicity(state: ApplicationState, amountFen: Fen): AwardForPublicity {
  const t = state.terms!;
  return {
    caseId: state.caseId,
    referenceNo: state.referenceNo,
    callId: state.call?.callId ?? null,
    programme: { id: t.programmeId, name: t.name.zh },
    department: t.department,
    recipient: recipientOf(state),
    amountFen,
  };
}

type BatchDecision = Extract<ApplicationPanelEvent, { type: 'BatchDecisionRecorded' }>;

/** The batch decision a delivery carries: exactly one, for this case's call. */
export function batchDecisionOf(state: ApplicationState, command: Extract<ApplicationCallCommand, { type: 'RecordBatchDecision' }>): BatchDecision {
  const decisions = command.records.filter((r): r is BatchDecision => r.type === 'BatchDecisionRecorded');
  const callId = state.call?.callId;
  // The system delivers batch decisions (a person is refused before this): a malformed one is the system's own fault.
  const malformed = (en: string) => validationError({ code: 'batch-decision-malformed', zh: INTERNAL_CHECK_ZH, en }, [{ field: 'records', message: INTERNAL_CHECK_ZH, code: 'batch-decision-malformed', english: en }]);
  if (decisions.length !== 1) throw malformed(`a batch decision carries exactly one BatchDecisionRecorded; got ${decisions.length}`);
  const unknown = command.records.filter((r) => !['PanelRecusalRecorded', 'PanelReviewRecorded', 'BatchDecisionRecorded'].includes(r.type));
  if (unknown.length > 0) throw malformed(`a batch decision records the panel's events only; got ${unknown.map((r) => r.type).join(', ')}`);
  if (command.callId !== callId || command.records.some((r) => r.data.callId !== callId)) {
    throw illegalState(`案件 ${state.referenceNo} 属于申报批次 ${callId ?? '（无）'}，不属于批次 ${command.callId}。`);
  }
  const decision = decisions[0]!;
  if (decision.data.decision === 'selected' && !(Number.isSafeInteger(decision.data.amountFen) && (decision.data.amountFen ?? 0) > 0)) {
    throw malformed('an application selected in a batch is awarded a positive whole number of fen');
  }
  return decision;
}

/** The same batch delivered again (a retried activity): answered as already recorded. */
export function recordedBatch(state: ApplicationState, command: ApplicationCallCommand): { batchId: string; listId: string; decision: 'selected' | 'not-selected' } | undefined {
  if (command.type !== 'RecordBatchDecision') return undefined;
  const recorded = state.panel?.decision;
  if (!recorded) return undefined;
  const delivered = command.records.find((r): r is BatchDecision => r.type === 'BatchDecisionRecorded');
  if (delivered?.data.listId !== recorded.listId) {
    throw illegalState(`案件 ${state.referenceNo} 已记录批次 ${recorded.listId} 的决定，不能再记录另一批次的决定。`);
  }
  return { batchId: command.batchId, listId: recorded.listId, decision: recorded.decision };
}

/** The 公示 command an objection action is, for domain/publicity's decider; the contact is the vault's reference. */
export function publicityCommandOf(command: Extract<ApplicationCallCommand, { type: 'LodgeObjection' | 'UpholdObjection' | 'DismissObjection' }>): PublicityCommand {
  switch (command.type) {
    case 'LodgeObjection':
      return { type: 'LodgeObjection', reasons: command.reasons, ...(command.contactRef ? { contact: command.contactRef } : {}) };
    case 'UpholdObjection':
      return { type: 'UpholdObjection', objectionId: command.objectionId, answer: command.answer, remedy: command.remedy };
    case 'DismissObjection':
      return { type: 'DismissObjection', objectionId: command.objectionId, answer: command.answer };
  }
}
