import { creditCodeProblem } from '../companies/credit-code.js';
import type { FieldIssue } from '../errors.js';
import { withoutInvisible } from '../text/typed-separators.js';

/**
 * The organisation a company applicant's account is registered for: the administrator records its
 * name and 统一社会信用代码 from the business licence when creating the account (in a programme
 * office, from the 法人 account the company signs in with). Kept on the account's `profile.company`.
 */
export interface ApplicantCompany {
  name: string;
  unifiedSocialCreditCode: string;
}

/** Problems with the company an administrator records for an account of `applicantKind`, at their fields under `company`. */
export function applicantCompanyProblems(applicantKind: 'individual' | 'company' | null, company: ApplicantCompany | undefined, required: boolean): FieldIssue[] {
  if (company === undefined) {
    return required && applicantKind === 'company'
      ? [{ field: 'company.unifiedSocialCreditCode', message: '企业申请人的账户须登记其统一社会信用代码（见营业执照）', english: 'a company applicant’s account records its credit code' }]
      : [];
  }
  if (applicantKind !== 'company') {
    return [{ field: 'company', message: '只有企业申请人的账户登记单位名称和统一社会信用代码', english: 'only a company applicant’s account records a company' }];
  }
  const problem = creditCodeProblem(company.unifiedSocialCreditCode);
  return problem ? [{ field: 'company.unifiedSocialCreditCode', message: problem }] : [];
}

/**
 * A code registered to another applicant's account is refused in an application and a loan: an outside tester had one company's account apply under another company's code, and
 * that company's register entries answered the facts. A company applies from its own account.
 * Undefined when no other account holds the code (it is this account's, or nobody's yet).
 */
function creditCodeOfAnotherAccount(code: string, holder: { accountId: string } | undefined, applicantAccountId: string, field: string): FieldIssue | undefined {
  if (!holder || holder.accountId === applicantAccountId) return undefined;
  return {
    field,
    code: 'credit-code-of-another-account',
    message: `统一社会信用代码 ${code} 已登记在另一申请人的账户下：一家单位只能通过本单位的账户申请。如代码填错，请对照营业执照更正；如这是贵单位的代码，请联系管理员核实账户登记`,
    english: 'this credit code is registered to another applicant’s account',
  };
}

/** The company registered on an account's profile, if any. */
export function registeredCompanyOf(profile: Record<string, unknown>): ApplicantCompany | undefined {
  const company = profile.company as Partial<ApplicantCompany> | undefined;
  return typeof company?.unifiedSocialCreditCode === 'string' ? { name: String(company.name ?? ''), unifiedSocialCreditCode: company.unifiedSocialCreditCode } : undefined;
}

/**
 * An account registered for a company applies as that company only: under its own code. An outside
 * tester's company account applied under a code no account held (a register's tenant) and had that
 * company's entry answer its facts, and took a second 雏鹰 loan under it. Undefined when the code is
 * the account's, or the account has none registered (an account from before codes were recorded).
 */
function codeOfOwnCompanyProblem(code: string, registered: ApplicantCompany | undefined, field: string): FieldIssue | undefined {
  if (!registered || registered.unifiedSocialCreditCode === code) return undefined;
  return {
    field,
    code: 'credit-code-of-own-company',
    message: `您的账户登记为 ${registered.name}（统一社会信用代码 ${registered.unifiedSocialCreditCode}），只能以这家单位申请；其他单位请通过其自己的账户申请`,
    english: 'this account is registered for another company and applies under its own credit code only',
  };
}

/**
 * The one check an application and a loan make of the code they name: the account's own code if it
 * has one registered, and never another account's. `holder` is the account the code is registered to.
 */
export function applicantCodeProblem(
  code: string,
  applicant: { accountId: string; profile: Record<string, unknown> },
  holder: { accountId: string } | undefined,
  field: string,
): FieldIssue | undefined {
  return codeOfOwnCompanyProblem(code, registeredCompanyOf(applicant.profile), field) ?? creditCodeOfAnotherAccount(code, holder, applicant.accountId, field);
}

/** Two spellings of one organisation's name: width (NFKC), spaces, invisible characters and letter case aside. */
export function companyNameKey(name: string): string {
  return withoutInvisible(name.normalize('NFKC')).replace(/\s+/g, '').toUpperCase();
}

/** The account an organisation's name is registered to (its `profile.company.name`), as the filing checks name it. */
export interface CompanyNameHolder {
  accountId: string;
  displayName: string;
  company: string;
}

/**
 * How a drama filing's 制作机构 is not its applicant's own (source 004: 申请主体 微短剧制作方、企业), both
 * ways it can be: the applicant's account is registered as another company, or the producer is
 * registered to another account. Worded as a refusal when filed and as a note for the reviewer.
 */
function producerMismatch(
  producer: string,
  applicant: { accountId: string; profile: Record<string, unknown> } | undefined,
  holder: CompanyNameHolder | undefined,
): { ownCompany?: string; heldBy?: CompanyNameHolder } {
  const registered = applicant ? registeredCompanyOf(applicant.profile) : undefined;
  return {
    ...(registered && registered.name !== '' && companyNameKey(registered.name) !== companyNameKey(producer) ? { ownCompany: registered.name } : {}),
    ...(holder && applicant && holder.accountId !== applicant.accountId ? { heldBy: holder } : {}),
  };
}

/**
 * An outside tester's individual account filed 外滩往事 under a company registered to another
 * account, which had its own filing of that title; the queue named only the individual. Now a
 * company account files as its own registered company, and nobody files under an organisation
 * registered to another account: it files from that account. Undefined when the producer may stand.
 */
export function producerProblem(
  producer: string,
  applicant: { accountId: string; profile: Record<string, unknown> },
  holder: CompanyNameHolder | undefined,
  field: string,
): FieldIssue | undefined {
  const { ownCompany, heldBy } = producerMismatch(producer, applicant, holder);
  if (ownCompany !== undefined) {
    return {
      field,
      code: 'producer-is-own-company',
      message: `您的账户登记为 ${ownCompany}，只能以本单位作为制作机构备案，请填写“${ownCompany}”；其他单位的微短剧请由该单位通过其自己的账户备案`,
      english: 'a company account files as its own registered company',
    };
  }
  if (heldBy) {
    return {
      field,
      code: 'producer-of-another-account',
      message: `“${heldBy.company}”已登记在另一申请人的账户下，不能以其名义备案：个人请以本人名义备案，单位请通过本单位的账户备案`,
      english: 'this producer is a company registered to another applicant’s account',
    };
  }
  return undefined;
}

/**
 * What the reviewer is told where a filing's 制作机构 is not its applicant's own (a filing made before
 * the check above, or resubmitted since): read at the time the page is asked for, so no row changes.
 */
export function producerMismatchNote(producer: string, applicant: { accountId: string; profile: Record<string, unknown> } | undefined, holder: CompanyNameHolder | undefined): string | undefined {
  const { ownCompany, heldBy } = producerMismatch(producer, applicant, holder);
  if (heldBy) return `制作机构与申请人不符：“${heldBy.company}”登记在另一申请人（${heldBy.displayName}）的账户下，请核实申请人是否有权以其名义备案`;
  if (ownCompany !== undefined) return `制作机构与申请人不符：申请人账户登记的单位为“${ownCompany}”，备案所填制作机构为“${producer}”`;
  return undefined;
}
