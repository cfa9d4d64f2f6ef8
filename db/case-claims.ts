/**
 * What the claim tables (chuying_loan_claims, application_claims, filing_claims) share: whether the case
 * holding a claim still holds it when another case asks. A holder in the read model holds it while
 * its status says so; one not there yet (its opening not recorded) holds it for a while after its
 * claim, then is taken to have died between the look-up and the append: an opening records within
 * seconds of its look-up.
 */
export const ABANDONED_CLAIM_MS = 15 * 60_000;

export function claimStillHeld(holder: { status: string } | undefined, claimedAt: Date, now: Date, holds: (status: string) => boolean): boolean {
  return holder ? holds(holder.status) : now.getTime() - claimedAt.getTime() < ABANDONED_CLAIM_MS;
}
