import { sql } from 'kysely';
import { callAcceptsApplicationsAt, firstComeBudgetUsedUp, firstComePlacesFull, type NextCallInWords } from '../../domain/calls/decide.js';
import type { CallMode } from '../../domain/calls/events.js';
import { initialCallState, type CallState, type CallStatus } from '../../domain/calls/state.js';
import { placesLeftIn, readCallLedger } from '../budget-ledger.js';
import type { Db } from '../client.js';
import { caseIdFromText } from '../queries/case-id-text.js';

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
  /** A call closed early: when, why and by whom, as its case keeps it (the calls row keeps the planned close). */
  closed: { by: { accountId: string; displayName: string }; reason: string; closedAt: string } | null;
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
    // The close as the call's case recorded it; a row without one (never expected) reads as closed at its planned close.
    ...(row.status === 'closed' ? { closed: row.closed ?? { by: { accountId: '', displayName: '' }, reason: '主管部门决定', closedAt: row.closes_at.toISOString() } } : {}),
  };
}

/**
 * The call an application made at `at` belongs to, or why none takes it: the application's
 * workflow asks it (activities/calls.activities.ts) when it is submitted, and the application form
 * before anything is typed, so that an applicant is not led through a form no call will take.
 */
export async function findOpenCall(db: Db, input: { programmeId: string; at: number }): Promise<FindOpenCallAnswer> {
  const rows = (await db
    .selectFrom('calls')
    .select(['call_id', 'programme_id', 'title', 'mode', 'opens_at', 'closes_at', 'quota', 'publicity_working_days', 'catalogue_version', 'status', 'budget_approved'])
    .select(sql<CallRow['closed']>`(SELECT c.state->'closed' FROM cases c WHERE c.case_id = ${caseIdFromText(sql.ref<string>('calls.call_id'))} AND c.case_type = 'call')`.as('closed'))
    .where('programme_id', '=', input.programmeId)
    .where('revolving', '=', false)
    .orderBy('opens_at')
    .orderBy('call_id')
    .execute()) as CallRow[];
  if (rows.length === 0) return { runByCalls: false };
  const open = rows.filter((r) => callAcceptsApplicationsAt(acceptanceState(r), input.at).accepts).sort((a, b) => a.closes_at.getTime() - b.closes_at.getTime());
  // A first-come call whose budget is used up, or whose places (名额) are all taken, takes no more
  // applications: each would only be refused at its approval. The refusal, given the next call.
  const full = new Map<string, (next?: NextCallInWords) => string>();
  for (const r of open.filter((r) => r.mode === 'first-come')) {
    const call = { title: r.title, closesAt: r.closes_at.toISOString() };
    const ledger = await readCallLedger(db, r.call_id);
    if (ledger && ledger.remainingFen <= 0) full.set(r.call_id, (next) => firstComeBudgetUsedUp({ ...call, budgetFen: ledger.budgetFen }, next));
    else if (r.quota !== null && (await placesLeftIn(db, { callId: r.call_id, quota: r.quota })) === 0) full.set(r.call_id, (next) => firstComePlacesFull({ ...call, quota: r.quota! }, next));
  }
  const accepting = open.filter((r) => !full.has(r.call_id));
  if (accepting[0]) return { runByCalls: true, call: summaryOf(accepting[0]) };
  const live = (r: CallRow) => r.status === 'draft' || r.status === 'approved';
  const exhausted = open.find((r) => full.has(r.call_id));
  if (exhausted) {
    // The next call of the measure still to open, if one is planned (approved: draft calls are not yet public).
    const next = rows.find((r) => r.status === 'approved' && r.opens_at.getTime() > input.at);
    const refusal = full.get(exhausted.call_id)!(next ? { title: next.title, opensAt: next.opens_at.toISOString(), closesAt: next.closes_at.toISOString() } : undefined);
    return { runByCalls: true, call: null, refusal, nearest: summaryOf(next ?? exhausted) };
  }
  // The next call still to come, else the call that closed last.
  const nearest = rows.find((r) => live(r) && r.closes_at.getTime() > input.at) ?? [...rows].sort((a, b) => b.closes_at.getTime() - a.closes_at.getTime())[0]!;
  const answer = callAcceptsApplicationsAt(acceptanceState(nearest), input.at);
  return { runByCalls: true, call: null, refusal: answer.accepts ? '' : answer.reason, nearest: summaryOf(nearest) };
}
