import { sql } from 'kysely';
import { itemMatchKey, type LedgerAward } from '../domain/programmes/stacking.js';
import type { Db } from './client.js';

/** Awards that concern an item (for the stacking rule) or an applicant (for their total). */
export async function ledgerAwards(db: Db, filter: { itemId?: string; applicantAccountId?: string }): Promise<(LedgerAward & { recoveredFen: number; writtenOffFen: number })[]> {
  let query = db.selectFrom('awards').selectAll();
  // The same fold as itemMatchKey: "w-1 " finds the award of "W-1".
  if (filter.itemId !== undefined) query = query.where(sql<string>`upper(regexp_replace(normalize(item_id, NFKC), '[ \\t\\n\\r\\f\\v]+', '', 'g') COLLATE "C")`, '=', itemMatchKey(filter.itemId));
  if (filter.applicantAccountId !== undefined) query = query.where('applicant_account_id', '=', filter.applicantAccountId);
  const rows = await query.orderBy('awarded_on').orderBy('award_id').execute();
  return rows.map((r) => ({
    awardId: r.award_id,
    caseId: r.case_id,
    applicantAccountId: r.applicant_account_id,
    programmeId: r.programme_id,
    itemId: r.item_id,
    amountFen: r.amount_fen,
    awardedOn: r.awarded_on as LedgerAward['awardedOn'],
    recoveredFen: r.recovered_fen,
    writtenOffFen: r.written_off_fen,
  }));
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

