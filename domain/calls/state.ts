import type { Department } from '../cases/actor.js';
import type { Fen } from '../money/fen.js';
import { isPanelEvent } from '../panels/events.js';
import { evolvePanel, initialPanelState, type PanelState } from '../panels/state.js';
import { evolveTimeLimit, isTimeLimitEvent, type StepTimeLimit } from '../time-limits/step-time-limit.js';
import type { ActorRef, CallEvent, CallMode } from './events.js';

/**
 * draft: the budget awaits a second official's approval (on opening, and again after a budget change);
 * approved: the budget is approved and the call takes applications between its open and close instants;
 * closed: closed early by the office, with a reason; ended: its close instant passed.
 */
export type CallStatus = 'not-opened' | 'draft' | 'approved' | 'closed' | 'ended';

export const CALL_STATUS_LABELS: Record<CallStatus, string> = {
  'not-opened': '未设立',
  draft: '预算待审批',
  approved: '预算已批准',
  closed: '已提前截止',
  ended: '申报期已结束',
};

export interface CallState {
  status: CallStatus;
  version: number;
  callId?: string;
  referenceNo?: string;
  /** The official who opened the call: whose case it is in the read model. */
  applicant?: ActorRef;
  programmeId?: string;
  programmeName?: string;
  department?: Department;
  catalogueVersion?: string;
  title: string;
  opensAt?: string;
  closesAt?: string;
  budgetFen: Fen;
  quota: number | null;
  mode?: CallMode;
  publicityWorkingDays?: number;
  openedBy?: ActorRef;
  openedAt?: string;
  /** Who set the call as it now stands (opened it, or changed it last): never the one who approves its budget. */
  lastChangedBy?: ActorRef;
  /**
   * Who opened or changed the call since its budget was last approved, first to last (absent when
   * nobody has): none of them approves it. The last to change it was not enough: an official who
   * raised the quota approved it themself once a colleague had changed the title after them.
   */
  changedSinceApprovalBy?: ActorRef[];
  budgetApproved: boolean;
  budgetApproval?: { budgetFen: Fen; by: ActorRef; approvedAt: string };
  closed?: { by: ActorRef; reason: string; closedAt: string; beforeOpening?: true; noApplications?: true };
  endedAt?: string;
  /** Ended at its planned close with no application open (competitive calls, since CALL_ENDED_EMPTY_ENDS_PATCH). */
  endedWithNoApplications?: true;
  /** The panel of a competitive call (评审组): named, scoring, its list, the batch decision. */
  panel: PanelState;
  /** The promised limit of the step the call reached last (its budget approval, its panel's review): domain/calls/time-limits.ts. */
  timeLimit?: StepTimeLimit;
}

export const initialCallState = (): CallState => ({ status: 'not-opened', version: 0, title: '', budgetFen: 0, quota: null, budgetApproved: false, panel: initialPanelState() });

export const CALL_TERMINAL_STATUSES: readonly CallStatus[] = ['closed', 'ended'];

/**
 * A first-come call is done once it takes no more applications. A competitive call's work goes on
 * after its close: its panel ranks what came in and a director approves the batch, so it is done
 * only once the batch is approved (and delivered to its applications, in the same turn).
 */
export const isCallTerminal = (state: CallState): boolean =>
  CALL_TERMINAL_STATUSES.includes(state.status) && (state.mode !== 'competitive' || state.panel.status === 'approved' || closedWithNothingToReview(state));

/** Closed before it took any application: nothing came in for a panel to review, so the call's work ends there. */
export const closedBeforeOpening = (state: CallState): boolean => state.status === 'closed' && state.closed?.beforeOpening === true;

/**
 * Closed with nothing for a panel to review: before it opened, or closed early or at its planned
 * close with no application open (since CALL_CLOSED_EMPTY_ENDS_PATCH, CALL_ENDED_EMPTY_ENDS_PATCH).
 * The call's work ends there.
 */
export const closedWithNothingToReview = (state: CallState): boolean =>
  closedBeforeOpening(state) || (state.status === 'closed' && state.closed?.noApplications === true) || (state.status === 'ended' && state.endedWithNoApplications === true);

/** Since this change a competitive call closed early asks how many of its applications are open, and ends when none is. */
export const CALL_CLOSED_EMPTY_ENDS_PATCH = 'call-closed-empty-ends';
/** Since this change a competitive call reaching its planned close asks the same, and ends there when none is open. */
export const CALL_ENDED_EMPTY_ENDS_PATCH = 'call-ended-empty-ends';
/** Since this change a competitive call closed early fences its intake as it counts, as its planned close does. */
export const EARLY_CLOSE_FENCES_INTAKE_PATCH = 'early-close-fences-intake';

export function evolveCall(state: CallState, event: CallEvent): CallState {
  // States carried over from before the panel (a continued run) have none yet.
  const next: CallState = { ...state, version: state.version + 1, panel: state.panel ?? initialPanelState() };
  if (isPanelEvent(event)) return { ...next, panel: evolvePanel(next.panel, event) };
  if (isTimeLimitEvent(event)) return { ...next, timeLimit: evolveTimeLimit(next.timeLimit, event) };
  switch (event.type) {
    case 'CallOpened': {
      const d = event.data;
      return {
        ...next,
        status: 'draft',
        callId: d.callId,
        referenceNo: d.referenceNo,
        applicant: d.openedBy,
        programmeId: d.programmeId,
        programmeName: d.programmeName,
        department: d.department,
        catalogueVersion: d.catalogueVersion,
        title: d.title,
        opensAt: d.opensAt,
        closesAt: d.closesAt,
        budgetFen: d.budgetFen,
        quota: d.quota,
        mode: d.mode,
        publicityWorkingDays: d.publicityWorkingDays,
        openedBy: d.openedBy,
        openedAt: d.openedAt,
        lastChangedBy: d.openedBy,
        changedSinceApprovalBy: [d.openedBy],
        budgetApproved: false,
      };
    }
    case 'CallBudgetApproved':
      // The approval ends the budget step's limit; a later budget change starts a new one.
      return withoutChangers({ ...next, status: 'approved', timeLimit: undefined, budgetApproved: true, budgetApproval: { budgetFen: event.data.budgetFen, by: event.data.by, approvedAt: event.data.approvedAt } });
    case 'CallChanged': {
      const c = event.data.changes;
      return {
        ...next,
        ...(c.title !== undefined ? { title: c.title } : {}),
        ...(c.opensAt !== undefined ? { opensAt: c.opensAt } : {}),
        ...(c.closesAt !== undefined ? { closesAt: c.closesAt } : {}),
        ...(c.budgetFen !== undefined ? { budgetFen: c.budgetFen } : {}),
        ...(c.quota !== undefined ? { quota: c.quota } : {}),
        lastChangedBy: event.data.by,
        changedSinceApprovalBy: (next.changedSinceApprovalBy ?? []).some((a) => a.accountId === event.data.by.accountId) ? next.changedSinceApprovalBy! : [...(next.changedSinceApprovalBy ?? []), event.data.by],
        ...(event.data.budgetAwaitsApproval ? { status: 'draft' as const, budgetApproved: false } : {}),
      };
    }
    case 'CallClosed':
      return {
        ...next,
        status: 'closed',
        closed: {
          by: event.data.by,
          reason: event.data.reason,
          closedAt: event.data.closedAt,
          ...(event.data.beforeOpening ? { beforeOpening: true as const } : {}),
          ...(event.data.noApplications ? { noApplications: true as const } : {}),
        },
      };
    case 'CallEnded':
      return { ...next, status: 'ended', endedAt: event.data.endedAt, ...(event.data.noApplications ? { endedWithNoApplications: true as const } : {}) };
  }
}

export function foldCall(events: readonly CallEvent[]): CallState {
  return events.reduce(evolveCall, initialCallState());
}

/** The state without `changedSinceApprovalBy` (an approval clears it; a row stores no empty list). */
function withoutChangers(state: CallState): CallState {
  const { changedSinceApprovalBy: _, ...rest } = state;
  return rest;
}
