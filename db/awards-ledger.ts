import { sql, type Selectable } from 'kysely';
import { itemMatchKey, type LedgerAward } from '../domain/programmes/stacking.js';
import type { Db } from './client.js';
import type { AwardsTable } from './tables/awards.table.js';

/**
 * itemMatchKey of an award's item_id, computed by PostgreSQL (item_match_key, migration 2026-12-06T12-10):
 * "w 1" finds the award of "W-1", a drama's `content-item:<备案号>` (沪8条) the award of the same 备案号
 * stated as the item (徐汇), and "备案号BA-2026-000001" or "ba 2026 1" the award of BA-2026-000001.
 */
export const itemMatchKeyInSql = sql<string>`item_match_key(item_id)`;

/** Awards that concern an item (for the stacking rule) or an applicant (for their total). */
export async function ledgerAwards(db: Db, filter: { itemId?: string; applicantAccountId?: string }): Promise<(LedgerAward & { recoveredFen: number; writtenOffFen: number })[]> {
  let query = db
    .selectFrom('awards')
    .selectAll('awards')
    .select(sql<string | null>`(SELECT c.reference_no FROM cases c WHERE c.case_id = awards.case_id)`.as('reference_no'));
  if (filter.itemId !== undefined) query = query.where(itemMatchKeyInSql, '=', itemMatchKey(filter.itemId));
  if (filter.applicantAccountId !== undefined) query = query.where('applicant_account_id', '=', filter.applicantAccountId);
  const rows = await query.orderBy('awarded_on').orderBy('award_id').execute();
  return rows.map(ledgerAwardOf);
}

/** An `awards` row as the ledger's rules read it. */
function ledgerAwardOf(r: Selectable<AwardsTable> & { reference_no?: string | null }): LedgerAward & { recoveredFen: number; writtenOffFen: number } {
  return {
    awardId: r.award_id,
    caseId: r.case_id,
    ...(r.reference_no ? { referenceNo: r.reference_no } : {}),
    applicantAccountId: r.applicant_account_id,
    programmeId: r.programme_id,
    itemId: r.item_id,
    amountFen: r.amount_fen,
    awardedOn: r.awarded_on as LedgerAward['awardedOn'],
    recoveredFen: r.recovered_fen,
    writtenOffFen: r.written_off_fen,
  };
}

/**
 * Where an award in a call stands on its 公示, read from its case (domain/publicity): 'in-publicity'
 * or 'objection-pending' while it is not final; null for an award that is final or was never on
 * 公示 (a measure outside calls, a 雏鹰 loan). The ledger holds an award from its approval (so that
 * stacking and the yearly cap count it then), but it is final only when the 公示 ends with no
 * objection pending.
 */
export interface AwardPublicity {
  publicity: 'in-publicity' | 'objection-pending' | null;
  /** The 公示's last working day, while it is not final. */
  publicityLastDay: string | null;
}

/**
 * The SQL (over `awards a`) of an award's 公示 standing, from its case's folded state: used where an
 * applicant's awards are read for the view (case-access.ts's case statement, applicantLedger).
 */
export const awardPublicitySql = {
  status: sql<AwardPublicity['publicity']>`(SELECT CASE WHEN pc.state->'publicity'->>'status' IN ('in-publicity', 'objection-pending') THEN pc.state->'publicity'->>'status' END FROM cases pc WHERE pc.case_id = a.case_id)`,
  lastDay: sql<string | null>`(SELECT CASE WHEN pc.state->'publicity'->>'status' IN ('in-publicity', 'objection-pending') THEN pc.state->'publicity'->'window'->>'lastWorkingDay' END FROM cases pc WHERE pc.case_id = a.case_id)`,
};

/**
 * Whether an award's payments were stopped before the first was made (PayoutsStopped with nothing
 * paid: a move out of 杨浦 on the day of the approval), read from its case: the instant of the stop,
 * or null. Such an award stands in the ledger at 0.00 (db/projections/application.projection.ts) and
 * funded nothing (domain/programmes/stacking.ts `fundedSomething`): nobody will ever pay it, so it is
 * not support received.
 */
export interface AwardStoppedUnpaid {
  stoppedUnpaidAt: string | null;
}

/** The SQL (over `awards a`) of `AwardStoppedUnpaid`, beside `awardPublicitySql`. */
// A payment due by the day of leaving and not yet recorded (`owedFen`, awards paid on record) is still to be paid: not unpaid.
export const awardStoppedUnpaidSql = sql<string | null>`(SELECT CASE WHEN (pc.state->'stopped'->>'paidFen')::bigint = 0 AND coalesce((pc.state->'stopped'->>'owedFen')::bigint, 0) = 0 THEN pc.state->'stopped'->>'stoppedAt' END FROM cases pc WHERE pc.case_id = a.case_id)`;

/** An applicant's awards, each with where it stands on its 公示 and whether it was stopped unpaid: what the case page lists as 已获资助. */
export async function applicantLedger(db: Db, applicantAccountId: string): Promise<(LedgerAward & { recoveredFen: number; writtenOffFen: number } & AwardPublicity & AwardStoppedUnpaid)[]> {
  const rows = await db
    .selectFrom('awards as a')
    .selectAll('a')
    .select([awardPublicitySql.status.as('publicity'), awardPublicitySql.lastDay.as('publicity_last_day'), awardStoppedUnpaidSql.as('stopped_unpaid_at')])
    .where('a.applicant_account_id', '=', applicantAccountId)
    .orderBy('a.awarded_on')
    .orderBy('a.award_id')
    .execute();
  return rows.map((r) => ({ ...ledgerAwardOf(r), publicity: r.publicity, publicityLastDay: r.publicity_last_day, stoppedUnpaidAt: r.stopped_unpaid_at }));
}

/**
 * The awards an application is judged against: those of its item, and those of the account applying
 * (a measure that funds the applicant counts the account as the company or person, whatever code
 * an application gives: domain/programmes/stacking.ts). Each award once.
 */
export async function ledgerForApplication(db: Db, filter: { itemId?: string; applicantAccountId: string; excludingCaseId?: string }) {
  const [byItem, byAccount] = await Promise.all([filter.itemId === undefined ? [] : ledgerAwards(db, { itemId: filter.itemId }), ledgerAwards(db, { applicantAccountId: filter.applicantAccountId })]);
  const seen = new Set<string>();
  return [...byItem, ...byAccount].filter((award) => award.caseId !== filter.excludingCaseId && !seen.has(award.awardId) && (seen.add(award.awardId), true));
}

