import { allHandlersFinished, ApplicationFailure, condition, proxyActivities, setHandler, uuid4, workflowInfo } from '@temporalio/workflow';
import type { CaseActivities } from '../activities/case-events.activities.js';
import { SYSTEM_ACTOR, type Actor } from '../domain/cases/actor.js';
import { decideAction, decideSubmission, decideTimeElapsed, ensureActionAllowed, nextTimeThreshold } from '../domain/chuying/decide.js';
import type { ChuyingLoanActionType } from '../domain/chuying/commands.js';
import type { ChuyingLoanEvent } from '../domain/chuying/events.js';
import { evolveChuyingLoan, initialChuyingLoanState, isTerminal, type ChuyingLoanState } from '../domain/chuying/state.js';
import { DomainError } from '../domain/errors.js';
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

const { appendCaseEvents, computeRepaymentSchedule } = proxyActivities<CaseActivities>({
  startToCloseTimeout: '30 seconds',
  // A database outage is waited out for a while; past that the action fails visibly.
  scheduleToCloseTimeout: '30 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** The 雏鹰计划 loan case, from submission to the last repayment. */
export async function chuyingLoanWorkflow(input: ChuyingLoanWorkflowInput): Promise<{ status: string; version: number }> {
  let state: ChuyingLoanState = initialChuyingLoanState();
  // One change at a time: updates and timers each decide against the state the previous one left.
  let busy = false;

  async function exclusively<T>(work: () => Promise<T>): Promise<T> {
    await condition(() => !busy);
    busy = true;
    try {
      return await work();
    } finally {
      busy = false;
    }
  }

  async function record(events: ChuyingLoanEvent[], actor: Actor, causationId: string): Promise<void> {
    if (events.length === 0) return;
    const { workflowId, runId } = workflowInfo();
    await appendCaseEvents({
      streamId: input.caseId,
      streamType: STREAM_TYPE,
      expectedVersion: state.version,
      events: events.map((event) => ({
        eventId: uuid4(),
        type: event.type,
        data: event.data as unknown as Record<string, unknown>,
        metadata: { actor, correlationId: input.caseId, causationId, workflowId, runId },
      })),
    });
    state = events.reduce(evolveChuyingLoan, state);
  }

  function result(events: ChuyingLoanEvent[]): CaseActionResult {
    return { caseId: input.caseId, version: state.version, status: state.status, events: events.map((e) => e.type) };
  }

  function checkRequest(request: ChuyingLoanActionRequest): void {
    if (request.expectedVersion !== undefined && request.expectedVersion !== state.version) {
      throw ApplicationFailure.create({
        type: 'concurrency',
        message: `case ${state.referenceNo} has changed: it is at version ${state.version}, not ${request.expectedVersion}`,
        nonRetryable: true,
        details: [{ currentVersion: state.version }],
      });
    }
    asFailure(() => ensureActionAllowed(state, request.action, request.actor));
  }

  async function handleAction(request: ChuyingLoanActionRequest): Promise<CaseActionResult> {
    return exclusively(async () => {
      // Re-checked here: another action may have changed the case after the validator ran.
      checkRequest(request);
      const action = request.action;
      const schedule =
        action.type === 'RecordDisbursement'
          ? await computeRepaymentSchedule({
              principalFen: state.approvedAmountFen ?? 0,
              disbursedOn: action.disbursedOn,
              instalmentCount: state.terms!.instalmentCount,
            })
          : undefined;
      const events = asFailure(() => decideAction(state, action, { actor: request.actor, now: Date.now(), schedule }));
      await record(events, request.actor, request.requestId);
      return result(events);
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
    const seen = state.version;
    if (wakeAt === undefined) {
      await condition(() => state.version !== seen);
    } else {
      await condition(() => state.version !== seen, Math.max(wakeAt - Date.now(), 1));
    }
    if (wakeAt !== undefined && Date.now() >= wakeAt) {
      await exclusively(() => record(decideTimeElapsed(state, Date.now()), SYSTEM_ACTOR, `timer:${new Date(wakeAt).toISOString()}`));
    }
  }

  await condition(allHandlersFinished);
  return { status: state.status, version: state.version };
}

/** A refusal by the rules becomes a failed update (or workflow) with the rule's message, never a stuck task. */
function asFailure<T>(decide: () => T): T {
  try {
    return decide();
  } catch (error) {
    if (error instanceof DomainError) {
      throw ApplicationFailure.create({ type: error.kind, message: error.message, nonRetryable: true, details: [error.issues] });
    }
    throw error;
  }
}
