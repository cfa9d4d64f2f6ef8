import type { FieldIssue } from '../errors.js';

/** How an applicant account is registered (accounts.applicant_kind): a person or an organisation. */
export type AccountApplicantKind = 'individual' | 'company';

/** The applicant kinds of the catalogue's facts that are a person; every other kind is an organisation. */
const PERSON_KINDS: readonly string[] = ['individual-creator'];

/**
 * Whether the kind an application claims fits the account it is made from: an account registered as
 * an individual creator applies as that person, and an organisation's account never as a person. An
 * outside tester had an individual's account apply as an MCN, with another company's credit code,
 * and a company's account apply as an individual creator: the account is the applicant, not the form.
 * Undefined when they fit, or when the account's kind is not recorded (accounts made before it was).
 */
export function applicantKindProblem(account: AccountApplicantKind | null, claimed: string | undefined): FieldIssue | undefined {
  if (!account || claimed === undefined) return undefined;
  const claimsPerson = PERSON_KINDS.includes(claimed);
  if (account === 'individual' && !claimsPerson) {
    return {
      field: 'facts.applicantKind',
      code: 'applicant-kind-of-account',
      message: '您的账户登记为个人创作者，只能以个人创作者身份申请；以企业、机构或团队身份申请，请使用该单位的账户',
      english: 'this account is an individual creator’s: it applies as that person only',
    };
  }
  if (account === 'company' && claimsPerson) {
    return {
      field: 'facts.applicantKind',
      code: 'applicant-kind-of-account',
      message: '您的账户登记为企业或机构，不能以个人创作者身份申请；个人创作者请使用本人的个人账户申请',
      english: 'this account is an organisation’s: it cannot apply as an individual creator',
    };
  }
  return undefined;
}

/** The 雏鹰 loan is for companies (DOMAIN: start-up projects of companies registered in 杨浦): refused from an individual's account. */
export function loanApplicantProblem(account: AccountApplicantKind | null): FieldIssue | undefined {
  if (account !== 'individual') return undefined;
  return {
    field: 'company',
    code: 'applicant-kind-of-account',
    message: '雏鹰计划借款面向注册在杨浦区的企业；您的账户登记为个人创作者，不能申请。请使用企业的账户申请',
    english: 'the 雏鹰 loan is for companies; this account is an individual creator’s',
  };
}
