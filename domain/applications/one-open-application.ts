import { DomainError } from '../errors.js';
import type { ApplicationFacts } from '../programmes/programme.js';
import { APPLICATION_TERMINAL_STATUSES } from './state.js';
import { applicantItemId, fundsTheApplicant, type ApplicationTerms } from './terms.js';

/**
 * One open application per account, measure and item. An outside tester sent the same application
 * thirty times at once and got thirty cases for one item: each went to the officials' queue, and only
 * the award step would have stopped a second award. Now the opening claims the item for its case,
 * in one transaction (db/application-claims.ts), and a second application while the first is open
 * is refused, naming the first. Once the first has ended (completed, withdrawn, rejected) the item
 * is free again, and the stacking rules judge the new application against whatever was awarded.
 *
 * Only a named item is claimed (a work, a project, a loan, a company identified by its code): a
 * measure that funds the applicant themself may allow several applications a year up to its cap.
 * Cases that opened before this change replay without the look-up.
 */
export const ONE_OPEN_APPLICATION_PATCH = 'one-open-application-per-item';

/** Statuses in which an application no longer holds its item: it has ended, or never opened. */
const RELEASING_STATUSES: readonly string[] = [...APPLICATION_TERMINAL_STATUSES, 'not-submitted'];

export function holdsTheItem(status: string): boolean {
  return !RELEASING_STATUSES.includes(status);
}

/** What the claim answers: this case holds the item now, or another open case of the account does. */
export type ApplicationClaimAnswer = { granted: true } | { granted: false; heldBy: { caseId: string; referenceNo: string } };

/**
 * The item an application claims, from its facts as the rules saw them (the identifying facts'
 * key, or the item stated): none where the measure funds the applicant themself, or no item is named.
 */
export function claimedItem(terms: Pick<ApplicationTerms, 'programmeId' | 'fundedItem'>, facts: ApplicationFacts, applicantAccountId: string): string | undefined {
  const item = facts.itemId;
  if (item === undefined || item.trim() === '') return undefined;
  if (fundsTheApplicant(terms.fundedItem) && item === applicantItemId(terms.fundedItem, terms.programmeId, applicantAccountId)) return undefined;
  return item;
}

/** The refusal of a second application for the item, naming the open one (the same account's) so the applicant can find it. */
export function secondApplicationRefusal(measure: string, item: string, heldBy: { referenceNo: string }) {
  return new DomainError('conflict', {
    code: 'one-open-application-per-item',
    zh: `您已就${measure}的事项“${item}”提交申请 ${heldBy.referenceNo}，该申请正在办理中。同一事项不能重复申请：请在“我的办件”中查看，需要补充或更改的，在该申请中办理；该申请办结或撤回后，方可重新申请。`,
    en: `you already applied to ${measure} for item "${item}" (${heldBy.referenceNo}), which is still open: follow that application; apply again once it has ended or been withdrawn`,
    params: { heldBy: heldBy.referenceNo },
  });
}
