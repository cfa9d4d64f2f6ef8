import { sql } from 'kysely';
import { filingTitleKey, holdsTheTitle, type FilingClaimAnswer } from '../domain/drama-filing/one-open-filing.js';
import type { DramaFilingStatus } from '../domain/drama-filing/state.js';
import type { DramaFilingType } from '../domain/drama-filing/terms.js';
import { claimStillHeld } from './case-claims.js';
import type { Db } from './client.js';

/**
 * Claims an account's title for a filing opening now, in one transaction: the claim row is
 * inserted, or locked when it exists, so that of thirty openings at the same moment the others wait
 * for the first and then see it. A claim passes to the new filing once its holder was decided (or
 * never opened), or was resubmitted under another title. Safe to repeat: the filing that holds the
 * claim is granted again (a retry with the same Idempotency-Key reaches the same case).
 */
export async function claimDramaFiling(
  db: Db,
  /** `titleKey`: the title folded (domain/drama-filing/one-open-filing.ts filingTitleKey). */
  claim: { applicantAccountId: string; filingType: DramaFilingType; titleKey: string; caseId: string; referenceNo: string },
  now: Date,
): Promise<FilingClaimAnswer> {
  const key = { applicant_account_id: claim.applicantAccountId, filing_type: claim.filingType, title_key: claim.titleKey };
  return db.transaction().execute(async (trx) => {
    await trx
      .insertInto('filing_claims')
      .values({ ...key, case_id: claim.caseId, reference_no: claim.referenceNo, claimed_at: now })
      .onConflict((oc) => oc.columns(['applicant_account_id', 'filing_type', 'title_key']).doNothing())
      .execute();
    const held = await claimOf(trx, key).forUpdate().executeTakeFirstOrThrow();
    if (held.case_id === claim.caseId) return { granted: true };
    const heldBy = await stillHolding(trx, held, claim.titleKey, now);
    if (heldBy) return { granted: false, heldBy };
    await trx
      .updateTable('filing_claims')
      .set({ case_id: claim.caseId, reference_no: claim.referenceNo, claimed_at: now })
      .where('applicant_account_id', '=', key.applicant_account_id)
      .where('filing_type', '=', key.filing_type)
      .where('title_key', '=', key.title_key)
      .execute();
    return { granted: true };
  });
}

/**
 * The open filing that holds the title now, if any, as the claim would answer it, without claiming:
 * the filing route asks before it draws a 备案编号, so that a second filing of a title still open is
 * refused without using up a number (thirty identical filings had used thirty, leaving gaps in the
 * register). The workflow's claim still decides; this only spares the number.
 */
export async function openFilingHoldingTitle(
  db: Db,
  key: { applicantAccountId: string; filingType: DramaFilingType; titleKey: string },
  now: Date,
): Promise<FilingTitleHeldBy | undefined> {
  const held = await claimOf(db, { applicant_account_id: key.applicantAccountId, filing_type: key.filingType, title_key: key.titleKey }).executeTakeFirst();
  return held ? stillHolding(db, held, key.titleKey, now) : undefined;
}

/** The claim row of an account's title for a filing type. */
const claimOf = (db: Db, key: { applicant_account_id: string; filing_type: string; title_key: string }) =>
  db.selectFrom('filing_claims').selectAll().where('applicant_account_id', '=', key.applicant_account_id).where('filing_type', '=', key.filing_type).where('title_key', '=', key.title_key);

type FilingTitleHeldBy = { caseId: string; referenceNo: string; status: DramaFilingStatus };

/** The filing a claim row names, if it still holds the title: open, and not resubmitted under another title. */
async function stillHolding(db: Db, held: { case_id: string; reference_no: string; claimed_at: Date }, titleKey: string, now: Date): Promise<FilingTitleHeldBy | undefined> {
  const holder = await db
    .selectFrom('cases')
    .select(['status', 'reference_no', sql<string | null>`state->'submission'->>'title'`.as('title')])
    .where('case_id', '=', held.case_id)
    .executeTakeFirst();
  // Resubmitted under another title after it was returned: it no longer holds this one.
  const sameTitle = holder?.title == null || filingTitleKey(holder.title) === titleKey;
  if (!sameTitle || !claimStillHeld(holder, held.claimed_at, now, holdsTheTitle)) return undefined;
  // A holder not in the read model yet is being opened: its opening records it awaiting a claim.
  return { caseId: held.case_id, referenceNo: holder?.reference_no ?? held.reference_no, status: (holder?.status ?? 'awaiting-claim') as DramaFilingStatus };
}
