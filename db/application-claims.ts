import { createHash } from 'node:crypto';
import { holdsTheItem, type ApplicationClaimAnswer } from '../domain/applications/one-open-application.js';
import { claimStillHeld } from './case-claims.js';
import type { Db } from './client.js';

/**
 * Claims the item for a case opening now, in one transaction: the claim row is inserted, or locked
 * when it exists, so that of two openings at the same moment the second waits for the first and then
 * sees it. A claim passes to the new case only once its holder has ended (or never opened).
 * Safe to repeat: the case that holds the claim is granted again.
 */
export async function claimApplicationItem(
  db: Db,
  /** `item`: the claim's key, folded (domain/applications/one-open-application.ts claimKey). */
  claim: { programmeId: string; applicantAccountId: string; item: string; caseId: string; referenceNo: string },
  now: Date,
): Promise<ApplicationClaimAnswer> {
  const key = { programme_id: claim.programmeId, applicant_account_id: claim.applicantAccountId, item_key: storedItemKey(claim.item) };
  return db.transaction().execute(async (trx) => {
    await trx
      .insertInto('application_claims')
      .values({ ...key, case_id: claim.caseId, reference_no: claim.referenceNo, claimed_at: now })
      .onConflict((oc) => oc.columns(['programme_id', 'applicant_account_id', 'item_key']).doNothing())
      .execute();
    const held = await trx
      .selectFrom('application_claims')
      .selectAll()
      .where('programme_id', '=', key.programme_id)
      .where('applicant_account_id', '=', key.applicant_account_id)
      .where('item_key', '=', key.item_key)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (held.case_id === claim.caseId) return { granted: true };

    const holder = await trx.selectFrom('cases').select(['status', 'reference_no']).where('case_id', '=', held.case_id).executeTakeFirst();
    const stillHeld = claimStillHeld(holder, held.claimed_at, now, holdsTheItem);
    if (stillHeld) return { granted: false, heldBy: { caseId: held.case_id, referenceNo: holder?.reference_no ?? held.reference_no } };
    await trx
      .updateTable('application_claims')
      .set({ case_id: claim.caseId, reference_no: claim.referenceNo, claimed_at: now })
      .where('programme_id', '=', key.programme_id)
      .where('applicant_account_id', '=', key.applicant_account_id)
      .where('item_key', '=', key.item_key)
      .execute();
    return { granted: true };
  });
}

/** The longest key kept as it is; a longer one (a complaint's words, one_open_complaint) is kept by its SHA-256, which the index can hold. */
const LONGEST_KEPT_KEY = 200;

export function storedItemKey(item: string): string {
  return item.length <= LONGEST_KEPT_KEY ? item : `sha256:${createHash('sha256').update(item, 'utf8').digest('hex')}`;
}
