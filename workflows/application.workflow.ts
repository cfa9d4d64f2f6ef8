import { ActivityFailure, allHandlersFinished, ApplicationFailure, condition, defineUpdate, log, patched, proxyActivities, setHandler, uuid4 } from '@temporalio/workflow';
import { asFailure, changeOrDeadline, refuseStaleVersion, searchAttributePublisher, toNewEvents, turnTaking } from './support/case-workflow.js';
import type { ApplicationActivities } from '../activities/applications.activities.js';
import type { CaseActivities } from '../activities/case-events.activities.js';
import type { ApplicationActionType } from '../domain/applications/commands.js';
import {
  awardCheckFacts,
  decideApplicationAction,
  decideApplicationSubmission,
  decideApplicationTimeElapsed,
  decideCompletenessRecomputed,
  ensureApplicationActionAllowed,
  nextApplicationTimeThreshold,
} from '../domain/applications/decide.js';
import type { ApplicationEvent } from '../domain/applications/events.js';
import { evolveApplication, initialApplicationState, isApplicationTerminal, type ApplicationState } from '../domain/applications/state.js';
import { SYSTEM_ACTOR, type Actor } from '../domain/cases/actor.js';
import type { RecomputeReason } from '../domain/cases/calendar-load.js';
import { shanghaiDateOf } from '../domain/time/local-date.js';
import {
  applicationActionUpdates,
  applicationStateQuery,
  applicationSubmissionRecordedUpdate,
  applicationUpdateFor,
  LOAN_ONLY_UPDATES,
  type ApplicationActionRequest,
  type ApplicationWorkflowInput,
  type CaseActionResult,
} from './application.messages.js';
import { calendarLoadedSignal } from './calendar.messages.js';

const STREAM_TYPE = 'application';

/** Since issue 12: the day of leaving 杨浦 is not before the subsidy started. Reports in histories before it decide as then. */
export const LEFT_YANGPU_DATE_BOUNDED_PATCH = 'left-yangpu-date-bounded';

const activityOptions = {
  startToCloseTimeout: '30 seconds',
  // A database outage is waited out for a while; past that the action fails visibly.
  scheduleToCloseTimeout: '30 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
} as const;
const { appendCaseEvents } = proxyActivities<CaseActivities>(activityOptions);
const { assessApplication, computeWorkingDayWindow } = proxyActivities<ApplicationActivities>(activityOptions);

/**
 * A programme application (an award or a service of the catalogue), from submission through the
 * completeness check with 补正, the 网信 content review where the programme requires it, scored
 * review and a four-eyes decision, to the award and its payouts in the programme's shape.
 */
export async function applicationWorkflow(input: ApplicationWorkflowInput): Promise<{ status: string; version: number }> {
  let state: ApplicationState = initialApplicationState();
  let refusal: ApplicationFailure | undefined;

  const exclusively = turnTaking();
  const publishSearchAttributes = searchAttributePublisher();

  async function record(events: ApplicationEvent[], actor: Actor, causationId: string): Promise<void> {
    if (events.length === 0) return;
    try {
      await appendCaseEvents({
        streamId: input.caseId,
        streamType: STREAM_TYPE,
        expectedVersion: state.version,
        events: toNewEvents(events, { caseId: input.caseId, actor, causationId }),
      });
    } catch (error) {
      // The ledger refused the award in the appending transaction (another award on the item landed first): say so.
      if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.type === 'conflict') throw error.cause;
      throw error;
    }
    state = events.reduce(evolveApplication, state);
    publishSearchAttributes({
      caseType: STREAM_TYPE,
      status: state.status,
      referenceNo: state.referenceNo ?? input.referenceNo,
      department: input.terms.department,
      programmeId: input.terms.programmeId,
      nextDeadline: nextApplicationTimeThreshold(state),
    });
  }

  function result(events: ApplicationEvent[]): CaseActionResult {
    return { caseId: input.caseId, version: state.version, status: state.status, events: events.map((e) => e.type) };
  }

  function checkRequest(request: ApplicationActionRequest, legacyDateBounds = false): void {
    refuseStaleVersion(`case ${state.referenceNo}`, state.version, request.expectedVersion);
    asFailure(() => ensureApplicationActionAllowed(state, request.action, request.actor, Date.now(), legacyDateBounds));
  }

  async function handleAction(request: ApplicationActionRequest): Promise<CaseActionResult> {
    return exclusively(async () => {
      const legacyDateBounds = request.action.type === 'ReportLeftYangpu' && !patched(LEFT_YANGPU_DATE_BOUNDED_PATCH);
      // Re-checked here: another action or a timer may have changed the case after the validator ran.
      checkRequest(request, legacyDateBounds);
      const { action, actor } = request;
      const now = Date.now();
      const completeness =
        action.type === 'ProvideSupplement' ? await computeWorkingDayWindow({ startedOn: shanghaiDateOf(now), workingDays: state.terms!.completenessWorkingDays }) : undefined;
      // The award step: the rules again, against the ledger as it is now (another award may have landed).
      const awardCheck =
        action.type === 'ApproveApplication'
          ? await assessApplication({
              caseId: input.caseId,
              catalogueVersion: state.terms!.catalogueVersion,
              programmeId: state.terms!.programmeId,
              applicantAccountId: state.applicant!.accountId,
              facts: asFailure(() => awardCheckFacts(state, action, now)),
              on: shanghaiDateOf(now),
            })
          : undefined;
      const events = asFailure(() =>
        decideApplicationAction(state, action, {
          actor,
          now: Date.now(),
          completeness,
          awardCheck,
          awardId: action.type === 'ApproveApplication' ? `AW-${uuid4()}` : undefined,
          legacyDateBounds,
        }),
      );
      await record(events, actor, request.requestId);
      return result(events);
    });
  }

  for (const [actionType, update] of Object.entries(applicationActionUpdates)) {
    const validator = (request: ApplicationActionRequest) => {
      if (request.action?.type !== actionType) {
        throw ApplicationFailure.create({ type: 'validation', message: `update ${update.name} carries ${actionType}, not ${request.action?.type}`, nonRetryable: true });
      }
      checkRequest(request);
    };
    setHandler(applicationUpdateFor(actionType as ApplicationActionType), handleAction, { validator });
  }
  // The loan's own actions share the URL space: refused by name, before anything reaches history.
  for (const [name, instead] of Object.entries(LOAN_ONLY_UPDATES)) {
    const refused = defineUpdate<CaseActionResult, [unknown]>(name);
    setHandler(refused, (_request: unknown) => Promise.reject(new Error('unreachable: the validator refuses')), {
      validator: (_request: unknown) => {
        throw ApplicationFailure.create({
          type: 'illegal-state',
          message: `${name} is an action of 雏鹰 loans; case ${state.referenceNo} is an application under ${state.terms?.name.zh ?? input.terms.name.zh}${instead ? `: use ${instead}` : ''}`,
          nonRetryable: true,
        });
      },
    });
  }
  setHandler(applicationStateQuery, () => state);
  setHandler(applicationSubmissionRecordedUpdate, async () => {
    await condition(() => state.version >= 1 || refusal !== undefined);
    if (refusal) throw refusal;
    return result([]);
  });
  setHandler(calendarLoadedSignal, async (reason: RecomputeReason) => {
    await exclusively(async () => {
      const window = state.completeness;
      if (state.status !== 'completeness-check' || !window?.provisional) return;
      try {
        // The calendar is read by the activity; its answer lands in history.
        const recomputed = await computeWorkingDayWindow({ startedOn: window.startedOn, workingDays: window.workingDays });
        await record(decideCompletenessRecomputed(state, recomputed, reason, Date.now()), SYSTEM_ACTOR, `calendar-${reason.calendarYear}:${reason.revision}`);
      } catch (error) {
        // A signal cannot answer back; failing here would fail the case. The window stays provisional.
        log.warn('the completeness window could not be recomputed; it stays provisional', { error: String(error), calendarYear: reason.calendarYear });
      }
    });
  });

  await exclusively(async () => {
    const { caseId, referenceNo, applicant, terms, facts, details } = input;
    const now = Date.now();
    const submittedOn = shanghaiDateOf(now);
    // Stacking against the whole ledger and the stays already taken: computed by the activity, so the answer is in history.
    const assessment = await assessApplication({ caseId, catalogueVersion: terms.catalogueVersion, programmeId: terms.programmeId, applicantAccountId: applicant.accountId, facts, on: submittedOn });
    try {
      const completeness = assessment.eligible ? await computeWorkingDayWindow({ startedOn: submittedOn, workingDays: terms.completenessWorkingDays }) : undefined;
      const events = asFailure(() =>
        decideApplicationSubmission(
          { caseId, referenceNo, applicant: { accountId: applicant.accountId, displayName: applicant.displayName }, terms, details },
          assessment,
          completeness!,
          now,
        ),
      );
      await record(events, applicant, input.requestId);
    } catch (error) {
      if (!(error instanceof ApplicationFailure)) throw error;
      refusal = error;
    }
  });

  if (refusal) {
    // Nothing was recorded: the case never opened. The waiting API call answers with the refusal.
    await condition(allHandlersFinished);
    throw refusal;
  }

  while (!isApplicationTerminal(state)) {
    const wakeAt = nextApplicationTimeThreshold(state);
    const deadlineCame = await changeOrDeadline(() => state.version, wakeAt);
    if (deadlineCame && wakeAt !== undefined) {
      await exclusively(() => record(decideApplicationTimeElapsed(state, Date.now()), SYSTEM_ACTOR, `timer:${new Date(wakeAt).toISOString()}`));
    }
  }

  await condition(allHandlersFinished);
  return { status: state.status, version: state.version };
}
