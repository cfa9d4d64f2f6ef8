import {
  breachThreshold,
  DEFAULT_STEP_TIME_LIMITS,
  decideBreach,
  evolveTimeLimit,
  type StepTimeLimit,
  type TimeLimitEvent,
} from '../time-limits/step-time-limit.js';
import { closedWithNothingToReview, type CallState } from './state.js';

/**
 * The promised time limits (承诺时限) of a call's own steps, as every other case type has them on
 * its official steps (domain/time-limits/): the second official's approval of the budget, and,
 * once a competitive call has closed, its panel's review up to the director's batch decision. The
 * limit starts when the call reaches the step (the driver's `limitOnArrival`); when it passes with
 * the step not done, the breach is recorded and escalated to the department's supervising official.
 */

/** Working days for a second official to approve (or send back) a call's budget. */
export const BUDGET_APPROVAL_WORKING_DAYS = 5;

/** The call's steps that carry a limit, by the key the limit records as its `step`. */
export type CallLimitedStep = 'draft' | 'panel-review';

export const CALL_STEP_LIMITS: Readonly<Record<CallLimitedStep, { stepLabel: string; workingDays: number }>> = {
  draft: { stepLabel: '预算审批', workingDays: BUDGET_APPROVAL_WORKING_DAYS },
  // The applications' Art. 42 decision limit, counted from the close: the whole panel's work and the batch decision.
  'panel-review': { stepLabel: '评审及批量审批', workingDays: DEFAULT_STEP_TIME_LIMITS.decisionWorkingDays },
};

/** The limited step the call is at: its budget awaiting approval, or a closed competitive call awaiting its batch decision. */
export function callStepOf(state: CallState): CallLimitedStep | undefined {
  if (state.status === 'draft') return 'draft';
  if ((state.status === 'closed' || state.status === 'ended') && state.mode === 'competitive' && state.panel.status !== 'approved' && !closedWithNothingToReview(state)) return 'panel-review';
  return undefined;
}

/** The limit of the step the call is at now; a limit of a step it has left is over. */
export function runningCallLimit(state: CallState): StepTimeLimit | undefined {
  const step = callStepOf(state);
  return step && state.timeLimit?.step === step ? state.timeLimit : undefined;
}

/** The limit the step just reached starts with, when none runs there yet. */
export function callLimitOnArrival(state: CallState) {
  const step = callStepOf(state);
  if (!step || !state.department || runningCallLimit(state)) return undefined;
  const { stepLabel, workingDays } = CALL_STEP_LIMITS[step];
  return { step: { step, stepLabel, department: state.department }, workingDays };
}

/** The call after one of its limit's events. */
export function evolveCallLimit(state: CallState, event: TimeLimitEvent): CallState {
  return { ...state, timeLimit: evolveTimeLimit(state.timeLimit, event) };
}

/** The instant the running limit is breached, unless it already was. */
export const callBreachThreshold = (state: CallState): number | undefined => breachThreshold(runningCallLimit(state));

/** Once the running limit has passed: the breach and the escalation. */
export const decideCallBreach = (state: CallState, now: number): TimeLimitEvent[] => decideBreach(runningCallLimit(state), now);
