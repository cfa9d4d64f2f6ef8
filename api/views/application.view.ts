import { findProgramme } from '../../domain/programmes/catalogue.js';
import type { LedgerAward } from '../../domain/programmes/stacking.js';
import { ledgerAwards } from '../../db/awards-ledger.js';
import type { Db } from '../../db/client.js';

/**
 * Everything the applicant has been awarded, across programmes, from the stacking ledger: the total
 * shown on each of their cases.
 */
export async function applicantAwards(db: Db, applicantAccountId: string) {
  return applicantAwardsView(await ledgerAwards(db, { applicantAccountId }));
}

/** The same, from awards already read (api/authorization/case-access.ts reads them with the case). */
export function applicantAwardsView(awards: readonly (LedgerAward & { recoveredFen?: number; writtenOffFen?: number })[]) {
  return {
    totalFen: awards.reduce((sum, a) => sum + a.amountFen, 0),
    count: awards.length,
    awards: awards.map((a) => ({
      awardId: a.awardId,
      caseId: a.caseId,
      programmeId: a.programmeId,
      programme: findProgramme(a.programmeId)?.name ?? { zh: a.programmeId, en: a.programmeId },
      itemId: a.itemId,
      amountFen: a.amountFen,
      awardedOn: a.awardedOn,
      // 追回: what has come back from the award, and what a director wrote off.
      recoveredFen: Number(a.recoveredFen ?? 0),
      writtenOffFen: Number(a.writtenOffFen ?? 0),
    })),
  };
}
