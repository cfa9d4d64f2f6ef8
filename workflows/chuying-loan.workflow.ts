import { allHandlersFinished, ApplicationFailure, condition, log, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import { asFailure, changeOrDeadline, refuseStaleVersion, searchAttributePublisher, toNewEvents, turnTaking } from './support/case-workflow.js';
import type { CaseActivities } from '../activities/case-events.activities.js';
import { SYSTEM_ACTOR, type Actor } from '../domain/cases/actor.js';
import { decideAction, decideSubmission, decideTimeElapsed, ensureActionAllowed, nextTimeThreshold } from '../domain/chuying/decide.js';
import type { ChuyingLoanAction, ChuyingLoanActionType } from '../domain/chuying/commands.js';
import type { ChuyingLoanEvent } from '../domain/chuying/events.js';
import { alreadyRecordedMoney, MoneyAlreadyRecordedError } from '../domain/chuying/money.js';
import { evolveChuyingLoan, initialChuyingLoanState, isTerminal, type ChuyingLoanState } from '../domain/chuying/state.js';
import { decideInstalmentDueDatesRecomputed, provisionalOpenInstalments } from '../domain/chuying/recompute.js';
import type { RecomputeReason } from '../domain/cases/calendar-load.js';
import { calendarLoadedSignal } from './calendar.messages.js';
import {
  actionUpdateFor,
  chuyingLoanActionUpdates,
  chuyingLoanStateQuery,
  submissionRecordedUpdate,
  type CaseActionResult,
  type ChuyingLoanActionRequest,
  type ChuyingLoanWorkflowInput,
} from './chuying-loan.messages.js';

const STREAM_TYPE = 'chuying-loan';
/** The catalogue's programme and its department (domain/programmes/catalogue.ts): 杨浦区 V聚场基金. */
const PROGRAMME_ID = 'chuying-loan';
const DEPARTMENT = 'yangpu-fund';

/** Since issue 3: a loaded calendar year recomputes provisional instalment due dates (histories before it never did). */
export const RECOMPUTE_PROVISIONAL_INSTALMENTS_PATCH = 'recompute-provisional-instalments';

/**
 * Since issue 12: a bank reference records money once (a repeat is answered with the first record),
 * and money dates are bounded by the case's facts. Actions in histories before it decide as then.
 */
export const MONEY_RECORDED_ONCE_PATCH = 'money-recorded-once';
const MONEY_ACTIONS: readonly ChuyingLoanActionType[] = ['RecordDisbursement', 'RecordRepayment'];

const { appendCaseEvents, computeRepaymentSchedule } = proxyActivities<CaseActivities>({
  startToCloseTimeout: '30 seconds',
  // A database outage is waited out for a while; past that the action fails visibly.
  scheduleToCloseTimeout: '30 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** A refusal by the rules as a failed update; a conflicting bank reference carries the first record (409 `alreadyRecorded`). */
function refuse<T>(decide: () => T): T {
  return asFailure(() => {
    try {
      return decide();
    } catch (error) {
      if (!(error instanceof MoneyAlreadyRecordedError)) throw error;
      throw ApplicationFailure.create({ type: error.kind, message: error.message, nonRetryable: true, details: [{ alreadyRecorded: error.first }] });
    }
  });
}

/** The 雏鹰计划 loan case, from submission to the last repayment. */
export async function chuyingLoanWorkflow(input: ChuyingLoanWorkflowInput): Promise<{ status: string; version: number }> {
  let state: ChuyingLoanState = initialChuyingLoanState();

  const exclusively = turnTaking();
  const publishSearchAttributes = searchAttributePublisher();

  async function record(events: ChuyingLoanEvent[], actor: Actor, causationId: string): Promise<void> {
    if (events.length === 0) return;
    await appendCaseEvents({
      streamId: input.caseId,
      streamType: STREAM_TYPE,
      expectedVersion: state.version,
      events: toNewEvents(events, { caseId: input.caseId, actor, causationId }),
    });
    state = events.reduce(evolveChuyingLoan, state);
    publishSearchAttributes({
      caseType: STREAM_TYPE,
      status: state.status,
      referenceNo: state.referenceNo ?? input.referenceNo,
      department: DEPARTMENT,
      programmeId: PROGRAMME_ID,
      nextDeadline: nextTimeThreshold(state),
    });
  }

  function result(events: ChuyingLoanEvent[]): CaseActionResult {
    return { caseId: input.caseId, version: state.version, status: state.status, events: events.map((e) => e.type) };
  }

  /** A retried request repeats money already recorded; a conflicting one is refused below, after who may act. */
  function repeatsRecordedMoney(action: ChuyingLoanAction): boolean {
    try {
      return alreadyRecordedMoney(state, action) !== undefined;
    } catch {
      return false;
    }
  }

  function checkRequest(request: ChuyingLoanActionRequest, legacyMoneyRules = false): void {
    const context = { actor: request.actor, now: Date.now(), legacyMoneyRules };
    // A retry after a lost answer carries the version it saw before the first was recorded: answer it, do not call it stale.
    if (legacyMoneyRules || !repeatsRecordedMoney(request.action)) refuseStaleVersion(`case ${state.referenceNo}`, state.version, request.expectedVersion);
    refuse(() => ensureActionAllowed(state, request.action, context));
  }

  async function handleAction(request: ChuyingLoanActionRequest): Promise<CaseActionResult> {
    return exclusively(async () => {
      const action = request.action;
      const legacyMoneyRules = MONEY_ACTIONS.includes(action.type) && !patched(MONEY_RECORDED_ONCE_PATCH);
      // Re-checked here: another action may have changed the case after the validator ran (30 copies
      // of one payment all pass their validators before the first is recorded).
      checkRequest(request, legacyMoneyRules);
      const repeated = legacyMoneyRules ? undefined : alreadyRecordedMoney(state, action);
      if (repeated) return { ...result([]), recorded: repeated, alreadyRecorded: true };
      const schedule =
        action.type === 'RecordDisbursement'
          ? await computeRepaymentSchedule({
              principalFen: state.approvedAmountFen ?? 0,
              disbursedOn: action.disbursedOn,
              instalmentCount: state.terms!.instalmentCount,
            })
          : undefined;
      const events = refuse(() => decideAction(state, action, { actor: request.actor, now: Date.now(), schedule, legacyMoneyRules }));
      await record(events, request.actor, request.requestId);
      const recorded = legacyMoneyRules ? undefined : alreadyRecordedMoney(state, action);
      return recorded ? { ...result(events), recorded, alreadyRecorded: false } : result(events);
    });
  }

  for (const [actionType, update] of Object.entries(chuyingLoanActionUpdates)) {
    const validator = (request: ChuyingLoanActionRequest) => {
      if (request.action?.type !== actionType) {
        throw ApplicationFailure.create({ type: 'validation', message: `update ${update.name} carries ${actionType}, not ${request.action?.type}`, nonRetryable: true });
      }
      checkRequest(request);
    };
    setHandler(actionUpdateFor(actionType as ChuyingLoanActionType), handleAction, { validator });
  }
  setHandler(chuyingLoanStateQuery, () => state);
  setHandler(calendarLoadedSignal, async (reason: RecomputeReason) => {
    if (!patched(RECOMPUTE_PROVISIONAL_INSTALMENTS_PATCH)) return;
    await exclusively(async () => {
      const disbursement = state.disbursement;
      if (!disbursement || !state.terms || provisionalOpenInstalments(state).length === 0) return;
      try {
        // The calendar is read by the activity; its answer lands in history.
        const schedule = await computeRepaymentSchedule({ principalFen: disbursement.amountFen, disbursedOn: disbursement.disbursedOn, instalmentCount: state.terms.instalmentCount });
        await record(decideInstalmentDueDatesRecomputed(state, schedule, reason, Date.now()), SYSTEM_ACTOR, `calendar-${reason.calendarYear}:${reason.revision}`);
      } catch (error) {
        // A signal cannot answer back; failing here would fail the case. The due dates stay provisional.
        log.warn('instalment due dates could not be recomputed; they stay provisional', { error: String(error), calendarYear: reason.calendarYear });
      }
    });
  });
  setHandler(submissionRecordedUpdate, async () => {
    await condition(() => state.version >= 1);
    return result([]);
  });

  await exclusively(async () => {
    const { caseId, referenceNo, applicant, company, project, requestedAmountFen, terms } = input;
    const events = asFailure(() =>
      decideSubmission(
        { caseId, referenceNo, applicant: { accountId: applicant.accountId, displayName: applicant.displayName }, company, project, requestedAmountFen },
        terms,
        Date.now(),
      ),
    );
    await record(events, applicant, input.requestId);
  });

  while (!isTerminal(state)) {
    const wakeAt = nextTimeThreshold(state);
    const deadlineCame = await changeOrDeadline(() => state.version, wakeAt);
    if (deadlineCame && wakeAt !== undefined) {
      await exclusively(() => record(decideTimeElapsed(state, Date.now()), SYSTEM_ACTOR, `timer:${new Date(wakeAt).toISOString()}`));
    }
  }

  await condition(allHandlersFinished);
  return { status: state.status, version: state.version };
}
