import { findProgramme } from '../../domain/programmes/catalogue.js';
import { awardItemInWords, type LedgerAward } from '../../domain/programmes/stacking.js';
import { PUBLICITY_STATUS_LABELS } from '../../domain/publicity/state.js';
import { applicantLedger, type AwardPublicity, type AwardStoppedUnpaid } from '../../db/awards-ledger.js';
import type { Db } from '../../db/client.js';

/**
 * Everything the applicant has been awarded, across programmes, from the stacking ledger: the grants'
 * total shown on each of their cases, and their 雏鹰 loans apart.
 */
export async function applicantAwards(db: Db, applicantAccountId: string) {
  return applicantAwardsView(await applicantLedger(db, applicantAccountId));
}

type ViewedAward = LedgerAward & { recoveredFen?: number; writtenOffFen?: number } & Partial<AwardPublicity> & Partial<AwardStoppedUnpaid>;

/**
 * The same, from awards already read (api/authorization/case-access.ts reads them with the case).
 * A 雏鹰 loan is in the ledger (so that stacking checks find the company's loan) but is lent, to be
 * repaid: it is listed apart as a loan and left out of the grants' total, which an outside tester
 * read as 30,000,000.00 plus the loan. An award in a call is in the ledger from its approval, yet
 * final only when its 公示 ends with no objection pending: one still 公示中 or 异议待答复 is listed
 * as such and totalled apart (an outside tester read every award on 公示 in 您已获资助合计). The
 * approval's yearly cap and stacking checks (stacking-review.ts, the decider) still count it. An
 * award whose payments were stopped before the first (已发放 ¥0.00) will never be paid: it is listed
 * marked 已停止，未发放 and left out of the count and the totals (it was counted among the grants
 * received, at 0.00); the ledger's checks already pass it over (stacking.ts `fundedSomething`).
 */
export function applicantAwardsView(awards: readonly ViewedAward[]) {
  const lent = (a: LedgerAward) => findProgramme(a.programmeId)?.caseKind === 'loan';
  const grants = awards.filter((a) => !lent(a));
  const stoppedUnpaid = grants.filter((a) => a.stoppedUnpaidAt);
  const received = grants.filter((a) => !a.stoppedUnpaidAt);
  const final = received.filter((a) => !a.publicity);
  const onNotice = received.filter((a) => a.publicity);
  // A loan cancelled or declined before its disbursement stands in the ledger at 0.00: it lent nothing, and is no loan of theirs.
  const loans = awards.filter((a) => lent(a) && a.amountFen > 0);
  return {
    totalFen: sumOf(final),
    count: final.length,
    onNoticeTotalFen: sumOf(onNotice),
    onNoticeCount: onNotice.length,
    stoppedUnpaidCount: stoppedUnpaid.length,
    awards: grants.map(awardView),
    loanTotalFen: sumOf(loans),
    loans: loans.map(awardView),
  };
}

/**
 * 已获资助 as this account may read it: its auditors and its applicant (their own), and the officials
 * of the case's own department where the case decides money (the approval weighs what is held, and
 * stacking). A panel expert scores the application on its merits and is not told what the applicant
 * already holds; nor is an official whose case pays nothing (an outside tester's 人社 reviewer of a
 * 职称 application read the applicant's 杨浦 and 黄浦 awards), or of another department reviewing a
 * step of it (网信's content review of a loan). The field is then absent, as the case page has never shown it.
 */
export function applicantAwardsFor(
  account: { role: string; department?: string | null },
  awards: readonly ViewedAward[],
  theCase: { case_type: string; programme_id: string | null; department: string | null },
): { applicantAwards?: ReturnType<typeof applicantAwardsView> } {
  if (account.role === 'expert') return {};
  if (account.role === 'official') {
    const kind = findProgramme(theCase.programme_id ?? theCase.case_type)?.caseKind;
    const decidesMoney = kind === 'award' || kind === 'loan';
    if (!decidesMoney || account.department !== theCase.department) return {};
  }
  return { applicantAwards: applicantAwardsView(awards) };
}

/** An award stopped before its first payment, as the list of awards marks it. */
export const STOPPED_UNPAID_LABEL = '已停止，未发放';

const sumOf = (awards: readonly LedgerAward[]) => awards.reduce((sum, a) => sum + a.amountFen, 0);

function awardView(a: ViewedAward) {
  return {
    awardId: a.awardId,
    caseId: a.caseId,
    programmeId: a.programmeId,
    programme: findProgramme(a.programmeId)?.name ?? { zh: a.programmeId, en: a.programmeId },
    itemId: a.itemId,
    item: awardItemInWords(findProgramme(a.programmeId), a.itemId),
    amountFen: a.amountFen,
    awardedOn: a.awardedOn,
    // 追回: what has come back from the award, and what a director wrote off.
    recoveredFen: Number(a.recoveredFen ?? 0),
    writtenOffFen: Number(a.writtenOffFen ?? 0),
    // Not final yet: on 公示, or back with the department until its objections are answered.
    publicity: a.publicity ? { status: a.publicity, label: PUBLICITY_STATUS_LABELS[a.publicity], lastWorkingDay: a.publicityLastDay ?? null } : null,
    // Stopped before its first payment: nobody will pay it.
    stopped: a.stoppedUnpaidAt ? { label: STOPPED_UNPAID_LABEL, stoppedAt: a.stoppedUnpaidAt } : null,
  };
}
