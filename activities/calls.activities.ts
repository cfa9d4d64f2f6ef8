import { callAcceptsApplicationsAt } from '../domain/calls/decide.js';
import type { CallMode } from '../domain/calls/events.js';
import { initialCallState, type CallState, type CallStatus } from '../domain/calls/state.js';
import { readCallLedger, type CallLedgerView } from '../db/budget-ledger.js';
import type { Db } from '../db/client.js';

export interface CallActivityDependencies {
  db: Db;
}

/** What an application records of the call it belongs to. */
export interface CallSummary {
  callId: string;
  title: string;
  programmeId: string;
  mode: CallMode;
  opensAt: string;
  closesAt: string;
  quota: number | null;
  publicityWorkingDays: number;
  catalogueVersion: string;
}

/**
 * The call an application made at `at` belongs to. A programme that has never had a call is a
 * continuous one (`runByCalls: false`: 星光, 盾牌 … and every programme before its first call);
 * one that has is refused outside an open call, naming the dates of the next call (or the last).
 */
export type FindOpenCallAnswer = { runByCalls: false } | { runByCalls: true; call: CallSummary } | { runByCalls: true; call: null; refusal: string; nearest: CallSummary };

interface CallRow {
  call_id: string;
  programme_id: string;
  title: string;
  mode: CallMode;
  opens_at: Date;
  closes_at: Date;
  quota: number | null;
  publicity_working_days: number | null;
  catalogue_version: string | null;
  status: string;
  budget_approved: boolean;
}

const summaryOf = (row: CallRow): CallSummary => ({
  callId: row.call_id,
  title: row.title,
  programmeId: row.programme_id,
  mode: row.mode,
  opensAt: row.opens_at.toISOString(),
  closesAt: row.closes_at.toISOString(),
  quota: row.quota,
  publicityWorkingDays: row.publicity_working_days ?? 5,
  catalogueVersion: row.catalogue_version ?? '',
});

/** The call's state as far as the acceptance rule reads it (the closing reason is the case's; the row says closed). */
function acceptanceState(row: CallRow): CallState {
  return {
    ...initialCallState(),
    status: row.status as CallStatus,
    title: row.title,
    opensAt: row.opens_at.toISOString(),
    closesAt: row.closes_at.toISOString(),
    budgetApproved: row.budget_approved,
    ...(row.status === 'closed' ? { closed: { by: { accountId: '', displayName: '' }, reason: '主管部门决定', closedAt: row.closes_at.toISOString() } } : {}),
  };
}

export function createCallActivities({ db }: CallActivityDependencies) {
  return {
    async findOpenCall(input: { programmeId: string; at: number }): Promise<FindOpenCallAnswer> {
      const rows = (await db
        .selectFrom('calls')
        .select(['call_id', 'programme_id', 'title', 'mode', 'opens_at', 'closes_at', 'quota', 'publicity_working_days', 'catalogue_version', 'status', 'budget_approved'])
        .where('programme_id', '=', input.programmeId)
        .where('revolving', '=', false)
        .orderBy('opens_at')
        .orderBy('call_id')
        .execute()) as CallRow[];
      if (rows.length === 0) return { runByCalls: false };
      const accepting = rows.filter((r) => callAcceptsApplicationsAt(acceptanceState(r), input.at).accepts).sort((a, b) => a.closes_at.getTime() - b.closes_at.getTime());
      if (accepting[0]) return { runByCalls: true, call: summaryOf(accepting[0]) };
      const live = (r: CallRow) => r.status === 'draft' || r.status === 'approved';
      // The next call still to come, else the call that closed last.
      const nearest = rows.find((r) => live(r) && r.closes_at.getTime() > input.at) ?? [...rows].sort((a, b) => b.closes_at.getTime() - a.closes_at.getTime())[0]!;
      const answer = callAcceptsApplicationsAt(acceptanceState(nearest), input.at);
      return { runByCalls: true, call: null, refusal: answer.accepts ? '' : answer.reason, nearest: summaryOf(nearest) };
    },

    /** A call's budget ledger (or the 雏鹰 pool's): budget, committed, paid, recovered, remaining. */
    async callBudget(input: { callId: string }): Promise<CallLedgerView | null> {
      return (await readCallLedger(db, input.callId)) ?? null;
    },
  };
}

export type CallActivities = ReturnType<typeof createCallActivities>;
