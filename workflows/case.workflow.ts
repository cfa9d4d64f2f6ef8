import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  defineQuery,
  defineUpdate,
  log,
  proxyActivities,
  setHandler,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { CaseActivities } from '../activities/case-events.activities.js';
import type { DecisionLetterActivities } from '../activities/decision-letters.activities.js';
import type { CaseInputBase, CaseLookups, CaseModule, CaseStateBase, DecidedEvent, DecisionSupport, LimitOnArrival } from '../cases/case-module.js';
import type { LetterContent } from '../domain/decisions/letter.js';
import { SYSTEM_ACTOR, type Actor } from '../domain/cases/actor.js';
import { ownCaseRefusal } from '../domain/cases/own-case.js';
import type { RecomputeReason } from '../domain/cases/calendar-load.js';
import { DomainError, validationError } from '../domain/errors.js';
import { startTimeLimit, STEP_LIMIT_ON_ARRIVAL_PATCH } from '../domain/time-limits/step-time-limit.js';
import { shanghaiDateOf } from '../domain/time/local-date.js';
import { calendarLoadedSignal } from './calendar.messages.js';
import type { CaseActionRequest, CaseActionResult } from './case.messages.js';
import { hasChange } from './support/changes.js';
import { alreadyDoneFailure, changeOrDeadline, refusalFailure, refuseStaleVersion, searchAttributePublisher, toNewEvents, turnTaking, type LatestChange } from './support/case-workflow.js';

const activityOptions = {
  startToCloseTimeout: '30 seconds',
  // A database outage is waited out for a while; past that the action fails visibly.
  scheduleToCloseTimeout: '30 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
} as const;
const { appendCaseEvents } = proxyActivities<CaseActivities>(activityOptions);
const lookups = proxyActivities<CaseLookups>(activityOptions);
const { issueDecisionLetter } = proxyActivities<DecisionLetterActivities>(activityOptions);

/**
 * Since issue 13: a decision (approval, rejection, withdrawal) is recorded with its written decision
 * letter, rendered and stored by an activity, its PDF's hash in the decision's event. Histories
 * before it recorded decisions without letters.
 */
export const DECISION_LETTERS_PATCH = 'decision-letters';

/**
 * Since issue 11: a long case (36 months of repayments or rent, many 补正 rounds) continues as a new
 * run, carrying its state, once its history passes a set length. Histories before it never did.
 */
export const CONTINUE_AS_NEW_PATCH = 'continue-as-new-when-long';
/**
 * Since 2026-12-04: a loaded year also counts again what was counted through it on the arrangement
 * the load corrects, not only what was provisional (domain/time/recount.ts). Histories before it
 * counted provisional dates only, and replay so.
 */
export const RECOUNT_CORRECTIONS_PATCH = 'recount-calendar-corrections';

/** History events after which a case continues as new; Temporal warns far later (10,240), so there is room for a long wait. */
export const DEFAULT_HISTORY_LIMIT = 2_000;

/** What every case workflow takes: its module's input, and where a run continued as new, the state it carried. */
export type CaseWorkflowInput<I, S> = I & {
  /** Set by continue-as-new: the state the previous run reached (its submission is not repeated). */
  continued?: { state: S };
  /** History length past which the case continues as new (tests set it low). */
  historyLimit?: number;
};

/** A refusal by the rules becomes a failed update (or workflow) with the rule's message, never a stuck task. */
function refusing<T>(module: CaseModule, decide: () => T): T {
  try {
    return decide();
  } catch (error) {
    throw asFailure(module, error);
  }
}

function asFailure(module: CaseModule, error: unknown): unknown {
  if (!(error instanceof DomainError)) return error;
  return refusalFailure(error, module.refusalDetails?.(error));
}

/**
 * The one case workflow: runs any case type's module (cases/). It opens the case, then takes one
 * change at a time — a person's action (a validated update), a calendar year loaded (a signal), a
 * time threshold passed (a timer) — decides it with the module's decider and records the events
 * through the append activity, until the case is closed.
 */
export function caseWorkflow<S extends CaseStateBase, E extends DecidedEvent, C extends { type: string }, I extends CaseInputBase>(module: CaseModule<S, E, C, I>) {
  const anyModule = module as unknown as CaseModule;
  const run = async function (input: CaseWorkflowInput<I, S>): Promise<{ status: string; version: number }> {
    let state: S = input.continued?.state ?? module.initialState();
    /** Who recorded the latest change in this run (a stale action is told); unknown after a continue-as-new. */
    let latestChange: LatestChange | undefined;
    let refusal: unknown;

    const exclusively = turnTaking();
    const publishSearchAttributes = searchAttributePublisher();
    const support: DecisionSupport = { lookups, caseId: input.caseId, now: () => Date.now(), uuid: uuid4, patched: hasChange };

    /**
     * The letters a decision's events are due (undefined where none is), or undefined when none is
     * due at all or the history was recorded before letters. Synchronous on purpose: an await here
     * when nothing is due would let the main loop's timer be scheduled before the append, and
     * histories recorded before letters would no longer replay.
     */
    function lettersDue(events: E[]): (LetterContent | undefined)[] | undefined {
      const letterOf = module.decisionLetter;
      if (!letterOf) return undefined;
      const after = events.reduce(module.evolve, state);
      const letters = events.map((event, i) => letterOf(event, after, state.version + i + 1, { patched: hasChange }));
      // The marker only where a letter is due, so a case that decides nothing keeps the history it always had.
      return letters.some((letter) => letter !== undefined) && hasChange(DECISION_LETTERS_PATCH) ? letters : undefined;
    }

    /** Each letter rendered and stored, its number and hash stamped into its event: the hash chain holds the PDF's hash. */
    async function withLetters(events: E[], letters: (LetterContent | undefined)[]): Promise<E[]> {
      const stamped: E[] = [];
      for (const [i, event] of events.entries()) {
        const content = letters[i];
        if (!content) {
          stamped.push(event);
          continue;
        }
        const letter = await issueDecisionLetter({ caseId: input.caseId, letterId: uuid4(), content });
        stamped.push({ ...event, data: { ...(event.data as Record<string, unknown>), letter } });
      }
      return stamped;
    }

    /**
     * The time limit of the step the decided events bring the case to, where the module promises one
     * on arrival and none runs yet. Synchronous, like `lettersDue`: nothing is awaited unless one is due.
     */
    function limitDueOnArrival(events: E[]): LimitOnArrival | undefined {
      const due = module.limitOnArrival?.(events.reduce(module.evolve, state), Date.now());
      return due && hasChange(STEP_LIMIT_ON_ARRIVAL_PATCH) ? due : undefined;
    }

    /** The limit counted by the look-up (its answer is in history), as the event that starts it. */
    async function limitStarted(due: LimitOnArrival): Promise<E> {
      const counted = await lookups.computeWorkingDayWindow({ startedOn: due.startedOn ?? shanghaiDateOf(Date.now()), workingDays: due.workingDays });
      return startTimeLimit(due.step, counted, Date.now()) as unknown as E;
    }

    /** Records a decision (an action's, a timer's, the opening's) with the letters it is due and the limit of the step it reaches, in one append. */
    async function record(decided: E[], actor: Actor, causationId: string): Promise<void> {
      if (decided.length === 0) return;
      const letters = lettersDue(decided);
      const stamped = letters ? await withLetters(decided, letters) : decided;
      const arrival = limitDueOnArrival(stamped);
      const events = arrival ? [...stamped, await limitStarted(arrival)] : stamped;
      try {
        await appendCaseEvents({
          streamId: input.caseId,
          streamType: module.streamTypeOf(input),
          expectedVersion: state.version,
          events: toNewEvents(events, { caseId: input.caseId, actor, causationId }),
        });
      } catch (error) {
        // A read model refused the events in the appending transaction (another award on the item landed first): say so.
        if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.type === 'conflict') throw error.cause;
        throw error;
      }
      state = events.reduce(module.evolve, state);
      latestChange = { by: actor, at: Date.now() };
      publishSearchAttributes(module.searchView(state, input));
      if (module.afterRecorded) await module.afterRecorded(events, state, support);
    }

    function result(events: E[]): CaseActionResult {
      return { caseId: input.caseId, version: state.version, status: state.status, events: events.map((e) => e.type) };
    }

    /** A retried request that repeats what is already recorded; one that conflicts with it is refused by the checks. */
    function repeatsRecorded(command: C): boolean {
      try {
        return module.repeatOf?.(state, command) !== undefined;
      } catch {
        return false;
      }
    }

    /** In the validator (`inHandler` false) the rules of now; in the handler, as the history recorded them. */
    function checkRequest(request: CaseActionRequest<C>, legacy = false, inHandler = false): void {
      // Refused before it reaches history, so a history recorded before the rule replays as it ran; who applied never changes after.
      const ownCase = inHandler ? undefined : ownCaseRefusal(request.actor, state.applicant?.accountId, module);
      if (ownCase) throw asFailure(anyModule, ownCase.error);
      let stepRefusal: unknown;
      try {
        module.check(state, request.action, { actor: request.actor, now: Date.now(), legacy, ...(inHandler ? { patched: hasChange } : {}) });
      } catch (error) {
        stepRefusal = error;
      }
      // The same person's same request once more, after theirs moved the case on (a double click, a
      // second tab): done, whatever version the page had — not refused by the step, nor sent back to
      // refresh. Only the same request, as it says: another repayment under its own reference, refused
      // because the first settled the loan, was not done already.
      const latest = latestChange;
      if (
        stepRefusal instanceof DomainError &&
        stepRefusal.wording.code === 'not-at-this-step' &&
        latest?.action !== undefined &&
        latest.by.accountId === request.actor.accountId &&
        JSON.stringify(latest.action.command) === JSON.stringify(request.action)
      ) {
        throw alreadyDoneFailure(module.describe(state), { ...latest, action: latest.action });
      }
      // A retry after a lost answer carries the version it saw before the first was recorded: answer it, do not call it stale.
      if (legacy || !repeatsRecorded(request.action)) refuseStaleVersion(module.describe(state), state.version, request.expectedVersion, latestChange, request.actor);
      if (stepRefusal !== undefined) throw asFailure(anyModule, stepRefusal);
    }

    async function handleAction(request: CaseActionRequest<C>): Promise<CaseActionResult> {
      return exclusively(async () => {
        const { action, actor } = request;
        const declared = module.actions.find((a) => a.type === action.type)!;
        const legacy = declared.legacyBeforePatch !== undefined && !hasChange(declared.legacyBeforePatch);
        // Re-checked here: another action or a timer may have changed the case after the validator ran
        // (30 copies of one payment all pass their validators before the first is recorded).
        checkRequest(request, legacy, true);
        const repeated = legacy ? undefined : module.repeatOf?.(state, action);
        if (repeated) return { ...result([]), recorded: repeated, alreadyRecorded: true };
        let prepared: Record<string, unknown> = {};
        try {
          prepared = module.prepare ? await module.prepare(action, state, support) : {};
        } catch (error) {
          throw asFailure(anyModule, error);
        }
        const events = refusing(anyModule, () => module.decide(action, state, { actor, now: Date.now(), legacy, prepared, patched: hasChange }));
        await record(events, actor, request.requestId);
        if (events.length > 0 && latestChange) latestChange = { ...latestChange, action: { type: action.type, label: declared.label, command: action } };
        const recorded = legacy ? undefined : module.repeatOf?.(state, action);
        return recorded ? { ...result(events), recorded, alreadyRecorded: false } : result(events);
      });
    }

    for (const declared of module.actions) {
      const update = defineUpdate<CaseActionResult, [CaseActionRequest<C>]>(declared.update);
      const validator = (request: CaseActionRequest<C>) => {
        if (request.action?.type !== declared.type) {
          throw refusalFailure(
            validationError({ code: 'update-action-mismatch', zh: '请求有误：所办理的操作与提交的内容不一致。', en: `update ${declared.update} carries ${declared.type}, not ${request.action?.type}`, params: { update: declared.update, action: request.action?.type ?? null } }),
          );
        }
        checkRequest(request);
      };
      setHandler(update, handleAction, { validator });
    }
    setHandler(defineQuery<S>(module.stateQuery), () => state);
    setHandler(defineUpdate<CaseActionResult>('submissionRecorded'), async () => {
      await condition(() => state.version >= 1 || refusal !== undefined);
      if (refusal) throw refusal;
      return result([]);
    });
    setHandler(calendarLoadedSignal, async (reason: RecomputeReason) => {
      const calendar = module.calendar;
      if (!calendar) return;
      if (calendar.sincePatch && !hasChange(calendar.sincePatch)) return;
      await exclusively(async () => {
        try {
          // The calendar is read by the module's look-ups (activities); their answers land in history.
          const events = await calendar.recompute(state, reason, support, hasChange(RECOUNT_CORRECTIONS_PATCH));
          await record(events, SYSTEM_ACTOR, `calendar-${reason.calendarYear}:${reason.revision}`);
        } catch (error) {
          // A signal cannot answer back; failing here would fail the case. What was provisional stays provisional.
          log.warn('a date could not be counted again; it stays as it was', { error: String(error), calendarYear: reason.calendarYear, caseType: module.caseType });
        }
      });
    });

    if (!input.continued) {
      await exclusively(async () => {
        try {
          const events = await module.open(input, support).catch((error: unknown) => Promise.reject(asFailure(anyModule, error)));
          await record(events, input.openedBy ?? input.applicant, input.requestId);
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
    }

    const historyLimit = input.historyLimit ?? DEFAULT_HISTORY_LIMIT;
    while (!module.isTerminal(state)) {
      if (workflowInfo().historyLength >= historyLimit && hasChange(CONTINUE_AS_NEW_PATCH)) {
        // Every update in flight finishes first; nothing changes between this and the new run.
        await condition(allHandlersFinished);
        const { continued: _previous, ...rest } = input;
        await continueAsNew<typeof run>({ ...(rest as CaseWorkflowInput<I, S>), continued: { state } });
      }
      const wakeAt = module.nextThreshold(state);
      const deadlineCame = await changeOrDeadline(() => state.version, wakeAt);
      if (deadlineCame && wakeAt !== undefined) {
        await exclusively(async () => {
          // Looked up inside the turn, so that no action changes the case between the look-up and the record.
          const lookingUp = module.prepareThreshold?.(state, Date.now(), support);
          const prepared = lookingUp ? await lookingUp : undefined;
          await record(module.onThreshold(state, Date.now(), prepared), SYSTEM_ACTOR, `timer:${new Date(wakeAt).toISOString()}`);
        });
      }
    }

    await condition(allHandlersFinished);
    return { status: state.status, version: state.version };
  };
  // The client starts a workflow function by its name: the workflow type the module keeps.
  Object.defineProperty(run, 'name', { value: module.workflowType });
  return run;
}
