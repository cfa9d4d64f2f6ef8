import { sql } from 'kysely';
import { holdsTheCompanysLoan, RELEASING_STATUSES, type LoanClaimAnswer } from '../domain/chuying/one-loan.js';
import { claimStillHeld } from './case-claims.js';
import type { Db } from './client.js';

/**
 * Claims the company's one 雏鹰 loan for a case opening now, in one transaction:
 * - a loan of the company opened before claims were kept (or this same case on a retry) is found in
 *   the read model;
 * - otherwise the claim row is inserted, or locked when it exists, so that of two openings at the
 *   same moment the second waits for the first and then sees it.
 * A claim passes to the new case only once its holder was refused or withdrawn (or never opened).
 * Safe to repeat: the case that holds the claim is granted again.
 */
export async function claimChuyingLoan(db: Db, claim: { companyCode: string; caseId: string; referenceNo: string }, now: Date): Promise<LoanClaimAnswer> {
  const { companyCode, caseId, referenceNo } = claim;
  return db.transaction().execute(async (trx) => {
    const earlier = await trx
      .selectFrom('cases')
      .select(['case_id', 'reference_no'])
      .where('case_type', '=', 'chuying-loan')
      .where(sql<string>`state->'company'->>'unifiedSocialCreditCode'`, '=', companyCode)
      .where('status', 'not in', RELEASING_STATUSES)
      .where('case_id', '!=', caseId)
      .orderBy('opened_at')
      .limit(1)
      .executeTakeFirst();
    if (earlier) return { granted: false, heldBy: { caseId: earlier.case_id, referenceNo: earlier.reference_no } };

    await trx
      .insertInto('chuying_loan_claims')
      .values({ company_code: companyCode, case_id: caseId, reference_no: referenceNo, claimed_at: now })
      .onConflict((oc) => oc.column('company_code').doNothing())
      .execute();
    const held = await trx.selectFrom('chuying_loan_claims').selectAll().where('company_code', '=', companyCode).forUpdate().executeTakeFirstOrThrow();
    if (held.case_id === caseId) return { granted: true };

    const holder = await trx.selectFrom('cases').select(['status', 'reference_no']).where('case_id', '=', held.case_id).executeTakeFirst();
    const stillHeld = claimStillHeld(holder, held.claimed_at, now, holdsTheCompanysLoan);
    if (stillHeld) return { granted: false, heldBy: { caseId: held.case_id, referenceNo: holder?.reference_no ?? held.reference_no } };
    await trx.updateTable('chuying_loan_claims').set({ case_id: caseId, reference_no: referenceNo, claimed_at: now }).where('company_code', '=', companyCode).execute();
    return { granted: true };
  });
}
