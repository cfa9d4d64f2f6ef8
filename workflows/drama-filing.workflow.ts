import { allHandlersFinished, ApplicationFailure, condition, log, proxyActivities, setHandler } from '@temporalio/workflow';
import { asFailure, changeOrDeadline, refuseStaleVersion, searchAttributePublisher, toNewEvents, turnTaking } from './support/case-workflow.js';
import type { CalendarActivities } from '../activities/calendar.activities.js';
import type { CaseActivities } from '../activities/case-events.activities.js';
import { SYSTEM_ACTOR, type Actor } from '../domain/cases/actor.js';
import type { RecomputeReason } from '../domain/cases/calendar-load.js';
import type { DramaFilingActionType } from '../domain/drama-filing/commands.js';
import {
  decideDeadlineRecomputed,
  decideFilingAction,
  decideFilingSubmission,
  decideFilingTimeElapsed,
  ensureFilingActionAllowed,
  nextFilingThreshold,
} from '../domain/drama-filing/decide.js';
import type { DramaFilingEvent, ReviewDeadline } from '../domain/drama-filing/events.js';
import { currentRound, evolveDramaFiling, initialDramaFilingState, isClockRunning, isFilingTerminal, type DramaFilingState } from '../domain/drama-filing/state.js';
import { shanghaiDateOf } from '../domain/time/local-date.js';
import { calendarLoadedSignal } from './calendar.messages.js';
import {
  dramaFilingActionUpdates,
  dramaFilingStateQuery,
  filingActionUpdateFor,
  filingSubmissionRecordedUpdate,
  type CaseActionResult,
  type DramaFilingActionRequest,
  type DramaFilingWorkflowInput,
} from './drama-filing.messages.js';

const activityOptions = {
  startToCloseTimeout: '30 seconds',
  // A database outage is waited out for a while; past that the action fails visibly.
  scheduleToCloseTimeout: '30 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
} as const;
const { appendCaseEvents } = proxyActivities<CaseActivities>(activityOptions);
const { computeReviewDeadline } = proxyActivities<CalendarActivities>(activityOptions);

/**
 * A micro-drama filing (规划备案 or 完成片上线备案), from submission to approval or rejection.
 * Its review deadline is computed by an activity (the calendar is never read here), reminded at
 * the start of the last working day, and breached and escalated at 24:00 that day.
 */
export async function dramaFilingWorkflow(input: DramaFilingWorkflowInput): Promise<{ status: string; version: number }> {
  let state: DramaFilingState = initialDramaFilingState();

  const exclusively = turnTaking();
  const publishSearchAttributes = searchAttributePublisher();

  async function record(events: DramaFilingEvent[], actor: Actor, causationId: string): Promise<void> {
    if (events.length === 0) return;
    await appendCaseEvents({
      streamId: input.caseId,
      streamType: input.filingType,
      expectedVersion: state.version,
      events: toNewEvents(events, { caseId: input.caseId, actor, causationId }),
    });
    state = events.reduce(evolveDramaFiling, state);
    // A filing belongs to no funding programme: its type is the case type, and no ProgrammeId is set.
    publishSearchAttributes({
      caseType: input.filingType,
      status: state.status,
      referenceNo: state.referenceNo ?? input.referenceNo,
      department: input.terms.reviewingDepartment,
      nextDeadline: nextFilingThreshold(state),
    });
  }

  function result(events: DramaFilingEvent[]): CaseActionResult {
    return { caseId: input.caseId, version: state.version, status: state.status, events: events.map((e) => e.type) };
  }

  function checkRequest(request: DramaFilingActionRequest): void {
    refuseStaleVersion(`filing ${state.referenceNo}`, state.version, request.expectedVersion);
    asFailure(() => ensureFilingActionAllowed(state, request.action, request.actor));
  }

  /** A new review clock from the day of `now`, computed by the calendar activity. */
  function deadlineFrom(now: number): Promise<ReviewDeadline> {
    return computeReviewDeadline({ startedOn: shanghaiDateOf(now), workingDays: input.terms.reviewWorkingDays });
  }

  async function handleAction(request: DramaFilingActionRequest): Promise<CaseActionResult> {
    return exclusively(async () => {
      // Re-checked here: another action or a timer may have changed the case after the validator ran.
      checkRequest(request);
      const now = Date.now();
      const deadline = request.action.type === 'ResubmitFiling' ? await deadlineFrom(now) : undefined;
      const events = asFailure(() => decideFilingAction(state, request.action, { actor: request.actor, now, deadline }));
      await record(events, request.actor, request.requestId);
      return result(events);
    });
  }

  for (const [actionType, update] of Object.entries(dramaFilingActionUpdates)) {
    const validator = (request: DramaFilingActionRequest) => {
      if (request.action?.type !== actionType) {
        throw ApplicationFailure.create({ type: 'validation', message: `update ${update.name} carries ${actionType}, not ${request.action?.type}`, nonRetryable: true });
      }
      checkRequest(request);
    };
    setHandler(filingActionUpdateFor(actionType as DramaFilingActionType), handleAction, { validator });
  }
  setHandler(dramaFilingStateQuery, () => state);
  setHandler(filingSubmissionRecordedUpdate, async () => {
    await condition(() => state.version >= 1);
    return result([]);
  });
  setHandler(calendarLoadedSignal, async (reason: RecomputeReason) => {
    await exclusively(async () => {
      const round = currentRound(state);
      if (!round || !isClockRunning(state) || !round.deadline.provisional) return;
      try {
        const recomputed = await computeReviewDeadline({ startedOn: round.deadline.startedOn, workingDays: round.deadline.workingDays });
        await record(decideDeadlineRecomputed(state, recomputed, reason, Date.now()), SYSTEM_ACTOR, `calendar-${reason.calendarYear}:${reason.revision}`);
      } catch (error) {
        // A signal cannot answer back; failing here would fail the case. The deadline stays provisional.
        log.warn('the review deadline could not be recomputed; it stays provisional', { error: String(error), calendarYear: reason.calendarYear });
      }
    });
  });

  await exclusively(async () => {
    const now = Date.now();
    const { caseId, referenceNo, filingType, applicant, submission, terms } = input;
    const deadline = await deadlineFrom(now);
    const events = asFailure(() =>
      decideFilingSubmission({ caseId, referenceNo, filingType, applicant: { accountId: applicant.accountId, displayName: applicant.displayName }, submission }, terms, now, deadline),
    );
    await record(events, applicant, input.requestId);
  });

  while (!isFilingTerminal(state)) {
    const wakeAt = nextFilingThreshold(state);
    const deadlineCame = await changeOrDeadline(() => state.version, wakeAt);
    if (deadlineCame && wakeAt !== undefined) {
      await exclusively(() => record(decideFilingTimeElapsed(state, Date.now()), SYSTEM_ACTOR, `timer:${new Date(wakeAt).toISOString()}`));
    }
  }

  await condition(allHandlersFinished);
  return { status: state.status, version: state.version };
}
