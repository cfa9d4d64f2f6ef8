import type { Actor } from '../../domain/cases/actor.js';
import type { ChuyingLoanWorkflowInput } from '../../workflows/chuying-loan.messages.js';
import { CHUYING_LOAN_TERMS } from '../../domain/chuying/terms.js';
import { creditCodeCheckCharacter } from '../../domain/companies/credit-code.js';

export const applicant: Actor = { accountId: 'acct-applicant', displayName: '上海星河文化传媒有限公司', role: 'applicant' };
export const otherApplicant: Actor = { accountId: 'acct-other', displayName: '另一家公司', role: 'applicant' };
export const fundReviewer: Actor = { accountId: 'acct-fund-reviewer', displayName: '王审查', role: 'official', department: 'yangpu-fund' };
export const fundApprover: Actor = { accountId: 'acct-fund-approver', displayName: '李决策', role: 'official', department: 'yangpu-fund' };
export const cacReviewer: Actor = { accountId: 'acct-cac-reviewer', displayName: '张网信', role: 'official', department: 'cac' };
export const auditor: Actor = { accountId: 'acct-auditor', displayName: '赵审计', role: 'auditor' };

const CREDIT_CODE_CHARACTERS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** A well-formed 统一社会信用代码 no other test uses (杨浦 unless another 行政区划码 is given, random organisation code). */
export function freshCreditCode(divisionCode = '310110'): string {
  let code = `91${divisionCode}`;
  for (let i = 0; i < 9; i += 1) code += CREDIT_CODE_CHARACTERS[Math.floor(Math.random() * CREDIT_CODE_CHARACTERS.length)];
  return code + creditCodeCheckCharacter(code);
}

export function loanApplication(overrides: Partial<ChuyingLoanWorkflowInput> = {}): ChuyingLoanWorkflowInput {
  const caseId = overrides.caseId ?? crypto.randomUUID();
  return {
    caseId,
    referenceNo: `CY-TEST-${caseId.slice(0, 8)}`,
    applicant,
    // A company of its own: a company holds one 雏鹰 loan at a time, and tests open many.
    company: { name: '上海星河文化传媒有限公司', unifiedSocialCreditCode: freshCreditCode(), registeredDistrict: '杨浦区' },
    project: { name: '城市漫游短视频', summary: '记录杨浦滨江的城市更新', contentTrack: '短视频' },
    requestedAmountFen: 50_000_000,
    terms: CHUYING_LOAN_TERMS,
    requestId: crypto.randomUUID(),
    ...overrides,
  };
}

export const filingReviewer: Actor = { accountId: 'acct-filing-reviewer', displayName: '陈文旅', role: 'official', department: 'culture-tourism' };
export const otherFilingReviewer: Actor = { accountId: 'acct-filing-reviewer-2', displayName: '林文旅', role: 'official', department: 'culture-tourism' };
export const filingSupervisor: Actor = { accountId: 'acct-filing-supervisor', displayName: '周分管', role: 'official', department: 'culture-tourism', duty: 'supervisor' };
export const admin: Actor = { accountId: 'acct-admin', displayName: '系统管理员', role: 'admin' };
