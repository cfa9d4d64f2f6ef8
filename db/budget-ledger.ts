import { sql, type Transaction } from 'kysely';
import { DomainError } from '../domain/errors.js';
import { formatFen, type Fen } from '../domain/money/fen.js';
import { budgetMovementsOf, budgetShortfall, CHUYING_FUND_CALL_ID, recomputeLedger, remainingFen, type BudgetMovement, type CallLedger } from '../domain/calls/ledger.js';
import type { Db } from './client.js';
import type { Database } from './database.js';

/**
 * The budget ledger of every call and of the 雏鹰 fund's revolving pool (issue 13). Each function
 * takes the appending transaction: a projection calls it for the events that move money, so the
 * ledger commits with the events or not at all. A refusal throws a DomainError of kind 'conflict'
 * — the awards ledger's kind — which the append activity turns into a non-retryable failure and
 * the case workflow into a refused action, with the message naming the remaining amount.
 */

/**
 * The 雏鹰 fund's capital: 100,000,000.00 (two hundred loans at the 500,000.00 cap). The sources
 * (003) give no size for the V聚场基金's 雏鹰 pool; this is a product decision, kept here in one
 * place. The pool's row is created on its first movement (see the migration for why it is not seeded).
 */
export const CHUYING_FUND_BUDGET_FEN: Fen = 10_000_000_000;

export interface LedgerMove {
  callId: string;
  caseId: string;
  amountFen: Fen;
}

export interface CallLedgerView extends CallLedger {
  remainingFen: Fen;
}

interface LedgerRow {
  call_id: string;
  budget_fen: number;
  budget_approved: boolean;
  revolving: boolean;
  committed_fen: number;
  paid_fen: number;
  recovered_fen: number;
}

function toLedger(row: LedgerRow): CallLedgerView {
  const ledger: CallLedger = {
    callId: row.call_id,
    budgetFen: Number(row.budget_fen),
    budgetApproved: row.budget_approved,
    revolving: row.revolving,
    committedFen: Number(row.committed_fen),
    paidFen: Number(row.paid_fen),
    recoveredFen: Number(row.recovered_fen),
  };
  return { ...ledger, remainingFen: remainingFen(ledger) };
}

function checkAmount(amountFen: Fen): void {
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0) throw new DomainError('validation', `金额须为正整数（分），不是 ${amountFen}`);
}

/** The 雏鹰 pool's row, as the ledger starts it: approved capital, revolving, no dates. */
async function ensurePool(trx: Transaction<Database>, callId: string): Promise<void> {
  if (callId !== CHUYING_FUND_CALL_ID) return;
  await sql`
    INSERT INTO calls (call_id, programme_id, department, title, mode, status, revolving, budget_fen, budget_approved)
    VALUES (${CHUYING_FUND_CALL_ID}, 'chuying-loan', 'yangpu-fund', '雏鹰计划（V聚场基金）资金池', 'first-come', 'revolving', true, ${CHUYING_FUND_BUDGET_FEN}, true)
    ON CONFLICT (call_id) DO NOTHING`.execute(trx);
}

async function ledgerRow(db: Db | Transaction<Database>, callId: string): Promise<CallLedgerView | undefined> {
  const { rows } = await sql<LedgerRow>`
    SELECT call_id, budget_fen, budget_approved, revolving, committed_fen, paid_fen, recovered_fen FROM calls WHERE call_id = ${callId}`.execute(db);
  return rows[0] && toLedger(rows[0]);
}

/** A call's ledger as it stands; the 雏鹰 pool before its first movement reads as its starting capital. */
export async function readCallLedger(db: Db | Transaction<Database>, callId: string): Promise<CallLedgerView | undefined> {
  const row = await ledgerRow(db, callId);
  if (row || callId !== CHUYING_FUND_CALL_ID) return row;
  return { callId, budgetFen: CHUYING_FUND_BUDGET_FEN, budgetApproved: true, revolving: true, committedFen: 0, paidFen: 0, recoveredFen: 0, remainingFen: CHUYING_FUND_BUDGET_FEN };
}

/**
 * Commits `amountFen` of the call's budget to a case, exactly, or refuses. One conditional UPDATE
 * takes the call row's lock: concurrent commits queue on it, and each re-reads the row it waited
 * for before its condition is tested, so the budget is never overdrawn. One commitment per case:
 * the same commitment again is a no-op; another amount or call for the same case is refused.
 */
export async function commitBudget(trx: Transaction<Database>, { callId, caseId, amountFen }: LedgerMove): Promise<{ committed: boolean; ledger: CallLedgerView }> {
  checkAmount(amountFen);
  await ensurePool(trx, callId);
  const { rows: existing } = await sql<{ call_id: string; committed_fen: number }>`
    SELECT call_id, committed_fen FROM budget_commitments WHERE case_id = ${caseId} FOR UPDATE`.execute(trx);
  const prior = existing[0];
  if (prior && Number(prior.committed_fen) > 0) {
    if (prior.call_id === callId && Number(prior.committed_fen) === amountFen) return { committed: false, ledger: (await readCallLedger(trx, callId))! };
    throw new DomainError('conflict', `案件已在批次 ${prior.call_id} 核定 ${formatFen(Number(prior.committed_fen))} 元，不能再核定 ${formatFen(amountFen)} 元`);
  }
  const { rows } = await sql<LedgerRow>`
    UPDATE calls SET committed_fen = committed_fen + ${amountFen}
    WHERE call_id = ${callId} AND budget_approved AND budget_fen - committed_fen >= ${amountFen}
    RETURNING call_id, budget_fen, budget_approved, revolving, committed_fen, paid_fen, recovered_fen`.execute(trx);
  if (!rows[0]) {
    const ledger = await ledgerRow(trx, callId);
    if (!ledger) throw new DomainError('not-found', `没有申报批次 ${callId}`);
    throw budgetShortfall(ledger, amountFen);
  }
  await sql`
    INSERT INTO budget_commitments (case_id, call_id, committed_fen) VALUES (${caseId}, ${callId}, ${amountFen})
    ON CONFLICT (case_id) DO UPDATE SET call_id = EXCLUDED.call_id, committed_fen = EXCLUDED.committed_fen`.execute(trx);
  return { committed: true, ledger: toLedger(rows[0]) };
}

async function commitmentOf(trx: Transaction<Database>, { callId, caseId }: LedgerMove) {
  const { rows } = await sql<{ committed_fen: number; paid_fen: number; recovered_fen: number }>`
    SELECT committed_fen, paid_fen, recovered_fen FROM budget_commitments WHERE case_id = ${caseId} AND call_id = ${callId} FOR UPDATE`.execute(trx);
  if (!rows[0]) throw new DomainError('conflict', `案件 ${caseId} 在批次 ${callId} 没有核定的预算`);
  return { committedFen: Number(rows[0].committed_fen), paidFen: Number(rows[0].paid_fen), recoveredFen: Number(rows[0].recovered_fen) };
}

/** Gives back (part of) a case's commitment: an award withdrawn, payments stopped early. */
export async function releaseBudget(trx: Transaction<Database>, move: LedgerMove): Promise<void> {
  checkAmount(move.amountFen);
  const commitment = await commitmentOf(trx, move);
  if (move.amountFen > commitment.committedFen) {
    throw new DomainError('conflict', `案件核定 ${formatFen(commitment.committedFen)} 元，不能释放 ${formatFen(move.amountFen)} 元`);
  }
  await sql`UPDATE budget_commitments SET committed_fen = committed_fen - ${move.amountFen}, released_fen = released_fen + ${move.amountFen} WHERE case_id = ${move.caseId}`.execute(trx);
  await sql`UPDATE calls SET committed_fen = committed_fen - ${move.amountFen} WHERE call_id = ${move.callId}`.execute(trx);
}

/** Money paid out against a case's commitment (a disbursement, an award's payout). */
export async function recordPaid(trx: Transaction<Database>, move: LedgerMove): Promise<void> {
  checkAmount(move.amountFen);
  await commitmentOf(trx, move);
  await sql`UPDATE budget_commitments SET paid_fen = paid_fen + ${move.amountFen} WHERE case_id = ${move.caseId}`.execute(trx);
  await sql`UPDATE calls SET paid_fen = paid_fen + ${move.amountFen} WHERE call_id = ${move.callId}`.execute(trx);
}

/** Money paid back (a loan repayment, a 追回): recorded on the call; in the revolving pool it can be lent again. */
export async function recordRecovered(trx: Transaction<Database>, move: LedgerMove): Promise<void> {
  checkAmount(move.amountFen);
  const commitment = await commitmentOf(trx, move);
  const ledger = (await ledgerRow(trx, move.callId))!;
  if (ledger.revolving) {
    // What comes back is available again: the commitment shrinks by what was repaid.
    const refill = Math.min(move.amountFen, commitment.committedFen);
    await sql`UPDATE budget_commitments SET recovered_fen = recovered_fen + ${move.amountFen}, committed_fen = committed_fen - ${refill} WHERE case_id = ${move.caseId}`.execute(trx);
    await sql`UPDATE calls SET recovered_fen = recovered_fen + ${move.amountFen}, committed_fen = committed_fen - ${refill} WHERE call_id = ${move.callId}`.execute(trx);
    return;
  }
  await sql`UPDATE budget_commitments SET recovered_fen = recovered_fen + ${move.amountFen} WHERE case_id = ${move.caseId}`.execute(trx);
  await sql`UPDATE calls SET recovered_fen = recovered_fen + ${move.amountFen} WHERE call_id = ${move.callId}`.execute(trx);
}

const MOVES: Record<BudgetMovement['kind'], (trx: Transaction<Database>, move: LedgerMove) => Promise<unknown>> = {
  commit: commitBudget,
  release: releaseBudget,
  pay: recordPaid,
  recover: recordRecovered,
};

/**
 * Applies the budget movements an event declares in its data (`budgetMovements`, domain/calls/ledger.ts),
 * for a case projection to call on each event it projects, inside the appending transaction.
 */
export async function applyBudgetMovements(trx: Transaction<Database>, caseId: string, data: unknown): Promise<void> {
  for (const movement of budgetMovementsOf(data)) await MOVES[movement.kind](trx, { callId: movement.callId, caseId: movement.caseId ?? caseId, amountFen: movement.amountFen });
}

/**
 * A call's ledger recomputed from the log alone: the call's own events set its budget, and every
 * event whose `budgetMovements` name the call moves its money, in log order. The ledger table must
 * equal it (test/db/budget-ledger.test.ts; the auditor's rebuild compares the whole table).
 */
export async function recomputeCallLedger(db: Db | Transaction<Database>, callId: string): Promise<CallLedgerView> {
  const { rows } = await sql<{ stream_type: string; event_type: string; payload: Record<string, unknown> }>`
    SELECT s.stream_type, e.event_type, e.payload
    FROM events e JOIN streams s ON s.stream_id = e.stream_id
    WHERE (e.stream_id = ${callId} AND s.stream_type = 'call')
       OR (e.payload ? 'budgetMovements' AND e.payload->'budgetMovements' @> ${JSON.stringify([{ callId }])}::jsonb)
    ORDER BY e.global_position`.execute(db);
  const pool = callId === CHUYING_FUND_CALL_ID;
  const start: CallLedger = { callId, budgetFen: pool ? CHUYING_FUND_BUDGET_FEN : 0, budgetApproved: pool, revolving: pool, committedFen: 0, paidFen: 0, recoveredFen: 0 };
  const ledger = recomputeLedger(
    start,
    rows.map((r) => ({ streamType: r.stream_type, type: r.event_type, data: r.payload })),
  );
  return { ...ledger, remainingFen: remainingFen(ledger) };
}
