import { sql, type Transaction } from 'kysely';
import { DomainError } from '../domain/errors.js';
import { formatFen, type Fen } from '../domain/money/fen.js';
import { budgetMovementsOf, budgetShortfall, CHUYING_FUND_CALL_ID, placesLeft, recomputeLedger, remainingFen, type BudgetMovement, type CallLedger } from '../domain/calls/ledger.js';
import type { Db } from './client.js';
import type { ReadModelWrite } from './event-store.js';
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

/**
 * The places (名额) of a call its standing commitments take: one per case committed above zero, as
 * `apply_budget_movements` counts them against the quota.
 */
export async function placesTakenIn(db: Db | Transaction<Database>, callId: string): Promise<number> {
  const row = await db
    .selectFrom('budget_commitments')
    .select((eb) => eb.fn.countAll<string>().as('taken'))
    .where('call_id', '=', callId)
    .where('committed_fen', '>', 0)
    .executeTakeFirstOrThrow();
  return Number(row.taken);
}

/**
 * A call's places (名额) left, counted as the ledger counts them at an approval (`placesTakenIn`,
 * `placesLeft`): 0 once an approval within the quota would be refused; null for a call without a quota.
 */
export async function placesLeftIn(db: Db | Transaction<Database>, call: { callId: string; quota: number | null }): Promise<number | null> {
  return call.quota === null ? null : placesLeft(call.quota, await placesTakenIn(db, call.callId));
}

/** The terms the 雏鹰 pool's row is created with, by its first approval (see the migration for why it is not seeded). */
const CHUYING_POOL = { programme_id: 'chuying-loan', department: 'yangpu-fund', title: '雏鹰计划（V聚场基金）资金池', mode: 'first-come', status: 'revolving', budget_fen: CHUYING_FUND_BUDGET_FEN };

/**
 * A call's ledger: its row's budget and commitments, and its commitments' sums (what was paid and
 * recovered is kept per case, so that no two cases' movements wait for the same row; in a
 * revolving pool what came back is lendable again).
 */
async function ledgerRow(db: Db | Transaction<Database>, callId: string): Promise<CallLedgerView | undefined> {
  const { rows } = await sql<LedgerRow>`
    SELECT c.call_id, c.budget_fen, c.budget_approved, c.revolving,
           c.committed_fen - coalesce(sum(b.refilled_fen), 0) AS committed_fen,
           coalesce(sum(b.paid_fen), 0) AS paid_fen, coalesce(sum(b.recovered_fen), 0) AS recovered_fen
    FROM calls c LEFT JOIN budget_commitments b ON b.call_id = c.call_id
    WHERE c.call_id = ${callId}
    GROUP BY c.call_id`.execute(db);
  return rows[0] && toLedger(rows[0]);
}

/** A call's ledger as it stands; the 雏鹰 pool before its first movement reads as its starting capital. */
export async function readCallLedger(db: Db | Transaction<Database>, callId: string): Promise<CallLedgerView | undefined> {
  const row = await ledgerRow(db, callId);
  if (row || callId !== CHUYING_FUND_CALL_ID) return row;
  return { callId, budgetFen: CHUYING_FUND_BUDGET_FEN, budgetApproved: true, revolving: true, committedFen: 0, paidFen: 0, recoveredFen: 0, remainingFen: CHUYING_FUND_BUDGET_FEN };
}

/**
 * A case's budget movements as the database function `apply_budget_movements` takes them
 * (db/migrations/2026-12-03T02-00_budget-movements-in-append.ts): the write an append carries in
 * its one statement (`op: 'budget'`), or that the appending transaction applies.
 */
export function budgetMovementWrite(caseId: string, movements: readonly BudgetMovement[]): ReadModelWrite {
  return {
    op: 'budget',
    table: 'budget_commitments',
    key: ['case_id'],
    rows: movements.map((m) => ({
      case_id: m.caseId ?? caseId,
      call_id: m.callId,
      kind: m.kind,
      amount_fen: m.amountFen,
      ...(m.kind === 'commit' && m.callId === CHUYING_FUND_CALL_ID ? { pool: CHUYING_POOL } : {}),
      ...(m.kind === 'commit' && m.withinQuota ? { within_quota: true } : {}),
    })),
  };
}

/** The SQLSTATEs of apply_budget_movements. */
const AMOUNT_NOT_FEN = 'YC420';
const ALREADY_COMMITTED = 'YC421';
const BUDGET_SHORT = 'YC422';
const NO_SUCH_CALL = 'YC423';
const NO_COMMITMENT = 'YC424';
const RELEASE_ABOVE_COMMITMENT = 'YC425';
const QUOTA_TAKEN = 'YC426';

/** A refusal of apply_budget_movements as the ledger's DomainError (undefined for any other error). */
export function budgetRefusalOf(error: unknown): DomainError | undefined {
  const { code, detail } = error as { code?: string; detail?: string };
  if (!code?.startsWith('YC42') || !detail) return undefined;
  const d = JSON.parse(detail) as Record<string, unknown>;
  const fen = (key: string) => Number(d[key]);
  switch (code) {
    case AMOUNT_NOT_FEN:
      return new DomainError('validation', `金额须为正整数（分），不是 ${String(d.amountFen)}`);
    case ALREADY_COMMITTED:
      return new DomainError('conflict', `案件已在批次 ${String(d.callId)} 核定 ${formatFen(fen('committedFen'))} 元，不能再核定 ${formatFen(fen('amountFen'))} 元`);
    case BUDGET_SHORT:
      return budgetShortfall({ callId: String(d.callId), budgetFen: fen('budgetFen'), committedFen: fen('committedFen'), budgetApproved: d.budgetApproved === true }, fen('amountFen'));
    case NO_SUCH_CALL:
      return new DomainError('not-found', `没有申报批次 ${String(d.callId)}`);
    case NO_COMMITMENT:
      return new DomainError('conflict', `案件 ${String(d.caseId)} 在批次 ${String(d.callId)} 没有核定的预算`);
    case QUOTA_TAKEN:
      return new DomainError(
        'conflict',
        `本批次名额 ${Number(d.quota)} 个已满（已有 ${Number(d.taken)} 项获批且未撤销），不能再批准：如确需增加名额，请先修改批次的名额`,
      );
    case RELEASE_ABOVE_COMMITMENT:
      return new DomainError('conflict', `案件核定 ${formatFen(fen('committedFen'))} 元，不能释放 ${formatFen(fen('amountFen'))} 元`);
    default:
      return undefined;
  }
}

/** Applies movements in the transaction; answers how many changed the ledger (a repeated commitment does not). */
async function applyMovements(trx: Transaction<Database>, caseId: string, movements: readonly BudgetMovement[]): Promise<number> {
  if (movements.length === 0) return 0;
  try {
    const { rows } = await sql<{ changed: number }>`SELECT apply_budget_movements(${JSON.stringify(budgetMovementWrite(caseId, movements).rows)}::jsonb) AS changed`.execute(trx);
    return Number(rows[0]!.changed);
  } catch (error) {
    throw budgetRefusalOf(error) ?? error;
  }
}

/**
 * Commits `amountFen` of the call's budget to a case, exactly, or refuses. The conditional update
 * in the database takes the call row's lock: concurrent commits queue on it, and each re-reads the
 * row it waited for before its condition is tested, so the budget is never overdrawn. One
 * commitment per case: the same commitment again is a no-op; another amount or call for the same case is refused.
 */
export async function commitBudget(trx: Transaction<Database>, { callId, caseId, amountFen }: LedgerMove): Promise<{ committed: boolean; ledger: CallLedgerView }> {
  const changed = await applyMovements(trx, caseId, [{ kind: 'commit', callId, caseId, amountFen }]);
  return { committed: changed > 0, ledger: (await readCallLedger(trx, callId))! };
}

/** Gives back (part of) a case's commitment: an award withdrawn, payments stopped early. */
export async function releaseBudget(trx: Transaction<Database>, move: LedgerMove): Promise<void> {
  await applyMovements(trx, move.caseId, [{ kind: 'release', ...move }]);
}

/** Money paid out against a case's commitment (a disbursement, an award's payout). */
export async function recordPaid(trx: Transaction<Database>, move: LedgerMove): Promise<void> {
  await applyMovements(trx, move.caseId, [{ kind: 'pay', ...move }]);
}

/** Money paid back (a loan repayment, a 追回): recorded on the case's commitment; in the revolving pool it can be lent again. */
export async function recordRecovered(trx: Transaction<Database>, move: LedgerMove): Promise<void> {
  await applyMovements(trx, move.caseId, [{ kind: 'recover', ...move }]);
}

/**
 * Applies the budget movements an event declares in its data (`budgetMovements`, domain/calls/ledger.ts),
 * for a case projection to call on each event it projects, inside the appending transaction.
 */
export async function applyBudgetMovements(trx: Transaction<Database>, caseId: string, data: unknown): Promise<void> {
  await applyMovements(trx, caseId, budgetMovementsOf(data));
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
