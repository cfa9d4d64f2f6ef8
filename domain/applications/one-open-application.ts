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
 * A named item is claimed (a work, a project, a loan, a company identified by its code), and, for a
 * once-only measure that funds the applicant themself, the applicant; a measure capped by the year
 * may allow several applications a year up to its cap.
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

/** What an application claims: the key the claim is kept under, and the item as the applicant is told it (none for a measure funding them). */
export interface ClaimedItem {
  key: string;
  shown?: string;
}

/**
 * The item an application claims, from its facts as the rules saw them: the identifying facts' key
 * or the item stated; for a once-only measure that funds the applicant themself, the applicant. None
 * for a measure capped by the year (its cap may allow several applications), or where no item is named.
 */
export function claimedItem(terms: Pick<ApplicationTerms, 'programmeId' | 'fundedItem' | 'capPeriod'>, facts: ApplicationFacts, applicantAccountId: string): ClaimedItem | undefined {
  const item = facts.itemId;
  if (item === undefined || item.trim() === '') return undefined;
  if (fundsTheApplicant(terms.fundedItem) && item === applicantItemId(terms.fundedItem, terms.programmeId, applicantAccountId)) {
    // The company's code where the facts name one: an account from before codes were registered may apply for several companies.
    const code = facts.unifiedSocialCreditCode;
    return terms.capPeriod === 'per-year' ? undefined : { key: typeof code === 'string' && code.trim() !== '' ? `${item}|${code.trim()}` : item };
  }
  // An item the identifying facts name is kept as "<funded item>:<facts>": the applicant typed only the facts.
  const prefix = `${terms.fundedItem}:`;
  return { key: item, shown: item.startsWith(prefix) ? item.slice(prefix.length) : item };
}

/**
 * Two spellings of one item an applicant might type: width, letter case, spaces and punctuation
 * aside ("DRAMA-001", "drama 001", "ＤＲＡＭＡ＿００１"). Stricter than the ledger's fold
 * (stacking.ts itemMatchKey), which the awards already stored are compared by: this one only keeps
 * one account from opening a second case for what it already applied for.
 */
export function claimKey(key: string): string {
  const folded = key.normalize('NFKC').toUpperCase().replace(/[\s\p{P}\p{S}]+/gu, '');
  return folded === '' ? key : folded;
}

/** The refusal of a second application while the first is open, naming it (the same account's) so the applicant can find it. */
export function secondApplicationRefusal(measure: string, item: ClaimedItem, heldBy: { referenceNo: string }) {
  const what = item.shown === undefined ? `申请${measure}` : `就${measure}的事项“${item.shown}”提交申请`;
  return new DomainError('conflict', {
    code: 'one-open-application-per-item',
    zh: `您已${what}（${heldBy.referenceNo}），该申请正在办理中。同一事项不能重复申请：请在“我的办件”中查看，需要补充或更改的，在该申请中办理；该申请办结或撤回后，方可重新申请。`,
    en: `you already applied to ${measure}${item.shown === undefined ? '' : ` for item "${item.shown}"`} (${heldBy.referenceNo}), which is still open: follow that application; apply again once it has ended or been withdrawn`,
    params: { heldBy: heldBy.referenceNo },
  });
}

/**
 * Since 2026-12-06: a complaint claims itself. A 盾牌行动 complaint names no item to claim, and an
 * outside tester sent one thirty times at once (same account, same body, no Idempotency-Key) and got
 * thirty cases in 市委网信办's priority queue. Now a complaint claims its body, as an application claims
 * its item (db/application-claims.ts, one transaction), and the same complaint again while the first
 * is open is refused, naming it. A complaint told otherwise (another category, another account of
 * what happened) is another complaint. Complaints that opened before this change replay without it.
 */
export const ONE_OPEN_COMPLAINT_PATCH = 'one-open-complaint-per-body';

/** The measures whose applications are complaints (002 Q6–7 盾牌行动): nothing is named to claim but the complaint itself. */
const COMPLAINT_MEASURES: ReadonlySet<string> = new Set(['hu9-shield']);

/**
 * What a complaint claims: its words as sent (its title and account of what happened, and every fact
 * stated), each spelled as claimKey folds it, in one key. Undefined for a measure that is no complaint.
 * db/application-claims.ts keeps a long key by its SHA-256.
 */
export function claimedComplaint(programmeId: string, details: { title: string; summary: string; documents?: readonly { sha256: string }[] }, facts: ApplicationFacts): ClaimedItem | undefined {
  if (!COMPLAINT_MEASURES.has(programmeId)) return undefined;
  const stated = Object.keys(facts)
    .sort()
    .map((name) => [name, claimKey(String(facts[name as keyof ApplicationFacts] ?? ''))]);
  // The files sent with it are part of what it says: the same words with other evidence is another complaint.
  const files = (details.documents ?? []).map((d) => d.sha256).sort();
  return { key: `complaint:${JSON.stringify([claimKey(details.title), claimKey(details.summary), stated, files])}` };
}

/** The refusal of the same complaint again while the first is open, naming it (the same account's) so the complainant can follow it. */
export function secondComplaintRefusal(measure: string, heldBy: { referenceNo: string }) {
  return new DomainError('conflict', {
    code: 'one-open-complaint',
    zh: `您已提交过内容相同的${measure}投诉（申请编号 ${heldBy.referenceNo}），该投诉正在办理中，请勿重复提交：请在“我的办件”中查看进度，需要补充情况的，在该投诉中办理。`,
    en: `you already sent this complaint to ${measure} (${heldBy.referenceNo}), which is still open: follow that case rather than sending it again`,
    params: { heldBy: heldBy.referenceNo },
  });
}
