import { DomainError } from '../errors.js';
import { formatFen, type Fen } from '../money/fen.js';
import type { CallEvent } from './events.js';

/**
 * The budget ledger of a call, and of the 雏鹰 fund as a revolving pool. An event that moves money
 * against a budget says so in its own data (`budgetMovements`), so the ledger is always the sum of
 * the events: the projections apply each movement in the appending transaction, and
 * `recomputeLedger` folds the same movements from the log.
 *
 *   commit   an approval reserves the amount (refused beyond what remains)
 *   release  a commitment given back (an award withdrawn, payments stopped early)
 *   pay      money paid out against a commitment
 *   recover  money paid back; in a revolving pool it is available again
 */
export type BudgetMovementKind = 'commit' | 'release' | 'pay' | 'recover';

export interface BudgetMovement {
  callId: string;
  kind: BudgetMovementKind;
  amountFen: Fen;
  /** The case whose commitment it moves, when not the event's own (a 追回 moves its award's). */
  caseId?: string;
  /** A commitment that takes one of the call's places (名额): refused once its commitments standing fill the quota. */
  withinQuota?: true;
}

/** The 雏鹰 fund's pool: one row of the ledger with no dates, drawn down by loans and refilled by repayments. */
export const CHUYING_FUND_CALL_ID = 'chuying-fund';

export interface CallLedger {
  callId: string;
  budgetFen: Fen;
  budgetApproved: boolean;
  /** A revolving pool: what is paid back may be lent again. */
  revolving: boolean;
  committedFen: Fen;
  paidFen: Fen;
  recoveredFen: Fen;
}

export const remainingFen = (ledger: Pick<CallLedger, 'budgetFen' | 'committedFen'>): Fen => ledger.budgetFen - ledger.committedFen;

/**
 * A call's places (名额) left: its quota less the places taken (one per case whose commitment still
 * stands, as `placesTakenIn` counts them). None left is where `apply_budget_movements` refuses an
 * approval within the quota (taken >= quota). Null for a call without a quota.
 */
export const placesLeft = (quota: number | null, taken: number): number | null => (quota === null ? null : Math.max(0, quota - taken));

/** The refusal of an approval beyond the budget, naming what remains. */
export function budgetShortfall(ledger: Pick<CallLedger, 'callId' | 'budgetFen' | 'committedFen' | 'budgetApproved'>, amountFen: Fen): DomainError {
  const what = ledger.callId === CHUYING_FUND_CALL_ID ? '雏鹰计划资金池可用余额' : '本批次预算剩余';
  if (!ledger.budgetApproved) {
    return new DomainError('conflict', { code: 'budget-not-approved', zh: `本批次预算尚未批准，不能核定 ${formatFen(amountFen)} 元`, en: `the budget of call ${ledger.callId} is not approved yet: ${formatFen(amountFen)} cannot be committed`, params: { amountFen } });
  }
  return new DomainError('conflict', {
    code: 'budget-shortfall',
    zh: `${what} ${formatFen(remainingFen(ledger))} 元，不足以核定 ${formatFen(amountFen)} 元`,
    en: `${formatFen(remainingFen(ledger))} remains of the budget of call ${ledger.callId}: not enough to commit ${formatFen(amountFen)}`,
    params: { amountFen, remainingFen: remainingFen(ledger) },
  });
}

/** The movements an event's data declares (none for most events). */
export function budgetMovementsOf(data: unknown): BudgetMovement[] {
  const movements = (data as { budgetMovements?: unknown } | null)?.budgetMovements;
  return Array.isArray(movements) ? (movements as BudgetMovement[]) : [];
}

/** One movement applied to a ledger, by the rules the database enforces with its conditional update. */
export function applyMovement(ledger: CallLedger, movement: BudgetMovement): CallLedger {
  const { amountFen } = movement;
  switch (movement.kind) {
    case 'commit':
      if (!ledger.budgetApproved || amountFen > remainingFen(ledger)) throw budgetShortfall(ledger, amountFen);
      return { ...ledger, committedFen: ledger.committedFen + amountFen };
    case 'release':
      return { ...ledger, committedFen: Math.max(0, ledger.committedFen - amountFen) };
    case 'pay':
      return { ...ledger, paidFen: ledger.paidFen + amountFen };
    case 'recover':
      return { ...ledger, recoveredFen: ledger.recoveredFen + amountFen, committedFen: ledger.revolving ? Math.max(0, ledger.committedFen - amountFen) : ledger.committedFen };
  }
}

/** The budget a call's own events set: the amount, and whether the amount now standing is approved. */
export function budgetOfCall(ledger: CallLedger, event: CallEvent): CallLedger {
  switch (event.type) {
    case 'CallOpened':
      return { ...ledger, budgetFen: event.data.budgetFen, budgetApproved: false };
    case 'CallBudgetApproved':
      return { ...ledger, budgetApproved: true };
    case 'CallChanged':
      // A quota raised since 2026-12-05 also awaits approval (the event says so): the budget is not approved meanwhile.
      return { ...ledger, ...(event.data.changes.budgetFen !== undefined ? { budgetFen: event.data.changes.budgetFen } : {}), ...(event.data.changes.budgetFen !== undefined || event.data.budgetAwaitsApproval ? { budgetApproved: false } : {}) };
    default:
      return ledger;
  }
}

/**
 * A call's ledger from the log alone, in log order: its own events set the budget, every other
 * event's `budgetMovements` naming the call move money. A movement the database refused was never
 * appended, so none is refused here; the fold is what the ledger table must hold.
 */
export function recomputeLedger(start: CallLedger, events: readonly { streamType: string; type: string; data: unknown }[], callStreamType = 'call'): CallLedger {
  return events.reduce((ledger, event) => {
    if (event.streamType === callStreamType) return budgetOfCall(ledger, { type: event.type, data: event.data } as CallEvent);
    return budgetMovementsOf(event.data)
      .filter((m) => m.callId === ledger.callId)
      .reduce((l, m) => (m.kind === 'commit' ? { ...l, committedFen: l.committedFen + m.amountFen } : applyMovement(l, m)), ledger);
  }, start);
}
