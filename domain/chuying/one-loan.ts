import { DomainError } from '../errors.js';
import type { CompanyDetails } from './events.js';
import type { ChuyingLoanStatus } from './state.js';

/**
 * One 雏鹰 loan per company (issue 14, part 5): a company identified by its 统一社会信用代码 holds at
 * most one application that is open or was granted. One that was refused or withdrawn does not
 * count, so the company may apply again. Cases that ran their opening before this patch replay
 * without the look-up.
 */
export const ONE_LOAN_PER_COMPANY_PATCH = 'chuying-one-loan-per-company';

/** The statuses in which a loan no longer holds the company's one loan: it was never granted. */
export const RELEASING_STATUSES: readonly ChuyingLoanStatus[] = ['not-submitted', 'rejected', 'withdrawn', 'cancelled'];

export function holdsTheCompanysLoan(status: string): boolean {
  return !(RELEASING_STATUSES as readonly string[]).includes(status);
}

/** What the look-up answers: this case holds the company's loan now, or another case already does. */
export type LoanClaimAnswer = { granted: true } | { granted: false; heldBy: { caseId: string; referenceNo: string } };

/** The refusal of a second application, naming the first case so the applicant can find it. */
export function secondLoanRefusal(company: Pick<CompanyDetails, 'name' | 'unifiedSocialCreditCode'>, heldBy: { referenceNo: string }) {
  return new DomainError('conflict', {
    code: 'one-loan-per-company',
    zh: `${company.name}（统一社会信用代码 ${company.unifiedSocialCreditCode}）已有雏鹰计划借款申请 ${heldBy.referenceNo}，每家企业限借一笔：该申请未通过、已撤回或资助决定被撤销的，方可重新申请；已获借款的，不能再申请。`,
    en: `${company.name} (${company.unifiedSocialCreditCode}) already has a 雏鹰计划 loan application, ${heldBy.referenceNo}: one loan per company; apply again only once it is rejected, withdrawn or its approval cancelled; a company lent the money may not apply again`,
    params: { heldBy: heldBy.referenceNo },
  });
}

/**
 * The same refusal as told to an applicant who is not known to hold the first case (another account,
 * or the same one racing itself before the first case is recorded): it names neither the case nor
 * who applied, only that the company's one loan is taken and where to look or ask: another
 * applicant's case, its reference number included, is not theirs to see.
 */
export function secondLoanRefusalForAnotherAccount(company: Pick<CompanyDetails, 'name' | 'unifiedSocialCreditCode'>) {
  return new DomainError('conflict', {
    code: 'one-loan-per-company',
    zh: `${company.name}（统一社会信用代码 ${company.unifiedSocialCreditCode}）已有雏鹰计划借款申请，每家企业限借一笔。您本人提交的申请可在“我的办件”中查看；如不是您提交的，请联系杨浦区 V聚场基金受理窗口核实。`,
    en: `${company.name} (${company.unifiedSocialCreditCode}) already has a 雏鹰计划 loan application: one loan per company; yours are listed under 我的办件`,
  });
}

/**
 * The awards-ledger item of a loan: the company, so that stacking checks of other measures find the
 * loan whichever account applied for it.
 */
export function loanLedgerItemId(company: Pick<CompanyDetails, 'unifiedSocialCreditCode'>): string {
  return `company:${company.unifiedSocialCreditCode}`;
}

/** The loan's programme in the catalogue (domain/programmes/catalogue.ts). */
export const CHUYING_LOAN_PROGRAMME_ID = 'chuying-loan';

/** The ledger row of a loan keeps this id from its approval on. */
export const loanAwardId = (caseId: string): string => `LOAN-${caseId}`;
