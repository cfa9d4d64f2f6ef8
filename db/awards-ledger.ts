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
